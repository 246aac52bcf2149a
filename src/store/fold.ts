/**
 * Case folding and highlighting for command search. The match rule is: a command matches when
 * `foldCase(text)` contains `foldCase(query)` as a substring. `foldCase` lower-cases one UTF-16 unit
 * at a time and only when that keeps the length and never maps a non-ASCII character to ASCII, so
 * offsets in the folded text are offsets in the original (highlighting needs that) and an ASCII-only
 * query can be checked in SQL with `instr(lower(text), ?)`, which folds ASCII only.
 */

const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  const lower = ch.toLowerCase();
  const folded = lower.length === 1 && (ch.charCodeAt(0) < 0x80 || lower.charCodeAt(0) >= 0x80) ? lower : ch;
  if (foldCache.size < 4096) foldCache.set(ch, folded);
  return folded;
}

export function foldCase(text: string): string {
  // Fast path: plain ASCII needs no per-character work.
  if (isAscii(text)) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldChar(text[i]!);
  return out;
}

/** True when every character is ASCII. */
export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

/** Non-overlapping [start, end) ranges where `needle` occurs in `text`, case-insensitively. */
export function matchRanges(text: string, needle: string, max = 64): [number, number][] {
  if (!needle) return [];
  const hay = foldCase(text);
  const folded = foldCase(needle);
  const ranges: [number, number][] = [];
  for (
    let at = hay.indexOf(folded);
    at !== -1 && ranges.length < max;
    at = hay.indexOf(folded, at + folded.length)
  ) {
    ranges.push([at, at + folded.length]);
  }
  return ranges;
}

export const HIGHLIGHT_OPEN = '«';
export const HIGHLIGHT_CLOSE = '»';

/** A piece of a snippet: plain text or a match. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * At most `width` characters of `text` around the first match, split into plain and matched parts;
 * `cutStart` / `cutEnd` say whether text was left out before or after.
 */
export function snippetParts(
  text: string,
  needle: string | undefined,
  width = 160,
): { parts: SnippetPart[]; cutStart: boolean; cutEnd: boolean } {
  const ranges = needle ? matchRanges(text, needle) : [];
  let start = 0;
  if (text.length > width && ranges.length > 0) {
    const [first, firstEnd] = ranges[0]!;
    start = Math.max(0, Math.min(first - Math.floor((width - (firstEnd - first)) / 3), text.length - width));
  }
  const end = Math.min(text.length, start + width);
  const parts: SnippetPart[] = [];
  let cursor = start;
  for (const [s, e] of ranges) {
    if (e <= start || s >= end) continue;
    const from = Math.max(s, start);
    const to = Math.min(e, end);
    if (from > cursor) parts.push({ text: text.slice(cursor, from), match: false });
    parts.push({ text: text.slice(from, to), match: true });
    cursor = to;
  }
  if (end > cursor) parts.push({ text: text.slice(cursor, end), match: false });
  return { parts, cutStart: start > 0, cutEnd: end < text.length };
}

/** The snippet as one string: matches wrapped in « », cut ends marked with …. */
export function snippet(text: string, needle: string | undefined, width = 160): string {
  const { parts, cutStart, cutEnd } = snippetParts(text, needle, width);
  const body = parts.map((p) => (p.match ? `${HIGHLIGHT_OPEN}${p.text}${HIGHLIGHT_CLOSE}` : p.text)).join('');
  return `${cutStart ? '…' : ''}${body}${cutEnd ? '…' : ''}`;
}
