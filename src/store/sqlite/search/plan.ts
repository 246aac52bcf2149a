/**
 * Chooses how to answer one search so it stays fast at millions of commands without a cache.
 *
 * Three shapes exist. "walk" (walk.ts) reads the text index newest first and stops after one page:
 * it answers nearly every query with text, and is tried first. "enumerate" (enumerate.ts) reads every candidate from the smallest index that
 * bounds the answer (trigram FTS for text of 3+ characters, the gram index for 1-2 characters
 * (grams.ts), the session filters, one session, a time range, or, as a last resort, a full scan),
 * checks every condition, keeps the newest page and counts exactly. "timeline" (timeline.ts) walks
 * commands newest-first and stops after one page: cheap when matches are common. The choice uses
 * capped counts from the indexes and a sample of the newest rows (estimates.ts), all of which cost
 * about a millisecond, priced by the cost model in cost.ts.
 */
import type Database from 'better-sqlite3';
import {
  type PlanContext,
  type PlanInput,
  type PlanOutcome,
  planContext,
  scanIsCovered,
  timeConditions,
} from './context.ts';
import {
  type Choice,
  COMMON_TEXT_SHARE,
  COST_COVERED_SCAN_ROW,
  COST_FTS_SESSION_JOIN,
  COST_PER_ROW,
  COST_TIMELINE_TEXT_ROW,
  COUNT_CAP,
  type Driver,
  FEW_ROWS,
  RARE_TEXT,
  SAMPLE_ROWS,
  SAMPLE_WORTH_FROM,
  TIME_WALK_ROWS,
} from './cost.ts';
import { driverQuery, enumerate } from './enumerate.ts';
import {
  cappedCount,
  commandCount,
  ftsCount,
  indexedCounts,
  type Sample,
  sample,
  sessionSpanCount,
} from './estimates.ts';
import {
  commandConditions,
  hasFilters,
  merge,
  prepared,
  sessionConditions,
  textCondition,
  whereClause,
} from './filters.ts';
import { GRAM_TABLE, gramCount } from './grams.ts';
import { rarestTrigrams } from './rare-trigrams.ts';
import { timeline, timelineTotal } from './timeline.ts';
import { WALK_BUDGET, walk } from './walk.ts';

export type { PlanInput, PlanOutcome } from './context.ts';
export type { Driver, PlanName } from './cost.ts';
export { COUNT_CAP };

