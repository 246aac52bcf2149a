/**
 * Sigma string values as matchers: wildcards `*` and `?` with the escapes `\*`, `\?` and `\\` (any
 * other backslash is literal), anchored by `contains` / `startswith` / `endswith`. Matching is a
 * linear scan of literal segments (greedy leftmost placement is exact for `*`-separated segments),
 * never a backtracking regex, so a rule cannot stall the worker.
 */

/** A parsed glob: literal segments separated by `*`; a `?` inside a segment matches one character. */
export interface Glob {
  segments: string[];
  /** No leading `*`: the first segment must match at the start. */
  anchoredStart: boolean;
  /** No trailing `*`: the last segment must match at the end. */
  anchoredEnd: boolean;
}

/** `?` inside segments is stored as this private-use character. */
const ANY = '\uE000';

/** Parses a Sigma value's wildcards and escapes into a glob (no anchoring added yet). */
export function parseGlob(value: string): Glob {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length && '*?\\'.includes(value[i + 1]!)) current += value[++i];
    else if (c === '*') {
      parts.push(current);
      current = '';
    } else current += c === '?' ? ANY : c;
  }
  parts.push(current);
  const anchoredStart = parts.length === 1 || parts[0] !== '';
  const anchoredEnd = parts.length === 1 || parts[parts.length - 1] !== '';
  const segments = parts.filter((s) => s !== '');
  return { segments: segments.length > 0 ? segments : [''], anchoredStart, anchoredEnd };
}

/** Applies a `contains` / `startswith` / `endswith` anchor to a parsed glob. */
export function anchorGlob(glob: Glob, anchor: 'exact' | 'contains' | 'startswith' | 'endswith'): Glob {
  return {
    segments: glob.segments,
    anchoredStart: glob.anchoredStart && (anchor === 'exact' || anchor === 'startswith'),
    anchoredEnd: glob.anchoredEnd && (anchor === 'exact' || anchor === 'endswith'),
  };
}

/** The longest literal run a match must contain (for the prefilter), or '' when there is none. */
export function requiredLiteral(glob: Glob): string {
  let best = '';
  for (const segment of glob.segments) {
    for (const run of segment.split(ANY)) if (run.length > best.length) best = run;
  }
  return best;
}

export function lowerGlob(glob: Glob): Glob {
  return { ...glob, segments: glob.segments.map((s) => s.toLowerCase()) };
}

function indexOfWithAny(hay: string, needle: string, from: number): number {
  if (!needle.includes(ANY)) return hay.indexOf(needle, from);
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) {
      const n = needle[k];
      if (n !== ANY && n !== hay[i + k]) continue outer;
    }
    return i;
  }
  return -1;
}

function matchesAt(hay: string, needle: string, at: number): boolean {
  if (at < 0 || at + needle.length > hay.length) return false;
  if (!needle.includes(ANY)) return hay.startsWith(needle, at);
  return indexOfWithAny(hay.slice(at, at + needle.length), needle, 0) === 0;
}

/** Builds the fastest test for a glob: equality, includes, startsWith, endsWith, or a segment walk. */
export function globTester(glob: Glob): (value: string) => boolean {
  const { segments, anchoredStart, anchoredEnd } = glob;
  const hasAny = segments.some((s) => s.includes(ANY));
  if (segments.length === 1 && !hasAny) {
    const only = segments[0]!;
    if (anchoredStart && anchoredEnd) return (v) => v === only;
    if (anchoredStart) return (v) => v.startsWith(only);
    if (anchoredEnd) return (v) => v.endsWith(only);
    return (v) => v.includes(only);
  }
  return (v) => matchGlob(v, segments, anchoredStart, anchoredEnd);
}

function matchGlob(v: string, segments: string[], anchoredStart: boolean, anchoredEnd: boolean): boolean {
  if (segments.length === 1) {
    const s = segments[0]!;
    if (anchoredStart && anchoredEnd) return v.length === s.length && matchesAt(v, s, 0);
    if (anchoredStart) return matchesAt(v, s, 0);
    if (anchoredEnd) return matchesAt(v, s, v.length - s.length);
    return indexOfWithAny(v, s, 0) >= 0;
  }
  let pos = 0;
  let first = 0;
  let last = segments.length;
  if (anchoredStart) {
    if (!matchesAt(v, segments[0]!, 0)) return false;
    pos = segments[0]!.length;
    first = 1;
  }
  let end = v.length;
  if (anchoredEnd) {
    const tail = segments[segments.length - 1]!;
    end = v.length - tail.length;
    if (end < pos || !matchesAt(v, tail, end)) return false;
    last = segments.length - 1;
  }
  for (let i = first; i < last; i++) {
    const s = segments[i]!;
    if (s === '') continue;
    const at = indexOfWithAny(v, s, pos);
    if (at < 0 || at + s.length > end) return false;
    pos = at + s.length;
  }
  return true;
}
