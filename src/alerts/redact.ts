/**
 * Redaction of secrets in command text that leaves the system (notifications, excerpts): AWS keys,
 * tokens and passwords typed on command lines. Command text is attacker-controlled and up to 64 KiB,
 * so every built-in pattern is linear in the length of the text: a few hand-written scans (the
 * separators of `key=value`, the words of the line, `://`) and regular expressions that can only
 * start at a literal prefix or at the start of a run and read a bounded or non-overlapping stretch
 * from there (test/alerts/redact.test.ts times adversarial input). Patterns from the config go
 * through RE2 (linear time), since they are user input.
 */
import { RE2JS } from 're2js';

export const REDACTED = '[REDACTED]';

/** A stretch of the text to replace: [start, end). */
type Span = [number, number];

/** Key names that hold secrets (tested on keys of at most MAX_KEY characters). */
const SECRET_KEY =
  /secret|passw(?:or)?d|passphrase|pwd|token|api[_-]?key|access[_-]?key|private[_-]?key|auth|credential/i;
const MAX_KEY = 64;

// Character classes by code: a regular expression per character costs more than the rest of a scan.
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}
/** [A-Za-z0-9_.-] */
function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  );
}
/** `;`, `|` and `&` end a command. */
function isOperator(c: number): boolean {
  return c === 59 || c === 124 || c === 38;
}
/** Where an unquoted value ends: whitespace, a quote or an operator. */
function isValueEnd(c: number): boolean {
  return isSpace(c) || c === 34 || c === 39 || isOperator(c);
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
/** Authorization schemes: the credential is the word after them. */
const SCHEME = /^(?:bearer|basic|token|digest|negotiate)\s/i;

/** Regular expressions that are linear as written (see the file comment); the whole match is secret. */
const TOKENS: RegExp[] = [
  // AWS access key ids and the like: a literal prefix and a fixed length.
  /\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b/g,
  // GitHub, Slack and JWT-looking tokens; they start only where a run of their characters starts.
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,}/g,
  /(?<![A-Za-z0-9-])xox[abpr]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
];

