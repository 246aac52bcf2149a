/**
 * One `Field|modifiers: values` entry of a Sigma selection as a test over a field value, plus the
 * literals a match must contain (for the prefilter). Case-insensitive unless `cased`; lists are OR
 * unless `all`; `re` runs on RE2 (linear time) and is case-sensitive unless `re|i`, as in Sigma.
 */
import { RE2JS } from 're2js';
import { cidrTester } from './cidr.ts';
import { UnsupportedRule } from './errors.ts';
import { anchorGlob, type Glob, globTester, lowerGlob, parseGlob, requiredLiteral } from './pattern.ts';
import { LiteralIndex } from './prefilter.ts';
import { caseSensitive, moreSelective, regexLiterals, regexNeeds } from './regex-literals.ts';

/** Tests one field value (undefined when the event has no such field). */
export type ValueTest = (value: string | undefined, lower: string | undefined) => boolean;

export interface CompiledValues {
  test: ValueTest;
  /** Lowercase literals, one of which every match contains; null when none can be promised. */
  anchors: string[] | null;
}

const known = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'cased',
  'windash',
  'base64',
  'base64offset',
  'lt',
  'lte',
  'gt',
  'gte',
]);

type Scalar = string | number | boolean | null;

function asList(value: unknown): Scalar[] {
  const list = Array.isArray(value) ? value : [value];
  for (const v of list) {
    if (v !== null && typeof v === 'object') throw new UnsupportedRule('nested maps or lists as values');
  }
  return list as Scalar[];
}

const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** Expands one value into the strings it stands for (windash variants, base64 forms). */
function variants(value: string, mods: Set<string>): string[] {
  let out = [value];
  if (mods.has('windash')) out = dashes.map((d) => value.replace(/(^|\s)-/g, `$1${d}`));
  if (mods.has('base64')) out = out.map((v) => Buffer.from(v).toString('base64'));
  if (mods.has('base64offset')) {
    out = out.flatMap((v) =>
      [0, 1, 2].map((offset) => {
        const encoded = Buffer.from(' '.repeat(offset) + v).toString('base64');
        const start = [0, 2, 3][offset]!;
        const end = [0, -3, -2][(v.length + offset) % 3]!;
        return encoded.slice(start, end === 0 ? undefined : end);
      }),
    );
  }
  return out;
}

/** Compiles `values` under `modifiers` (the key's `|`-separated parts after the field name). */
export function compileValues(modifiers: string[], raw: unknown): CompiledValues {
  for (const m of modifiers) if (!known.has(m)) throw new UnsupportedRule(`modifier "${m}"`);
  const mods = new Set(modifiers);
  const values = asList(raw);
  if (mods.has('exists')) {
    const want = values[0] === true || values[0] === 'true';
    return { test: (v) => (v !== undefined && v !== '') === want, anchors: null };
  }
  const tests: ValueTest[] = [];
  if (mods.has('re') && !mods.has('all') && values.length > 1 && values.every((v) => v !== null))
    return regexList(values.map(String), mods);
  const many = containsList(values, mods) ?? globList(values, mods);
  if (many) return many;
  // Per value, the literals one of which its match contains (null: none can be promised).
  const needs: (string[] | null)[] = [];
  for (const value of values) {
    if (value === null) {
      tests.push((v) => v === undefined || v === '');
      needs.push(null);
      continue;
    }
    const text = String(value);
    if (mods.has('re')) {
      tests.push(regexTest(text, mods));
      needs.push(regexLiterals(text));
    } else if (mods.has('cidr')) {
      const inRange = cidrTester(text);
      tests.push((v) => v !== undefined && inRange(v));
      needs.push(null);
    } else if (mods.has('lt') || mods.has('lte') || mods.has('gt') || mods.has('gte')) {
      tests.push(numericTest(Number(text), mods));
      needs.push(null);
    } else {
      const compiled = globValue(text, mods);
      tests.push(compiled.test);
      // Variants (windash, base64offset) are alternatives: one of them is in any match.
      needs.push(compiled.anchors.some((a) => a.length === 0) ? null : compiled.anchors);
    }
  }
  const all = mods.has('all') && tests.length > 1;
  // Plain loops: a closure allocated per call would be garbage per event and rule.
  const test: ValueTest = all
    ? (v, l) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i]!(v, l)) return false;
        return true;
      }
    : tests.length === 1
      ? tests[0]!
      : (v, l) => {
          for (let i = 0; i < tests.length; i++) if (tests[i]!(v, l)) return true;
          return false;
        };
  // With `all`, every value's set is necessary: keep the most selective; otherwise any value may match.
  return { test, anchors: all ? needs.reduce(moreSelective, null) : anyOf(needs) };
}

/** Lists this long or longer of plain `contains` values run as one automaton pass. */
const AUTOMATON_FROM = 4;

