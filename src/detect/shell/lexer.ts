/**
 * Tokenizer for one command line: words (quote-removed, see words.ts), control operators,
 * redirections (with their fd), newlines, and here-document bodies attached to their `<<` token.
 * Comments are dropped. Bounded by the caller's token budget; never throws.
 */
import { type ScannedWord, scanWord } from './words.ts';

export type Token =
  | ({ kind: 'word' } & ScannedWord)
  | { kind: 'op'; op: string }
  | { kind: 'redir'; op: string; fd: string; body?: string };

const operators = ['&&', '||', ';;&', ';;', ';&', '|&', '&', '|', ';', '(', ')', '\n'];
const redirections = ['<<<', '<<-', '&>>', '<<', '>>', '<&', '>&', '<>', '>|', '&>', '<', '>'];

function isOperatorStart(c: string): boolean {
  return c === '&' || c === '|' || c === ';' || c === '(' || c === ')';
}

function startsWithAt(src: string, i: number, s: string): boolean {
  return src.startsWith(s, i);
}

/** Tokenizes `src`; stops after `maxTokens` tokens (the rest is ignored, `truncated` says so). */
export function tokenize(src: string, maxTokens: number): { tokens: Token[]; truncated: boolean } {
  const tokens: Token[] = [];
  const pendingHeredocs: { token: Token & { kind: 'redir' }; delimiter: string; strip: boolean }[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    if (tokens.length >= maxTokens) return { tokens, truncated: true };
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', op: '\n' });
      i++;
      if (pendingHeredocs.length > 0) i = readHeredocs(src, i, pendingHeredocs.splice(0));
      continue;
    }
    // Process substitution is a word, not a redirection.
    if ((c === '<' || c === '>') && src[i + 1] === '(') {
      const word = scanWord(src, i);
      tokens.push({ kind: 'word', ...word });
      i = word.end;
      continue;
    }
    const fdMatch = c >= '0' && c <= '9' ? /^\d+(?=[<>])/.exec(src.slice(i, i + 12)) : null;
    const at = fdMatch ? i + fdMatch[0].length : i;
    const r0 = src[at];
    const redir =
      r0 === '<' || r0 === '>' || r0 === '&' ? redirections.find((r) => startsWithAt(src, at, r)) : undefined;
    if (redir) {
      const token = { kind: 'redir' as const, op: redir, fd: fdMatch?.[0] ?? '' };
      tokens.push(token);
      i = at + redir.length;
      if (redir === '<<' || redir === '<<-') {
        while (src[i] === ' ' || src[i] === '\t') i++;
        const word = scanWord(src, i);
        pendingHeredocs.push({ token, delimiter: word.value, strip: redir === '<<-' });
        i = word.end;
      }
      continue;
    }
    const op = isOperatorStart(c) ? operators.find((o) => startsWithAt(src, i, o)) : undefined;
    if (op) {
      tokens.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    const word = scanWord(src, i);
    if (word.end === i) {
      i++;
      continue;
    }
    tokens.push({ kind: 'word', ...word });
    i = word.end;
  }
  return { tokens, truncated: false };
}

/** Reads here-document bodies, in order, from the line starting at `i`; returns the index after them. */
function readHeredocs(
  src: string,
  i: number,
  pending: { token: { body?: string }; delimiter: string; strip: boolean }[],
): number {
  for (const doc of pending) {
    const lines: string[] = [];
    while (i < src.length) {
      const nl = src.indexOf('\n', i);
      const end = nl < 0 ? src.length : nl;
      let line = src.slice(i, end);
      i = nl < 0 ? src.length : nl + 1;
      if (doc.strip) line = line.replace(/^\t+/, '');
      if (line === doc.delimiter) break;
      lines.push(line);
    }
    doc.token.body = lines.join('\n');
  }
  return i;
}