/** With a first group kept: the rest of the match is secret. */
const KEEP_FIRST: RegExp[] = [
  // Authorization credentials anywhere: Bearer / Basic <credential>.
  /(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // mysql -pSECRET and the like (attached only: `-p 22` is a port or `mkdir -p`).
  /((?:^|\s)-p)[^\s'";&|]{3,}/g,
];

/** 40 characters of base64 alone (an AWS secret access key) with upper, lower case and digits. */
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function regexSpans(text: string, out: Span[]): void {
  for (const re of TOKENS) for (const m of text.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  for (const re of KEEP_FIRST)
    for (const m of text.matchAll(re)) out.push([m.index + m[1]!.length, m.index + m[0].length]);
  for (const m of text.matchAll(AWS_SECRET))
    if (/[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]) && /[0-9]/.test(m[0]))
      out.push([m.index, m.index + m[0].length]);
}

/** The end of the value starting at `i`: a quoted string (to its quote, or the end) or a word. */
function valueEnd(text: string, i: number): number {
  const q = text[i];
  if (q === '"' || q === "'") {
    const close = text.indexOf(q, i + 1);
    return close < 0 ? text.length : close + 1;
  }
  let j = i;
  while (j < text.length && !isValueEnd(text.charCodeAt(j))) j++;
  return j;
}

/**
 * `key=value` and `key: value` for secret-looking keys (env assignments, `--password=`, headers
 * such as `X-Api-Key: ...` and `Authorization: Bearer ...`). Each separator looks back over at most
 * the run of key characters before it (runs do not overlap) and a redacted value is skipped whole.
 */
function separatorSpans(text: string, out: Span[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if ((c !== 61 && c !== 58) || text.startsWith('//', i + 1)) {
      i++;
      continue;
    }
    let k = i;
    while (k > 0 && isBlank(text.charCodeAt(k - 1))) k--;
    const keyEnd = k;
    while (k > 0 && keyEnd - k < MAX_KEY && isKeyChar(text.charCodeAt(k - 1))) k--;
    // user:token@host in a URL is the URL scan's: it knows where the password ends.
    const inUrl = text.slice(Math.max(0, k - 3), k) === '://';
    if (keyEnd === k || inUrl || !SECRET_KEY.test(text.slice(k, keyEnd))) {
      i++;
      continue;
    }
    let v = i + 1;
    while (v < text.length && isBlank(text.charCodeAt(v))) v++;
    const scheme = SCHEME.exec(text.slice(v, v + 12));
    if (scheme) {
      v += scheme[0].length;
      while (v < text.length && isBlank(text.charCodeAt(v))) v++;
    }
    const end = valueEnd(text, v);
    if (end > v) out.push([v, end]);
    i = Math.max(i + 1, end);
  }
}

/** scheme://user:password@host: the password. */
function urlSpans(text: string, out: Span[]): void {
  const userPass = /([^\s:/@]{1,256}):([^\s@/]{1,256})@/y;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    userPass.lastIndex = at + 3;
    const m = userPass.exec(text);
    if (m) out.push([at + 4 + m[1]!.length, at + 3 + m[0].length - 1]);
  }
}

interface Word {
  start: number;
  end: number;
  /** Without quotes. */
  text: string;
}

/** The line's words (quotes kept together); `;`, `|`, `&` separate commands and are null. */
function words(text: string): (Word | null)[] {
  const out: (Word | null)[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (isOperator(c)) {
      out.push(null);
      i++;
    } else {
      const start = i;
      let quoted = false;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (isSpace(d) || isOperator(d)) break;
        if (d === 34 || d === 39) {
          quoted = true;
          const close = text.indexOf(text[i]!, i + 1);
          i = close < 0 ? text.length : close + 1;
        } else i++;
      }
      const raw = text.slice(start, i);
      out.push({ start, end: i, text: quoted ? raw.replace(/["']/g, '') : raw });
    }
  }
  return out;
}

const SECRET_FLAG =
  /^--?(?!no-)(?:[A-Za-z0-9]+-){0,8}(?:password|passwd|pass|passphrase|token|secret|api-?key|access-?key|secret-?key|credentials?)$/i;
const USER_FLAGS = new Set(['-u', '-U', '--user', '--proxy-user']);
const SETTERS = new Set(['set', 'config', '--global', '--local', '--system']);

/**
 * Secrets given as the next word: `--password x`, `--token x`; `curl -u user:pass` (and --user);
 * `sshpass -p x`; `aws configure set aws_secret_access_key x` (and `git config`, `npm config set`
 * with a secret-looking name); `htpasswd -b file user password`.
 */
function wordSpans(text: string, out: Span[]): void {
  const list = words(text);
  let command: string | null = null;
  let positional = 0;
  let htpasswdBatch = false;
  for (let i = 0; i < list.length; i++) {
    const w = list[i];
    if (!w) {
      command = null;
      continue;
    }
    const name = w.text.slice(w.text.lastIndexOf('/') + 1);
    const wrapper = command === 'sudo' || command === 'env';
    if (command === null || (wrapper && !w.text.startsWith('-') && !w.text.includes('='))) {
      command = name;
      positional = 0;
      htpasswdBatch = false;
      continue;
    }
    const n = list[i + 1] ?? null;
    if (w.text.length <= 64 && SECRET_FLAG.test(w.text)) {
      if (n) out.push([n.start, n.end]);
    } else if (USER_FLAGS.has(w.text)) {
      if (n) userPass(n);
    } else if (/^--(?:proxy-)?user=/.test(w.text)) userPass(w);
    else if (command === 'sshpass' && w.text === '-p') {
      if (n) out.push([n.start, n.end]);
    } else if (
      n &&
      SETTERS.has(list[i - 1]?.text ?? '') &&
      w.text.length <= 128 &&
      !/[=\s]/.test(w.text) &&
      SECRET_KEY.test(w.text)
    )
      out.push([n.start, n.end]);
    if (command === 'htpasswd') {
      if (w.text.startsWith('-')) htpasswdBatch ||= /^-[A-Za-z]*b/.test(w.text);
      else if (++positional === 3 && htpasswdBatch) out.push([w.start, w.end]);
    }
  }
  /** user:password: the password (uid:gid, as in `docker -u 1000:1000`, is no secret). */
  function userPass(w: Word): void {
    const raw = text.slice(w.start, w.end);
    const colon = raw.indexOf(':');
    const end = w.end - (/["']$/.test(raw) ? 1 : 0);
    if (colon < 0 || w.start + colon + 1 >= end || /^\d+:\d+$/.test(w.text)) return;
    out.push([w.start + colon + 1, end]);
  }
}

/** Replaces the spans (merged where they overlap) with REDACTED. */
function apply(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of merged) {
    out += `${text.slice(at, start)}${REDACTED}`;
    at = end;
  }
  return out + text.slice(at);
}

export type Redactor = (text: string) => string;

/**
 * A redactor with the built-in patterns and the configured ones (RE2 syntax; the whole match is
 * replaced). Throws on a configured pattern RE2 cannot compile, naming it by position only.
 *
 * @example createRedactor([])('mysql -u root -phunter22') // 'mysql -u root -p[REDACTED]'
 */
export function createRedactor(extra: string[]): Redactor {
  const custom = extra.map((p, i) => {
    try {
      return RE2JS.compile(p);
    } catch {
      throw new Error(`detection.redactPatterns[${i}] is not a valid RE2 pattern`);
    }
  });
  return function redact(text: string): string {
    const spans: Span[] = [];
    regexSpans(text, spans);
    separatorSpans(text, spans);
    urlSpans(text, spans);
    wordSpans(text, spans);
    let out = apply(text, spans);
    for (const re of custom) out = re.matcher(out).replaceAll(REDACTED);
    return out;
  };
}