/**
 * A long OR-list of plain case-insensitive `contains` values (no wildcards, ASCII) as one
 * Aho-Corasick pass over the lowercased value instead of one substring search per value: exactly
 * "some value is a substring", since the pass restarts on every character outside ASCII.
 */
function containsList(values: Scalar[], mods: Set<string>): CompiledValues | null {
  if (values.length < AUTOMATON_FROM || !mods.has('contains')) return null;
  for (const m of mods) if (m !== 'contains') return null;
  const literals: string[] = [];
  for (const value of values) {
    if (value === null) return null;
    const glob = parseGlob(String(value));
    const only = glob.segments[0]!;
    if (glob.segments.length !== 1 || glob.anchoredStart !== glob.anchoredEnd) return null;
    const literal = only.toLowerCase();
    if (literal.length === 0 || !/^[\x00-\x7f]+$/.test(literal)) return null;
    literals.push(literal);
  }
  // A `?` wildcard is stored as a private-use character: outside ASCII, refused above.
  const index = new LiteralIndex([literals]);
  return { test: (_v, l) => l !== undefined && index.has(l, false), anchors: [...new Set(literals)] };
}

/** Modifiers a glob list may carry and still be indexed (one glob per value, no variants). */
const globListMods = new Set(['contains', 'startswith', 'endswith', 'cased']);

/**
 * A long OR-list of wildcard values (SigmaHQ keyword lists): one case-folded automaton pass over
 * the value finds the values whose necessary literal occurs, and only those globs are tested
 * (values without a literal, like `*`, always are). A superset pass, then the exact test.
 */
function globList(values: Scalar[], mods: Set<string>): CompiledValues | null {
  if (values.length < AUTOMATON_FROM) return null;
  for (const m of mods) if (!globListMods.has(m)) return null;
  if (values.some((v) => v === null)) return null;
  const compiled = values.map((v) => globValue(String(v), mods));
  // The automaton indexes ASCII only: a value whose literal is empty or not ASCII is always tested.
  const indexable = (c: { anchors: string[] }) => c.anchors[0] !== '' && /^[\x00-\x7f]+$/.test(c.anchors[0]!);
  const always = compiled.filter((c) => !indexable(c)).map((c) => c.test);
  const indexed = compiled.filter(indexable);
  const index = new LiteralIndex(indexed.map((c) => c.anchors));
  const cased = mods.has('cased');
  const seen = new Uint32Array(indexed.length);
  const found: number[] = [];
  let stamp = 0;
  const note = (g: number) => {
    if (seen[g] !== stamp) {
      seen[g] = stamp;
      found.push(g);
    }
  };
  const test: ValueTest = (v, l) => {
    const hay = cased ? v : l;
    if (hay === undefined) return false;
    for (let i = 0; i < always.length; i++) if (always[i]!(v, l)) return true;
    stamp = (stamp + 1) >>> 0 || 1;
    if (stamp === 1) seen.fill(0);
    found.length = 0;
    index.scan(hay, note);
    for (let k = 0; k < found.length; k++) if (indexed[found[k]!]!.test(v, l)) return true;
    return false;
  };
  const anchors = always.length > 0 ? null : [...new Set(indexed.flatMap((c) => c.anchors))];
  return { test, anchors };
}

/** One literal from each set is necessary for an OR of them: their union, or null if any is null. */
function anyOf(sets: (string[] | null)[]): string[] | null {
  if (sets.some((s) => s === null)) return null;
  return [...new Set(sets.flat() as string[])];
}

function globValue(text: string, mods: Set<string>): { test: ValueTest; anchors: string[] } {
  const anchor = mods.has('contains')
    ? 'contains'
    : mods.has('startswith')
      ? 'startswith'
      : mods.has('endswith')
        ? 'endswith'
        : 'exact';
  const cased = mods.has('cased');
  const globs: Glob[] = variants(text, mods).map((v) => {
    const g = anchorGlob(parseGlob(v), anchor);
    return cased ? g : lowerGlob(g);
  });
  const testers = globs.map(globTester);
  const anchors = globs.map((g) => requiredLiteral(g).toLowerCase());
  const one =
    testers.length === 1
      ? testers[0]!
      : (v: string) => {
          for (let i = 0; i < testers.length; i++) if (testers[i]!(v)) return true;
          return false;
        };
  const test: ValueTest = cased ? (v) => v !== undefined && one(v) : (_v, l) => l !== undefined && one(l);
  return { test, anchors };
}

/**
 * The literal gate in front of one regular expression: a literal of every necessary set the reader
 * can vouch for must occur in the value (one case-folded automaton pass), and, when RE2 runs the
 * pattern case-sensitively, as written too (substring checks, reached only past the first pass).
 * SigmaHQ's pnscan `-(W|R)...` then no longer runs RE2 on every `rm -rf`, nor `\bfind\s+/var/log`
 * on every line that reads a log. Null when nothing can be promised (RE2 alone then).
 */
