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
  /** Literals rules need in any text but the image paths. */
  index: LiteralIndex;
  /** Literals rules need in Image or ParentImage: scanned over the resolved image paths only. */
  imageIndex: LiteralIndex;
  /** Rules without a required literal: always checked. */
  unanchored: number[];
  hasKeywordRules: boolean;
}

/** Prepares rules for evaluation (sort, literal index). Build once, evaluate often. */
export function compileRuleSet(rules: LoadedRule[]): RuleSet {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const split = (image: boolean) =>
    sorted.map((r) => {
      const mine = (r.detection.anchors ?? []).filter((a) => a.startsWith(IMAGE_MARK) === image);
      return mine.length ? mine.map((a) => (image ? a.slice(IMAGE_MARK.length) : a)) : null;
    });
  const unanchored = sorted.flatMap((r, i) => (r.detection.anchors ? [] : [i]));
  return {
    rules: sorted,
    index: new LiteralIndex(split(false)),
    imageIndex: new LiteralIndex(split(true)),
    unanchored,
    hasKeywordRules: sorted.some((r) => r.kind === 'keyword'),
  };
}

const FIELD_COUNT = FIELDS.length;

class EventTarget implements MatchTarget {
  readonly values: (string | undefined)[] = new Array(FIELD_COUNT);
  private readonly lowered: (string | undefined | null)[] = new Array(FIELD_COUNT).fill(null);
  value(field: number): string | undefined {
    return this.values[field];
  }
  lower(field: number): string | undefined {
    let l = this.lowered[field];
    if (l === null) l = this.lowered[field] = this.values[field]?.toLowerCase();
    return l;
  }
  texts(): readonly string[] {
    return [];
  }
}

class LineTarget implements MatchTarget {
  constructor(
    private readonly raw: string[],
    private readonly low: string[],
  ) {}
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

function eventTargets(commands: ShellCommand[], input: EvaluateInput): EventTarget[] {
  const s = input.session;
  return commands.map((c) => {
    const t = new EventTarget();
    const v = t.values;
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
    return t;
  });
}

let stamp = 0;
let marks = new Uint32Array(0);
const candidates: number[] = [];

/** Adds each rule the index reports once (per `stamp`) to `candidates`. */
function collect(rule: number): void {
  if (marks[rule] !== stamp) {
    marks[rule] = stamp;
    candidates.push(rule);
  }
}

/**
 * Evaluates a line already parsed (the bench uses it to separate parsing from matching). One scan
 * of the literal index over everything the line's events and keyword texts hold (lowercased, once)
 * picks the candidate rules; a line with none (most lines) costs that scan and nothing else. Each
 * candidate is then tested exactly, process rules on every event, keyword rules on the line.
 */
export function evaluateParsed(set: RuleSet, input: EvaluateInput, parsed: ParsedLine): LoadedRule[] {
  const n = set.rules.length;
  if (marks.length < n) marks = new Uint32Array(n);
  stamp = (stamp + 1) >>> 0 || 1;
  candidates.length = 0;
  for (const r of set.unanchored) collect(r);
  // Every value any event field can take, plus the keyword texts, image paths apart: a literal of a
  // rule that can match is in one of them (a superset: it may sit in another field than the rule's).
  // Texts already contained in the normalized line add nothing to the scan: skip them (a simple
  // command's CommandLine usually is a piece of it), so most lines are scanned about once.
  const normalized = parsed.normalized;
  let text = normalized;
  if (input.text !== normalized) text += `\n${input.text}`;
  text += `\n${input.user ?? ''}\n${input.cwd ?? ''}`;
  const s = input.session;
  if (s)
    text += `\n${s.target ?? ''}\n${s.actor ?? ''}\n${s.principal ?? ''}\n${s.account ?? ''}\n${s.region ?? ''}`;
  let images = '';
  for (const c of parsed.commands) {
    if (!normalized.includes(c.commandLine)) text += `\n${c.commandLine}`;
    if (c.parentCommandLine && !normalized.includes(c.parentCommandLine)) text += `\n${c.parentCommandLine}`;
    if (c.user) text += `\n${c.user}`;
    images += c.parentImage ? `\n${c.image}\n${c.parentImage}` : `\n${c.image}`;
  }
  set.index.scan(text.toLowerCase(), collect);
  set.imageIndex.scan(images.toLowerCase(), collect);
  if (candidates.length === 0) return [];
  const matched: number[] = [];
  let events: EventTarget[] | undefined;
  let line: LineTarget | undefined;
  for (const r of candidates) {
    const rule = set.rules[r]!;
    if (rule.kind === 'process') {
      events ??= eventTargets(parsed.commands, input);
      for (const event of events) {
        if (rule.detection.test(event)) {
          matched.push(r);
          break;
        }
      }
    } else {
      if (!line) {
        const raw = [input.text, parsed.normalized];
        line = new LineTarget(
          raw,
          raw.map((t) => t.toLowerCase()),
        );
      }
      if (rule.detection.test(line)) matched.push(r);
    }
  }
  matched.sort((a, b) => a - b);
  return matched.map((r) => set.rules[r]!);
}

/** Rules matching a typed line, each at most once, sorted by id. */
export function evaluate(set: RuleSet, input: EvaluateInput): LoadedRule[] {
  return evaluateParsed(set, input, parseShell(input.text, input.cwd ? { cwd: input.cwd } : {}));
}
