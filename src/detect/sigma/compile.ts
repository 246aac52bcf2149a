/**
 * Compiles a Sigma rule's detection into one closure over a match target, and works out the
 * literals any match must contain so the evaluator can skip the rule on lines without them.
 * Anything the evaluator cannot honour exactly throws UnsupportedRule (the rule is skipped whole).
 */
import { type Condition, expandQuantifiers, parseCondition } from './condition.ts';
import { UnsupportedRule, within } from './errors.ts';
import { compileValues } from './values.ts';

/** Fields of a process_creation event, then the session fields rules written for shelltrail use. */
export const FIELDS = [
  'Image',
  'CommandLine',
  'ParentImage',
  'ParentCommandLine',
  'User',
  'CurrentDirectory',
  'Target',
  'Actor',
  'Principal',
  'Account',
  'Region',
] as const;
type FieldIndex = ReadonlyMap<string, number>;
const processFields: FieldIndex = indexFields(FIELDS);

/** Field name (lowercased) -> position, for a log source's field list. */
export function indexFields(fields: readonly string[]): FieldIndex {
  return new Map(fields.map((f, i) => [f.toLowerCase(), i]));
}
const COMMAND_LINE = 1;
const IMAGE = 0;
const PARENT_IMAGE = 2;
/** Prefix of an anchor that must occur in Image or ParentImage (see LiteralIndex use in evaluate.ts). */
export const IMAGE_MARK = '\u0001';

/** What a compiled selection looks at: event fields, or the texts keyword rules search. */
export interface MatchTarget {
  value(field: number): string | undefined;
  lower(field: number): string | undefined;
  /** Texts keyword selections search (lowercased when `lower`). */
  texts(lower: boolean): readonly string[];
}

export type RuleKind = 'process' | 'keyword';

export interface CompiledDetection {
  test: (target: MatchTarget) => boolean;
  /** The most selective necessary set: one of these literals is in every match (null: none known). */
  anchors: string[] | null;
  /**
   * Necessary sets that must all be present (one literal of each): what the prefilter checks. Empty
   * or null when nothing can be promised (a `not`-only condition, a regex it cannot read).
   */
  anchorGroups: string[][] | null;
}

interface Compiled {
  test: (t: MatchTarget) => boolean;
  /** Sets of literals, each necessary (AND of ORs); null when none. */
  groups: string[][] | null;
}

/** Most groups kept per rule: the most selective ones (each further one rarely prunes more). */
const MAX_GROUPS = 3;

function score(set: string[]): number {
  return Math.min(...set.map((x) => x.length)) * 4 - set.length;
}

/** AND: every part's groups are necessary. */
function allOf(parts: (string[][] | null)[]): string[][] | null {
  const groups = parts.flatMap((p) => p ?? []);
  if (groups.length === 0) return null;
  return groups.sort((a, b) => score(b) - score(a)).slice(0, MAX_GROUPS);
}

/** OR: one part matches, so only the union of one group from each is necessary. */
function anyOf(parts: (string[][] | null)[]): string[][] | null {
  if (parts.length === 0 || parts.some((p) => p === null || p.length === 0)) return null;
  return [[...new Set(parts.flatMap((p) => p![0]!))]];
}

type Test = (t: MatchTarget) => boolean;

/** AND of tests as a plain loop: no closure allocated per call (this runs per event and rule). */
function every(tests: Test[]): Test {
  return (t) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(t)) return false;
    return true;
  };
}

/** OR of tests as a plain loop. */
function some(tests: Test[]): Test {
  return (t) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(t)) return true;
    return false;
  };
}

function single(set: string[] | null): string[][] | null {
  return set ? [set] : null;
}

function compileKeywords(values: unknown, kind: RuleKind, modifiers: string[]): Compiled {
  // Keywords match anywhere (implicit contains) unless they are regular expressions.
  const entry = compileValues(modifiers.includes('re') ? modifiers : ['contains', ...modifiers], values);
  if (kind === 'process') {
    return {
      test: (t) => entry.test(t.value(COMMAND_LINE), t.lower(COMMAND_LINE)),
      groups: single(entry.anchors),
    };
  }
  return {
    test: (t) => {
      const raw = t.texts(false);
      const low = t.texts(true);
      for (let i = 0; i < raw.length; i++) if (entry.test(raw[i], low[i])) return true;
      return false;
    },
    groups: single(entry.anchors),
  };
}

function compileMap(map: Record<string, unknown>, kind: RuleKind, fieldIndex: FieldIndex): Compiled {
  const parts: Compiled[] = [];
  for (const [key, values] of Object.entries(map))
    parts.push(within(key, () => compileField(key, values, kind, fieldIndex)));
  if (parts.length === 0) throw new UnsupportedRule('empty selection');
  const tests = parts.map((p) => p.test);
  return {
    test: tests.length === 1 ? tests[0]! : every(tests),
    groups: allOf(parts.map((p) => p.groups)),
  };
}

