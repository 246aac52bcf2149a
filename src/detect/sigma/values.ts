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
import { moreSelective, regexLiterals } from './regex-literals.ts';

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
      const literals = regexLiterals(text);
      tests.push(regexTest(text, mods, literals));
      needs.push(literals);
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
 * A regex test that first looks for the literals any match must contain (one case-folded scan,
 * far cheaper than the RE2 pass); null literals: RE2 alone.
 */
function regexTest(pattern: string, mods: Set<string>, literals: string[] | null = null): ValueTest {
  const re = compileRegex(pattern, mods);
  if (!literals) return (v) => v !== undefined && re.test(v);
  const needed = new LiteralIndex([literals]);
  return (v) => v !== undefined && needed.has(v, true) && re.test(v);
}

/**
 * An OR-list of regular expressions. One case-folded automaton pass over the value finds the
 * patterns whose necessary literals occur; only those run on RE2 (patterns without a readable
 * literal always run). Lists with no readable literal at all run as one alternation: one linear DFA
 * pass instead of one per pattern (each compiled alone first, so a bad one is reported on its own).
 */
function regexList(patterns: string[], mods: Set<string>): CompiledValues {
  const compiled = patterns.map((p) => compileRegex(p, mods));
  const literals = patterns.map(regexLiterals);
  const anchors = anyOf(literals);
  const indexed = literals.flatMap((l, i) => (l ? [i] : []));
  // `\Q` quotes to the end of the pattern, so it would swallow a closing group: keep those apart.
  if (indexed.length === 0 && !patterns.some((p) => p.includes('\\Q')))
    return { test: regexTest(patterns.map((p) => `(?:${p})`).join('|'), mods), anchors };
  const always = literals.flatMap((l, i) => (l ? [] : [compiled[i]!]));
  const index = new LiteralIndex(indexed.map((i) => literals[i]!));
  const possible = indexed.map((i) => compiled[i]!);
  const seen = new Uint32Array(indexed.length);
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
    if (stamp === 1) seen.fill(0);
    found.length = 0;
    index.scan(v, note);
    for (let k = 0; k < found.length; k++) if (possible[found[k]!]!.test(v)) return true;
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