export function runPlan(sqlite: Database.Database, input: PlanInput): PlanOutcome {
  const f = input.filters;
  const p = planContext(sqlite, input);
  if (input.force === 'walk' || (input.force === undefined && p.ftsMatch)) {
    const quick = quickPlan(p);
    if (quick) return quick;
  }
  const n = commandCount(sqlite);
  if (n === 0) return { ids: [], total: 0, totalExact: true, plan: 'empty' };

  const page = input.offset + input.limit;
  const counts = new Map<Driver, number>();
  let best: Choice = {
    driver: 'scan',
    cost: (scanIsCovered(f) ? COST_COVERED_SCAN_ROW : COST_PER_ROW.scan) * n,
  };
  if (p.ftsMatch && hasFilters(f) && !textIsRare(p)) {
    // An indexed filter bounds what reading FTS rowids can be worth: counting them first (index
    // only, span estimates for big ones) keeps a common text from costing a 2,000-rowid probe.
    // Rare text is read whole at once, cheaper than counting a broad filter (a region).
    const bound = indexedCounts(p, best, new Map());
    const perRow = COST_PER_ROW.fts + (p.all.joinSessions ? COST_FTS_SESSION_JOIN : 0);
    if (bound.driver !== best.driver) p.ftsCap = Math.min(p.ftsCap, Math.ceil(bound.cost / perRow) + 1);
  }
  const fts = ftsCount(p);
  if (fts !== undefined) {
    counts.set('fts', fts);
    const perRow = COST_PER_ROW.fts + (p.all.joinSessions ? COST_FTS_SESSION_JOIN : 0);
    if (fts < p.ftsCap && perRow * fts < best.cost) best = { driver: 'fts', cost: perRow * fts };
  }
  let sampled: Sample | undefined;
  const noFilters = !hasFilters(f);
  if (fts !== undefined && noFilters) {
    // Text and nothing else: the index says how many rows may match (at least ftsCap when it
    // stopped there), so a page is found within about page * n / fts newest rows. That is the
    // density a sample would measure, known here without reading a row.
    const cost = COST_TIMELINE_TEXT_ROW * Math.min(n, (page * n) / Math.max(fts, 1));
    if (cost < best.cost) best = { driver: 'timeline', cost };
  }
  // An indexed filter cheap enough that no timeline could save the cost of sampling wins at once.
  const quickCap = Math.min(best.cost, SAMPLE_WORTH_FROM);
  const quick = indexedCounts(p, { driver: best.driver, cost: quickCap }, counts);
  const indexedWins = quick.cost < quickCap;
  if (indexedWins) best = quick;
  else if ((noFilters && fts !== undefined) || best.cost <= quickCap) {
    // Nothing to sample, or the counts above already ran against the best cost there is.
  } else {
    sampled = sample(p);
    const expectedRows = sampled.matches > 0 ? (page * sampled.rows) / sampled.matches : n;
    const perRow = input.needle ? COST_TIMELINE_TEXT_ROW : COST_PER_ROW.timeline;
    const cost = sampled.rows < SAMPLE_ROWS ? 0 : perRow * Math.min(n, expectedRows);
    if (cost < best.cost) best = { driver: 'timeline', cost };
  }
  if (sampled) best = indexedCounts(p, best, counts);
  if (input.force && input.force !== 'walk') best = { driver: input.force, cost: 0 };
  if (best.driver !== 'timeline')
    return {
      ...enumerate(p, best.driver),
      plan: best.driver === 'fts' && p.ftsTable === GRAM_TABLE ? 'grams' : best.driver,
    };

  const ids = timeline(p);
  return { ids, ...timelineTotal(p, ids, sampled, fts), plan: 'timeline' };
}

/**
 * The plans that need no estimate: a filter that leaves few commands (one session, a rare target,
 * a short time range) is read whole; a text that is not rare is walked newest first (walk.ts), which
 * fills a page after a few dozen index entries. Undefined leaves the query to the cost model: rare
 * text (reading its few matches in index order beats FTS5's slower reverse iteration), longer time
 * ranges (FTS5 walks a rowid range no faster than the whole index), and walks that ran out of budget.
 */
function quickPlan(p: PlanContext): PlanOutcome | undefined {
  if (p.input.force === 'walk') return walk(p);
  const f = p.input.filters;
  const bySessionsOnly = f.sessionId === undefined && f.since === undefined && f.until === undefined;
  if (!bySessionsOnly || (f.actor === undefined && f.target === undefined)) {
    const few = indexedCounts(p, { driver: 'scan', cost: COST_PER_ROW.session * FEW_ROWS }, new Map());
    if (few.driver !== 'scan') return { ...enumerate(p, few.driver as Driver), plan: few.driver };
    if (f.since !== undefined || f.until !== undefined) return timeRangeWalk(p);
  }
  if (textIsRare(p)) return undefined;
  // Too few commands under the actor or target for a walk to fill a page: reading them all on the
  // (session_id, text) index is the cheapest there is (one count decides both, see walkCanFill).
  if (!walkCanFill(p)) return { ...enumerate(p, 'sessions'), plan: 'sessions' };
  return walk(p);
}

/**
 * A time range that is not short (see FEW_ROWS) but holds at most TIME_WALK_ROWS commands is paged
 * newest first on (at, text), the text tested on the index: a day of `docker` in 0.1 ms where
 * reading all 2,700 commands of the day costs 1.2 ms. (FTS5 reads a rowid range no faster than the
 * whole index, so the text index is no help here.) Longer ranges go to the cost model.
 */
function timeRangeWalk(p: PlanContext): PlanOutcome | undefined {
  const t = timeConditions(p.input.filters);
  const inRange = cappedCount(
    p.sqlite,
    `SELECT 1 FROM commands c INDEXED BY commands_at${whereClause(t)}`,
    t.params,
    TIME_WALK_ROWS,
  );
  if (inRange >= TIME_WALK_ROWS) return undefined;
  const ids = timeline(p);
  return { ids, ...timelineTotal(p, ids, undefined, undefined), plan: 'timeline' };
}

