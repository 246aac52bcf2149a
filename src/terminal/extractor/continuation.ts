/**
 * Shell syntax that makes a plain shell ask for more input. Only plain shells need it: marker
 * shells say where each input line ends themselves.
 */

/**
 * Whether a POSIX shell would ask for more input after this text (continuation prompt `> `):
 * trailing backslash or operator, open quote, here-document without its terminator, or an open
 * compound command. A lexical approximation, used only where no shell marker tells us.
 */
export function needsContinuation(text: string): boolean {
  const t = text.trimEnd();
  if (/(?:^|[^\\])(?:\\\\)*\\$/.test(text)) return true;
  if (/(?:\|\||&&|\|)$/.test(t)) return true;
  if (openQuote(text)) return true;
  const heredoc = /<<(-?)\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/.exec(text);
  if (heredoc) {
    const lines = text.split('\n').slice(1);
    const word = heredoc[2]!;
    const tabs = heredoc[1] === '-';
    if (!lines.some((l) => (tabs ? l.replace(/^\t+/, '') : l) === word)) return true;
  }
  const words = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ' ').split(/[\s;&|()]+/);
  let depth = 0;
  for (const w of words) {
    if (w === 'if' || w === 'case' || w === 'for' || w === 'while' || w === 'until' || w === '{') depth++;
    else if (w === 'fi' || w === 'esac' || w === 'done' || w === '}') depth--;
  }
  return depth > 0;
}

function openQuote(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') i++;
    else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    }
  }
  return quote !== null;
}

/** Lines of one block split into commands; past this the rest stays one piece (bounded work). */
const MAX_SPLIT_LINES = 500;
const MAX_PIECE_CHARS = 16 * 1024;

/**
 * A block the shell read in one go (a multi-line paste, then Enter) as the commands it ran: one per
 * line, a line joined to the next only where the shell goes on reading (open quote, trailing `\`,
 * `do … done`, here-document), the rule for typed lines. Blank lines run nothing and are dropped.
 */
export function splitCommands(text: string): string[] {
  if (!text.includes('\n')) return [text];
  const lines = text.split('\n');
  const pieces: string[] = [];
  let acc: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (i >= MAX_SPLIT_LINES || (acc !== null && acc.length > MAX_PIECE_CHARS)) {
      acc = [acc ?? '', ...lines.slice(i)].join('\n');
      break;
    }
    const line = lines[i]!;
    if (acc === null && line.trim() === '') continue;
    acc = acc === null ? line : `${acc}\n${line}`;
    if (!needsContinuation(acc)) {
      pieces.push(acc);
      acc = null;
    }
  }
  if (acc !== null && acc.trim() !== '') pieces.push(acc);
  return pieces.length > 0 ? pieces : [text];
}