/** One `field|modifiers: values` entry of a selection map. */
function compileField(key: string, values: unknown, kind: RuleKind, fieldIndex: FieldIndex): Compiled {
  const [field = '', ...modifiers] = key.split('|');
  if (field === '') return compileKeywords(values, kind, modifiers);
  if (kind === 'keyword')
    throw new UnsupportedRule(`field "${field}" in a keyword rule (this log has no fields)`);
  const index = fieldIndex.get(field.toLowerCase());
  if (index === undefined)
    throw new UnsupportedRule(
      `field "${field}" is not in ${fieldIndex === processFields ? "shelltrail's process_creation events" : 'this log source'}`,
    );
  const entry = compileValues(modifiers, values);
  // Image and ParentImage literals are marked: the prefilter looks for them in the resolved
  // image paths only, so a literal like `/usr/bin/` is not found in every line's image.
  const anchors =
    fieldIndex === processFields && (index === IMAGE || index === PARENT_IMAGE)
      ? (entry.anchors?.map((a) => IMAGE_MARK + a) ?? null)
      : entry.anchors;
  return { test: (t) => entry.test(t.value(index), t.lower(index)), groups: single(anchors) };
}

function compileSelection(value: unknown, kind: RuleKind, fieldIndex: FieldIndex): Compiled {
  if (value === null || value === undefined) throw new UnsupportedRule('empty selection');
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return compileKeywords(value, kind, []);
    const items = value.map((v, i) =>
      within(i, () => {
        if (v === null || typeof v !== 'object' || Array.isArray(v))
          throw new UnsupportedRule('mixed list selection');
        return compileMap(v as Record<string, unknown>, kind, fieldIndex);
      }),
    );
    const tests = items.map((i) => i.test);
    return { test: some(tests), groups: anyOf(items.map((i) => i.groups)) };
  }
  if (typeof value === 'object') return compileMap(value as Record<string, unknown>, kind, fieldIndex);
  return compileKeywords([value], kind, []);
}

function compileCondition(c: Condition, selections: Map<string, Compiled>): Compiled {
  switch (c.kind) {
    case 'id':
      return selections.get(c.name)!;
    case 'not': {
      const inner = compileCondition(c.item, selections).test;
      return { test: (t) => !inner(t), groups: null };
    }
    case 'and': {
      const items = c.items.map((i) => compileCondition(i, selections));
      const tests = items.map((i) => i.test);
      return {
        test: every(tests),
        groups: allOf(items.map((i) => i.groups)),
      };
    }
    case 'or': {
      const items = c.items.map((i) => compileCondition(i, selections));
      const tests = items.map((i) => i.test);
      return { test: some(tests), groups: anyOf(items.map((i) => i.groups)) };
    }
    case 'of':
      throw new UnsupportedRule('unexpanded quantifier');
  }
}

/**
 * Compiles a rule's `detection` block for a process_creation or keyword log; `fields` names the
 * fields of another log source (scheduled rules over shelltrail's own logs), in MatchTarget order.
 */
export function compileDetection(
  detection: unknown,
  kind: RuleKind,
  fields: FieldIndex = processFields,
): CompiledDetection {
  return within('detection', () => compileDetectionBlock(detection, kind, fields));
}

function compileDetectionBlock(detection: unknown, kind: RuleKind, fields: FieldIndex): CompiledDetection {
  if (!detection || typeof detection !== 'object') throw new UnsupportedRule('no detection block');
  const { condition, timeframe, ...rest } = detection as Record<string, unknown>;
  if (timeframe !== undefined)
    throw new UnsupportedRule('timeframe (correlation) in detection', ['timeframe']);
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (conditions.length === 0 || conditions.some((c) => typeof c !== 'string'))
    throw new UnsupportedRule('missing or non-text condition', ['condition']);
  const selections = new Map<string, Compiled>();
  for (const [name, value] of Object.entries(rest))
    selections.set(
      name,
      within(name, () => compileSelection(value, kind, fields)),
    );
  const names = [...selections.keys()];
  const parsed = conditions.map((c, i) =>
    within('condition', () =>
      Array.isArray(condition)
        ? within(i, () => expandQuantifiers(parseCondition(c as string), names))
        : expandQuantifiers(parseCondition(c as string), names),
    ),
  );
  const compiled = compileCondition(
    parsed.length === 1 ? parsed[0]! : { kind: 'or', items: parsed },
    selections,
  );
  // Only non-empty ASCII literals can be indexed: a group with any other is dropped (it is a
  // necessary set, so dropping it only lets more lines through).
  const groups = (compiled.groups ?? []).filter((g) =>
    g.every((a) => a.length > (a.startsWith(IMAGE_MARK) ? IMAGE_MARK.length : 0) && /^[\x00-\x7f]+$/.test(a)),
  );
  return {
    test: compiled.test,
    anchors: groups[0] ?? null,
    anchorGroups: groups.length > 0 ? groups : null,
  };
}
