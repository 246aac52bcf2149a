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
import { FIELDS, type MatchTarget } from './compile.ts';
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
  index: LiteralIndex;
  /** Rules without a required literal: always checked. */
  unanchored: number[];
  hasKeywordRules: boolean;
}

/** Prepares rules for evaluation (sort, literal index). Build once, evaluate often. */
export function compileRuleSet(rules: LoadedRule[]): RuleSet {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new LiteralIndex(sorted.map((r) => r.detection.anchors));
  const unanchored = sorted.flatMap((r, i) => (r.detection.anchors ? [] : [i]));
  return { rules: sorted, index, unanchored, hasKeywordRules: sorted.some((r) => r.kind === 'keyword') };
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
let matchedMarks = new Uint32Array(0);

/** Rule indices of `kind` whose literals occur in `text` (plus the unanchored ones), each once. */
function candidatesIn(set: RuleSet, text: string, kind: 'process' | 'keyword'): number[] {
  stamp = (stamp + 1) >>> 0 || 1;
  const found: number[] = [];
  for (const r of set.unanchored) {
    if (set.rules[r]!.kind === kind) found.push(r);
  }
  set.index.scan(text, (r) => {
    if (marks[r] !== stamp && set.rules[r]!.kind === kind) {
      marks[r] = stamp;
      found.push(r);
    }
  });
  return found;
}

/**
 * Evaluates a line already parsed (the bench uses it to separate parsing from matching). Process
 * rules are checked only on the events whose own text holds one of their literals.
 */
export function evaluateParsed(set: RuleSet, input: EvaluateInput, parsed: ParsedLine): LoadedRule[] {
  const n = set.rules.length;
  if (marks.length < n) {
    marks = new Uint32Array(n);
    matchedMarks = new Uint32Array(n);
  }
  stamp = (stamp + 1) >>> 0 || 1;
  const lineStamp = stamp;
  const matched: number[] = [];
  const events = eventTargets(parsed.commands, input);
  for (const event of events) {
    const text = event.values
      .filter((v) => v !== undefined)
      .join('\n')
      .toLowerCase();
    for (const r of candidatesIn(set, text, 'process')) {
      if (matchedMarks[r] === lineStamp) continue;
      if (set.rules[r]!.detection.test(event)) {
        matchedMarks[r] = lineStamp;
        matched.push(r);
      }
    }
  }
  if (set.hasKeywordRules) {
    const raw = [input.text, parsed.normalized];
    const low = raw.map((t) => t.toLowerCase());
    const candidates = candidatesIn(set, `${low[0]}\n${low[1]}`, 'keyword');
    if (candidates.length > 0) {
      const line = new LineTarget(raw, low);
      for (const r of candidates) {
        if (set.rules[r]!.detection.test(line)) matched.push(r);
      }
    }
  }
  matched.sort((a, b) => a - b);
  return matched.map((r) => set.rules[r]!);
}

/** Rules matching a typed line, each at most once, sorted by id. */
export function evaluate(set: RuleSet, input: EvaluateInput): LoadedRule[] {
  return evaluateParsed(set, input, parseShell(input.text, input.cwd ? { cwd: input.cwd } : {}));
}
