/**
 * Evaluates loaded rules against a typed line: each simple command the shell would run is a
 * process_creation event (Image, CommandLine, ParentImage, ParentCommandLine, User,
 * CurrentDirectory, plus the session fields), and keyword rules search the whole line (as typed and
 * as normalized by the parser, so `/dev/t''cp` still reads `/dev/tcp`). A literal prefilter picks the
 * rules that could match; each rule is reported at most once, sorted by id.
 *
 * @example evaluate(compileRuleSet(loadRules({ builtin: true, dirs: [] }).rules), { text: 'history -c' })
 */
import { type ParsedLine, parseShell, type ShellCommand } from '../shell/index.ts';
import { FIELDS, IMAGE_MARK, type MatchTarget } from './compile.ts';
import type { LoadedRule } from './loader.ts';
import { LiteralIndex } from './prefilter.ts';

export interface SessionFields {
  target?: string;
  actor?: string;
  principal?: string;
  account?: string;
  region?: string;
}

export interface EvaluateInput {
  text: string;
  /** Effective user of the shell (sudo inside the line overrides it per command). */
  user?: string;
  cwd?: string;
  session?: SessionFields;
}

export interface RuleSet {
  /** Sorted by id, so matches come out sorted. */
  rules: LoadedRule[];
  /** Literals rules need in any text but the image paths, reported as anchor-group numbers. */
  index: LiteralIndex;
  /** Literals rules need in Image or ParentImage: scanned over the resolved image paths only. */
  imageIndex: LiteralIndex;
  /** groupRule[g]: the rule anchor group g belongs to. */
  groupRule: Int32Array;
  /** groupCount[r]: how many groups rule r has; all must be seen before it is a candidate. */
  groupCount: Int32Array;
  /** Rules without a required literal: always checked. */
  unanchored: number[];
  hasKeywordRules: boolean;
}

/** Shortest literal a group needs for the prefilter to keep it beside a more selective one. */
const MIN_EXTRA_LITERAL = 3;

/**
 * The groups worth scanning for: the most selective one, and the others whose literals all have at
 * least MIN_EXTRA_LITERAL characters. A group such as `['-', ' --form']` is still necessary, but `-`
 * occurs several times in nearly every command: reporting it costs more than the tests it could
 * spare. Dropping a necessary group only lets more lines through to the exact test.
 */
function selective(groups: string[][]): string[][] {
  const length = (a: string) => a.length - (a.startsWith(IMAGE_MARK) ? IMAGE_MARK.length : 0);
  const score = (g: string[]) => Math.min(...g.map(length)) * 4 - g.length;
  const ranked = [...groups].sort((a, b) => score(b) - score(a));
  return ranked.filter((g, i) => i === 0 || Math.min(...g.map(length)) >= MIN_EXTRA_LITERAL);
}

/** Prepares rules for evaluation (sort, literal index). Build once, evaluate often. */
export function compileRuleSet(rules: LoadedRule[]): RuleSet {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups: string[][] = [];
  const groupRule: number[] = [];
  const groupCount = new Int32Array(sorted.length);
  const unanchored: number[] = [];
  sorted.forEach((rule, r) => {
    const own = selective(rule.detection.anchorGroups ?? []);
    if (own.length === 0) unanchored.push(r);
    groupCount[r] = own.length;
    for (const g of own) {
      groups.push(g);
      groupRule.push(r);
    }
  });
  const split = (image: boolean) =>
    groups.map((g) => {
      const mine = g.filter((a) => a.startsWith(IMAGE_MARK) === image);
      return mine.length ? mine.map((a) => (image ? a.slice(IMAGE_MARK.length) : a)) : null;
    });
  return {
    rules: sorted,
    index: new LiteralIndex(split(false)),
    imageIndex: new LiteralIndex(split(true)),
    groupRule: Int32Array.from(groupRule),
    groupCount,
    unanchored,
    hasKeywordRules: sorted.some((r) => r.kind === 'keyword'),
  };
}

const FIELD_COUNT = FIELDS.length;

/**
 * One process_creation event. The evaluator keeps a pool of them and refills them per line, so a
 * line costs no per-event allocation; each field is lowercased at most once, when a rule asks.
 */
class EventTarget implements MatchTarget {
  readonly values: (string | undefined)[] = new Array(FIELD_COUNT).fill(undefined);
  private readonly lowered: (string | undefined)[] = new Array(FIELD_COUNT).fill(undefined);
  /** lowered[i] is current when loweredAt[i] === generation. */
  private readonly loweredAt = new Uint32Array(FIELD_COUNT);
  private generation = 1;
  fill(c: ShellCommand, input: EvaluateInput): void {
    this.generation = (this.generation + 1) >>> 0 || 1;
    const v = this.values;
    const s = input.session;
    v[0] = c.image;
    v[1] = c.commandLine;
    v[2] = c.parentImage || undefined;
    v[3] = c.parentCommandLine || undefined;
    v[4] = c.user ?? input.user;
    v[5] = input.cwd;
    v[6] = s?.target;
    v[7] = s?.actor;
    v[8] = s?.principal;
    v[9] = s?.account;
    v[10] = s?.region;
  }
  value(field: number): string | undefined {
    return this.values[field];
  }
  lower(field: number): string | undefined {
    if (this.loweredAt[field] === this.generation) return this.lowered[field];
    this.loweredAt[field] = this.generation;
    const l = this.values[field]?.toLowerCase();
    this.lowered[field] = l;
    return l;
  }
  texts(): readonly string[] {
    return [];
  }
}

