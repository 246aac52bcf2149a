/**
 * The cheap measurements the plan chooser decides with: capped counts from the indexes and a
 * sample of the newest rows, each costing about a millisecond at most. Counting costs like reading,
 * so every count stops as soon as its driver could no longer beat the best plan found so far.
 */
import type Database from 'better-sqlite3';
import { fromClause, type PlanContext, scanIsCovered, textOnly, timeConditions } from './context.ts';
import {
  type Choice,
  COST_PER_ROW,
  COUNT_CAP,
  type Driver,
  INDEX_COUNT_CAP,
  SAMPLE_ROWS,
  SPAN_ESTIMATE_FROM,
} from './cost.ts';
import {
  type Conditions,
  commandConditions,
  hasSessionFilters,
  merge,
  prepared,
  sessionConditions,
  sessionSetCondition,
  whereClause,
} from './filters.ts';
import { GRAM_TABLE, gramCount } from './grams.ts';
import { rareTrigramMatches } from './rare-trigrams.ts';

export function cappedCount(
  sqlite: Database.Database,
  sql: string,
  params: unknown[],
  cap = COUNT_CAP,
): number {
  return prepared(sqlite, `SELECT count(*) FROM (${sql} LIMIT ${cap})`)
    .pluck(true)
    .get(...params) as number;
}

export { commandCount } from './command-count.ts';

export interface Sample {
  rows: number;
  matches: number;
}

/** Matches among the newest SAMPLE_ROWS commands of the time range, and how many rows that was. */
export function sample(p: PlanContext): Sample {
  const f = p.input.filters;
  const t = timeConditions(f);
  const sessions =
    f.actor !== undefined || f.target !== undefined ? sessionSetCondition(f) : sessionConditions(f);
  const rest = merge(commandConditions(f, { time: false }), sessions, textOnly(p));
  const covered = scanIsCovered(f) && p.input.needle !== undefined;
  const columns = covered ? 'c.id, c.text, c.at' : 'c.id, c.session_id, c.text, c.user, c.executed, c.at';
  const inner = `SELECT ${columns} FROM commands c INDEXED BY ${covered ? 'commands_at_text' : 'commands_at'}${whereClause(t)} ORDER BY c.at DESC, c.id DESC LIMIT ${SAMPLE_ROWS}`;
  const row = prepared(
    p.sqlite,
    `SELECT count(*) AS rows, coalesce(sum(${rest.sql.length ? rest.sql.join(' AND ') : '1'}), 0) AS matches FROM (${inner}) c${rest.joinSessions ? ' LEFT JOIN sessions s ON s.session_id = c.session_id' : ''}`,
  )
    .pluck(false)
    .get(...t.params, ...rest.params) as Sample;
  return row;
}

/** Reads the FTS rowids (at most `ftsCap`): they give the text's count and drive enumeration. */
export function ftsCount(p: PlanContext): number | undefined {
  if (!p.ftsMatch) return undefined;
  if (p.ftsTable === GRAM_TABLE && p.input.needle !== undefined) {
    // Counting grams is index-only and exact: count first, read rowids only when few enough to use.
    p.gramTotal = gramCount(p.sqlite, p.input.needle, COUNT_CAP);
    if (p.gramTotal !== undefined && p.gramTotal >= p.ftsCap) return p.gramTotal;
  } else if (p.input.needle !== undefined) {
    const matches = rareTrigramMatches(p.sqlite, p.input.needle, p.ftsCap);
    if (matches) {
      p.ftsRowids = matches;
      p.ftsRowidsExact = true;
      return matches.length;
    }
  }
  p.ftsRowids = prepared(
    p.sqlite,
    `SELECT rowid FROM ${p.ftsTable} WHERE ${p.ftsTable} MATCH ? LIMIT ${p.ftsCap}`,
  )
    .pluck(true)
    .all(p.ftsMatch) as number[];
  return p.ftsRowids.length;
}

/**
 * Counts commands under the filters that have an index (one session, the session filters, a time
 * range), each stopped as soon as it could no longer beat `best`; records every count in `counts`.
 */
export function indexedCounts(p: PlanContext, best: Choice, counts: Map<Driver, number>): Choice {
  const f = p.input.filters;
  const candidates: [Driver, string, unknown[]][] = [];
  if (f.sessionId !== undefined)
    candidates.push(['session', 'SELECT 1 FROM commands WHERE session_id = ?', [f.sessionId]]);
  if (hasSessionFilters(f)) {
    const s = sessionConditions(f);
    candidates.push(['sessions', `SELECT 1 FROM ${fromClause('sessions', true)}${whereClause(s)}`, s.params]);
  }
  if (f.since !== undefined || f.until !== undefined) {
    const t = timeConditions(f);
    candidates.push(['time', `SELECT 1 FROM commands c INDEXED BY commands_at${whereClause(t)}`, t.params]);
  }
  for (const [driver, sql, params] of candidates) {
    const cap = Math.min(INDEX_COUNT_CAP, Math.ceil(best.cost / COST_PER_ROW[driver]));
    const count =
      driver === 'sessions' && cap > SPAN_ESTIMATE_FROM
        ? sessionSpanCount(p.sqlite, sessionConditions(f), cap)
        : cappedCount(p.sqlite, sql, params, cap);
    counts.set(driver, count);
    if (count < cap && COST_PER_ROW[driver] * count < best.cost)
      best = { driver, cost: COST_PER_ROW[driver] * count };
  }
  return best;
}

/**
 * An upper bound of the commands in the filtered sessions, stopping at `cap`: per session, the span
 * of its seq numbers (unique per session, so at least its command count), two index seeks a session
 * instead of one index step a command (a large actor's 40,000 commands cost 2 ms to count and
 * about 0.3 ms to bound). Sessions are read one at a time and the sum stops as soon as it reaches
 * `cap`: a region's 2,500 sessions cost 12 ms to bound in full, a hundred of them reach a typical
 * cap. It only steers the plan: results never depend on it.
 */
export function sessionSpanCount(sqlite: Database.Database, s: Conditions, cap: number): number {
  const span =
    '(SELECT max(seq) FROM commands WHERE session_id = s.session_id) - (SELECT min(seq) FROM commands WHERE session_id = s.session_id) + 1';
  let sessions = 0;
  let commands = 0;
  for (const sessionSpan of prepared(sqlite, `SELECT ${span} FROM sessions s${whereClause(s)}`)
    .pluck(true)
    .iterate(...s.params) as Iterable<number | null>) {
    sessions++;
    // A session without commands has no span and adds nothing.
    commands += sessionSpan ?? 0;
    if (sessions >= cap || commands >= cap) return cap;
  }
  return commands;
}