/**
 * Whether an actor or target filter leaves enough commands for a walk to fill its page within
 * WALK_BUDGET candidates, assuming the filter is as common among the text's matches as overall
 * (`text + actor + user` over one actor's 4% of commands would read 1,300 candidates for 50 hits).
 * Other session filters (account, region, kind) have no index to count with and are usually broad.
 */
function walkCanFill(p: PlanContext): boolean {
  const f = p.input.filters;
  if (f.actor === undefined && f.target === undefined) return true;
  const need = Math.ceil((commandCount(p.sqlite) * (p.input.offset + p.input.limit + 1)) / WALK_BUDGET);
  return sessionSpanCount(p.sqlite, sessionConditions(f), need) >= need;
}

/** Whether the needle is estimated to match fewer than RARE_TEXT commands. */
function textIsRare(p: PlanContext): boolean {
  const needle = p.input.needle;
  if (needle === undefined) return false;
  // Asked by the quick plan and again by the cost model when it falls through: count once.
  p.textIsRare ??=
    p.ftsTable === GRAM_TABLE
      ? (gramCount(p.sqlite, needle, RARE_TEXT) ?? RARE_TEXT) < RARE_TEXT
      : rarestTrigrams(p.sqlite, needle).estimate < RARE_TEXT;
  return p.textIsRare;
}

/** Every session with at least one matching command (for "which sessions ran X"). */
export function matchingSessionIds(
  sqlite: Database.Database,
  input: Omit<PlanInput, 'limit' | 'offset'>,
): string[] {
  const p = planContext(sqlite, { ...input, limit: 0, offset: 0 });
  if (textIsCommon(p)) return sessionsWithAMatch(p);
  const counts = new Map<Driver, number>();
  const fts = ftsCount(p);
  let best: Choice = { driver: 'scan', cost: Number.POSITIVE_INFINITY };
  if (fts !== undefined) best = { driver: 'fts', cost: COST_PER_ROW.fts * fts };
  const driver = indexedCounts(p, best, counts).driver as Driver;
  const { sql, params } = driverQuery(p, driver, 'DISTINCT c.session_id');
  return prepared(sqlite, sql)
    .pluck(true)
    .all(...params) as string[];
}

/**
 * Whether the needle is in at least one command of COMMON_TEXT_SHARE: then nearly every session has
 * a match, found part-way through its (session_id, text) index entries, and asking each session for
 * one beats reading every match (`ls -la`: 150,000 matches in 10,000 sessions, 63 ms instead of 215).
 */
function textIsCommon(p: PlanContext): boolean {
  const needle = p.input.needle;
  if (needle === undefined || !p.ftsMatch) return false;
  // A condition on the command itself (user, time, executed) can leave most sessions without a
  // match, and a session without one is read to its end.
  const f = p.input.filters;
  if (f.user !== undefined || f.executed !== undefined || f.since !== undefined || f.until !== undefined)
    return false;
  const threshold = Math.ceil(commandCount(p.sqlite) * COMMON_TEXT_SHARE);
  if (threshold < FEW_ROWS) return false;
  if (p.ftsTable === GRAM_TABLE) return (gramCount(p.sqlite, needle, threshold) ?? 0) >= threshold;
  return rarestTrigrams(p.sqlite, needle).estimate >= threshold;
}

/** Sessions under the session filters that have a matching command, each stopping at its first. */
export function sessionsWithAMatch(p: PlanContext): string[] {
  const f = p.input.filters;
  const sessions = sessionConditions(f);
  const command = merge(commandConditions(f), textCondition(p.sqlite, p.input.needle ?? ''));
  const exists = `EXISTS (SELECT 1 FROM commands c INDEXED BY commands_session_text WHERE c.session_id = s.session_id AND ${command.sql.join(' AND ')})`;
  return prepared(p.sqlite, `SELECT s.session_id FROM sessions s${whereClause(sessions, [exists])}`)
    .pluck(true)
    .all(...command.params, ...sessions.params) as string[];
}