function regexGate(pattern: string, mods: Set<string>): ((v: string) => boolean) | null {
  const sets = regexNeeds(pattern);
  if (!sets) return null;
  const index = new LiteralIndex(sets);
  const exact = caseSensitive(pattern, mods.has('i')) ? regexNeeds(pattern, false) : null;
  if (!exact) return (v) => index.hasAll(v);
  return (v) => index.hasAll(v) && holdsAll(exact, v);
}

/** True when `v` holds a literal of every set, as written. */
function holdsAll(sets: string[][], v: string): boolean {
  for (let s = 0; s < sets.length; s++) {
    const set = sets[s]!;
    let found = false;
    for (let i = 0; i < set.length && !found; i++) found = v.includes(set[i]!);
    if (!found) return false;
  }
  return true;
}

/** A regex test behind its literal gate (see regexGate): RE2 runs only on values that pass it. */
function regexTest(pattern: string, mods: Set<string>): ValueTest {
  const re = compileRegex(pattern, mods);
  const gate = regexGate(pattern, mods);
  if (!gate) return (v) => v !== undefined && re.test(v);
  return (v) => v !== undefined && gate(v) && re.test(v);
}

/**
 * An OR-list of regular expressions. One case-folded automaton pass over the value finds which
 * necessary sets occur; only the patterns with a literal of each of theirs (and, case-sensitive
 * ones, as written) run on RE2 (patterns without a readable literal always run). Lists with no
 * readable literal at all run as one alternation: one linear DFA pass instead of one per pattern
 * (each compiled alone first, so a bad one is reported on its own).
 */
function regexList(patterns: string[], mods: Set<string>): CompiledValues {
  const compiled = patterns.map((p) => compileRegex(p, mods));
  const needs = patterns.map((p) => regexNeeds(p));
  const anchors = anyOf(needs.map((n) => n?.[0] ?? null));
  const indexed = needs.flatMap((n, i) => (n ? [i] : []));
  // `\Q` quotes to the end of the pattern, so it would swallow a closing group: keep those apart.
  if (indexed.length === 0 && !patterns.some((p) => p.includes('\\Q')))
    return { test: regexTest(patterns.map((p) => `(?:${p})`).join('|'), mods), anchors };
  const always = needs.flatMap((n, i) => (n ? [] : [compiled[i]!]));
  // The automaton's groups: every necessary set of every indexed pattern, pattern after pattern.
  const groups: string[][] = [];
  const groupPattern: number[] = [];
  const first: number[] = [];
  for (let k = 0; k < indexed.length; k++) {
    first.push(groups.length);
    for (const set of needs[indexed[k]!]!) {
      groups.push(set);
      groupPattern.push(k);
    }
  }
  first.push(groups.length);
  const exact = indexed.map((i) =>
    caseSensitive(patterns[i]!, mods.has('i')) ? regexNeeds(patterns[i]!, false) : null,
  );
  const index = new LiteralIndex(groups);
  const possible = indexed.map((i) => compiled[i]!);
  const seen = new Uint32Array(groups.length);
  const tried = new Uint32Array(indexed.length);
  const found: number[] = [];
  let stamp = 0;
  const note = (g: number) => {
    if (seen[g] !== stamp) {
      seen[g] = stamp;
      found.push(g);
    }
  };
  const test: ValueTest = (v) => {
    if (v === undefined) return false;
    for (let i = 0; i < always.length; i++) if (always[i]!.test(v)) return true;
    stamp = (stamp + 1) >>> 0 || 1;
    if (stamp === 1) {
      seen.fill(0);
      tried.fill(0);
    }
    found.length = 0;
    index.scan(v, note);
    for (let f = 0; f < found.length; f++) {
      const k = groupPattern[found[f]!]!;
      if (tried[k] === stamp) continue;
      tried[k] = stamp;
      let all = true;
      for (let g = first[k]!; g < first[k + 1]! && all; g++) all = seen[g] === stamp;
      if (!all) continue;
      const cased = exact[k];
      if (cased && !holdsAll(cased, v)) continue;
      if (possible[k]!.test(v)) return true;
    }
    return false;
  };
  return { test, anchors };
}

function compileRegex(pattern: string, mods: Set<string>): RE2JS {
  let flags = 0;
  if (mods.has('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (mods.has('m')) flags |= RE2JS.MULTILINE;
  if (mods.has('s')) flags |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, flags);
  } catch (error) {
    throw new UnsupportedRule(
      `regular expression RE2 cannot run in linear time: ${(error as Error).message}`,
    );
  }
  return re;
}

function numericTest(limit: number, mods: Set<string>): ValueTest {
  if (Number.isNaN(limit)) throw new UnsupportedRule('numeric comparison with a non-number');
  return (v) => {
    if (v === undefined || v === '') return false;
    const n = Number(v);
    if (Number.isNaN(n)) return false;
    return mods.has('lt')
      ? n < limit
      : mods.has('lte')
        ? n <= limit
        : mods.has('gt')
          ? n > limit
          : n >= limit;
  };
}
