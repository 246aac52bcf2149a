/**
 * Prompt recognition on rendered lines: where the prompt ends and the typed text begins, and what
 * the prompt says about user and working directory. Shapes are deliberately narrow (no spaces
 * before the sigil unless bracketed) so ordinary output such as `a > b` is not a prompt.
 */

const SHAPES: RegExp[] = [
  // [user@host dir]$   (Amazon Linux, RHEL)   optionally prefixed by (venv)
  /^((?:\([^()\s]{1,40}\) )?\[[^\]\r\n]{1,120}\][$#%>]) ?/,
  // $   #   sh-4.2$   bash-5.1#   user@host:~/dir$   root@host:/#   (venv) user@host:~$
  /^((?:\([^()\s]{1,40}\) )?[^\s]{0,160}?[$#%>]) ?/,
  // a clock first (`\t`, `\A`, `\@` in PS1), then spaces: `[09:16:47] user@host ~ $ `
  /^(\[\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?\] [^\n]{0,100}?[$#%>]) /,
  // custom prompts ending in a sigil no command line starts with: `[10:44] deploy:~ λ `, `➜  ~ `
  /^([^\n]{0,100}?[λ❯➜»→▶]) /,
];

/**
 * Cheap necessary condition for splitPrompt to find anything without learned prompts: every shape
 * needs a sigil within its first ~200 characters (or starts with `(`). Output lines mostly fail it,
 * which keeps plain-shell line checks off the regexes above.
 */
const MAYBE_PROMPT = /^[(>]|[$#%>λ❯➜»→▶]/;
const SHAPE_REACH = 210;

export function mayStartWithPrompt(line: string, learned: readonly string[]): boolean {
  for (const p of learned)
    if (startsWithPrompt(line, p) || (p.length > line.length && startsWithPrompt(p, line))) return true;
  return MAYBE_PROMPT.test(line.length > SHAPE_REACH ? line.slice(0, SHAPE_REACH) : line);
}

/** Readline's incremental search replaces the prompt while active. */
const SEARCH_PROMPT = /^(\((?:failed )?(?:reverse-)?i-search\)`[^']{0,200}': )/;

/**
 * A reverse search abandoned with Ctrl-C: readline drops the search and the line it found; the tty
 * echoed `^C` over it. The found line (the text after the search prompt, `^C` kept at its end so
 * the line is read as aborted), or null.
 */
export function abortedSearch(line: string): string | null {
  const search = SEARCH_PROMPT.exec(line);
  if (!search) return null;
  const text = line.slice(search[1]!.length);
  const at = text.lastIndexOf('^C');
  if (at < 0) return null;
  return at === text.length - 2 ? text : null;
}

export interface PromptSplit {
  /** The prompt, trailing spaces trimmed. */
  prompt: string;
  text: string;
}

/**
 * Splits a rendered input line into prompt and typed text. Learned prompts (exact strings seen in
 * this session) win over shapes. Returns null when nothing prompt-like starts the line.
 */
export function splitPrompt(line: string, learned: readonly string[] = []): PromptSplit | null {
  const best = longestLearned(line, learned);
  if (best !== null) return { prompt: best, text: stripOneSpace(line.slice(best.length)) };
  const search = SEARCH_PROMPT.exec(line);
  if (search) return { prompt: '', text: line.slice(search[1]!.length) };
  for (const shape of SHAPES) {
    const m = shape.exec(line);
    if (m && m[1]!.length > 0) return { prompt: m[1]!, text: line.slice(m[0].length) };
  }
  return null;
}

/** Whether the line starts with one of the session's learned prompts (plain-shell detection). */
export function startsWithLearned(line: string, learned: readonly string[]): PromptSplit | null {
  const best = longestLearned(line, learned);
  if (best === null) return null;
  const rest = line.slice(best.length);
  // `$` followed by text without a space is not the `$ ` prompt (e.g. `$HOME`).
  if (rest.length > 0 && rest[0] !== ' ') return null;
  return { prompt: best, text: stripOneSpace(rest) };
}

/**
 * Whether the line starts with the learned prompt, a digit standing for any digit: a prompt that
 * shows the time (`[09:16:47] …`) or a counter changes every time, in digits only.
 */
export function startsWithPrompt(line: string, prompt: string): boolean {
  if (line.startsWith(prompt)) return true;
  if (line.length < prompt.length || !/\d/.test(prompt)) return false;
  for (let i = 0; i < prompt.length; i++) {
    const a = prompt.charCodeAt(i);
    const b = line.charCodeAt(i);
    if (a !== b && !(a >= 48 && a <= 57 && b >= 48 && b <= 57)) return false;
  }
  return true;
}

/**
 * The longest learned prompt the line starts with (one learned prompt can be the start of
 * another), as the line spells it.
 */
function longestLearned(line: string, learned: readonly string[]): string | null {
  let best: string | null = null;
  for (const p of learned)
    if (startsWithPrompt(line, p) && (best === null || p.length > best.length)) best = p;
  return best === null ? null : line.slice(0, best.length);
}

function stripOneSpace(s: string): string {
  return s.startsWith(' ') ? s.slice(1) : s;
}

export interface PromptInfo {
  user: string | null;
  host: string | null;
  cwd: string | null;
  root: boolean;
}

const USER_HOST_CWD =
  /^(?:\([^()]*\) )?\[?([a-z_][a-z0-9_.-]{0,31}\$?)@([A-Za-z0-9_.-]{1,253})(?:[: ]\s?([^\]$#%>]*?))?\]?[$#%>]$/;
const TITLE = /^([a-z_][a-z0-9_.-]{0,31})@([A-Za-z0-9_.-]{1,253}):\s?(.*)$/;

/** What a prompt (trimmed) tells: `user@host:cwd$`, `[user@host cwd]#`, `#` for root. */
export function promptInfo(prompt: string): PromptInfo {
  const root = prompt.endsWith('#');
  const m = USER_HOST_CWD.exec(prompt);
  if (m) return { user: m[1]!, host: m[2]!, cwd: m[3] ? m[3].trim() || null : null, root };
  return { user: null, host: null, cwd: null, root };
}

/** `user@host: cwd` window titles set by Debian/Ubuntu's default PS1. */
export function titleInfo(title: string): PromptInfo | null {
  const m = TITLE.exec(title);
  return m ? { user: m[1]!, host: m[2]!, cwd: m[3]!.trim() || null, root: false } : null;
}