/** The keyword texts of a line (as typed and as normalized, once when they are the same). */
class LineTarget implements MatchTarget {
  private readonly raw: string[] = [];
  private readonly low: string[] = [];
  fill(typed: string, normalized: string): void {
    this.raw.length = 0;
    this.low.length = 0;
    // Searching the same text twice could not change the answer.
    if (typed !== normalized) {
      this.raw.push(typed);
      this.low.push(typed.toLowerCase());
    }
    this.raw.push(normalized);
    this.low.push(normalized.toLowerCase());
  }
  value(): undefined {
    return undefined;
  }
  lower(): undefined {
    return undefined;
  }
  texts(lower: boolean): readonly string[] {
    return lower ? this.low : this.raw;
  }
}

/** Reused per line: evaluation allocates nothing per event or per keyword rule. */
const lineTarget = new LineTarget();
const matched: number[] = [];
const pool: EventTarget[] = [];

/** The line's events, in pooled targets (valid until the next call). */
function eventTargets(commands: ShellCommand[], input: EvaluateInput): EventTarget[] {
  while (pool.length < commands.length) pool.push(new EventTarget());
  for (let i = 0; i < commands.length; i++) pool[i]!.fill(commands[i]!, input);
  return pool;
}

let stamp = 0;
/** groupSeen[g] === stamp: group g already counted for this line. */
let groupSeen = new Uint32Array(0);
/** ruleAt[r] === stamp: ruleHits[r] counts this line's groups of rule r. */
let ruleAt = new Uint32Array(0);
let ruleHits = new Int32Array(0);
let current: RuleSet | undefined;
const candidates: number[] = [];

/**
 * The index saw a literal of group `group`: once every group of its rule has been seen on this
 * line, the rule is a candidate (each group is necessary, so a rule missing one cannot match).
 */
function collect(group: number): void {
  if (groupSeen[group] === stamp) return;
  groupSeen[group] = stamp;
  const set = current!;
  const rule = set.groupRule[group]!;
  if (ruleAt[rule] !== stamp) {
    ruleAt[rule] = stamp;
    ruleHits[rule] = 0;
  }
  if (++ruleHits[rule]! === set.groupCount[rule]) candidates.push(rule);
}

function scanOptional(index: LiteralIndex, text: string | undefined): void {
  if (text) index.scan(text, collect);
}

/**
 * Evaluates a line already parsed (the bench uses it to separate parsing from matching). The
 * literal index is scanned over every value any event field can take and over the keyword texts,
 * image paths apart, case folded as it goes: a literal of a rule that can match lies inside one of
 * them (a superset: it may sit in another field than the rule's). Texts already inside the
 * normalized line add nothing (a simple command's CommandLine usually is a piece of it), so most
 * lines are scanned about once. A rule is a candidate only when one literal of each of its
 * necessary groups was seen; a line with no candidate costs that scan and nothing else. Each
 * candidate is then tested exactly, process rules on every event, keyword rules on the line.
 */
export function evaluateParsed(set: RuleSet, input: EvaluateInput, parsed: ParsedLine): LoadedRule[] {
  const n = set.rules.length;
  if (ruleAt.length < n) {
    ruleAt = new Uint32Array(n);
    ruleHits = new Int32Array(n);
  }
  if (groupSeen.length < set.groupRule.length) groupSeen = new Uint32Array(set.groupRule.length);
  stamp = (stamp + 1) >>> 0 || 1;
  if (stamp === 1) {
    groupSeen.fill(0);
    ruleAt.fill(0);
  }
  current = set;
  candidates.length = 0;
  for (const r of set.unanchored) candidates.push(r);
  const { index, imageIndex } = set;
  const normalized = parsed.normalized;
  index.scan(normalized, collect);
  if (input.text !== normalized) index.scan(input.text, collect);
  scanOptional(index, input.user);
  scanOptional(index, input.cwd);
  const s = input.session;
  if (s) {
    scanOptional(index, s.target);
    scanOptional(index, s.actor);
    scanOptional(index, s.principal);
    scanOptional(index, s.account);
    scanOptional(index, s.region);
  }
  const commands = parsed.commands;
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i]!;
    if (!normalized.includes(c.commandLine)) index.scan(c.commandLine, collect);
    if (c.parentCommandLine && !normalized.includes(c.parentCommandLine))
      index.scan(c.parentCommandLine, collect);
    scanOptional(index, c.user);
    imageIndex.scan(c.image, collect);
    scanOptional(imageIndex, c.parentImage);
  }
  if (candidates.length === 0) return [];
  matched.length = 0;
  let events: EventTarget[] | undefined;
  let line: LineTarget | undefined;
  for (let c = 0; c < candidates.length; c++) {
    const r = candidates[c]!;
    const rule = set.rules[r]!;
    if (rule.kind === 'process') {
      events ??= eventTargets(commands, input);
      for (let e = 0; e < commands.length; e++) {
        if (rule.detection.test(events[e]!)) {
          matched.push(r);
          break;
        }
      }
    } else {
      if (!line) {
        line = lineTarget;
        line.fill(input.text, normalized);
      }
      if (rule.detection.test(line)) matched.push(r);
    }
  }
  if (matched.length === 0) return [];
  if (matched.length > 1) matched.sort((a, b) => a - b);
  return matched.map((r) => set.rules[r]!);
}

/** Rules matching a typed line, each at most once, sorted by id. */
export function evaluate(set: RuleSet, input: EvaluateInput): LoadedRule[] {
  return evaluateParsed(set, input, parseShell(input.text, input.cwd ? { cwd: input.cwd } : {}));
}
