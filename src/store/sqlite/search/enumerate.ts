/**
 * The "enumerate" strategy: read every candidate from one driver, check every condition, keep the
 * newest page and count exactly. Right when the driver bounds the answer to few rows.
 */

import { fromClause, JOIN_SESSIONS, type PlanContext, type PlanOutcome, scanIsCovered } from './context.ts';
import type { Driver } from './cost.ts';
import { prepared, whereClause } from './filters.ts';

/** The query that reads `select` for every candidate of `driver` that meets every condition. */
export function driverQuery(
  p: PlanContext,
  driver: Driver,
  select: string,
): { sql: string; params: unknown[] } {
  // Drivers that walk many commands test each one's session against the set of matching sessions
  // (when an index finds it), cheaper than a lookup per command; FTS candidates are too few to
  // repay building the set, and the sessions driver reads sessions first anyway.
  const c = driver === 'sessions' || driver === 'fts' ? p.all : p.allBySet;
  const joinSessions = driver !== 'sessions' && c.joinSessions;
  if (driver === 'fts' && p.ftsRowids && p.ftsRowids.length < p.ftsCap) {
    // Reuse the rowids the count already read instead of running the phrase query twice; rowids
    // already checked against the text need not be checked again.
    const rest = p.ftsRowidsExact ? p.allButText : p.all;
    return {
      sql: `SELECT ${select} FROM json_each(?) j CROSS JOIN commands c ON c.id = j.value${rest.joinSessions ? JOIN_SESSIONS : ''}${whereClause(rest)}`,
      params: [JSON.stringify(p.ftsRowids), ...rest.params],
    };
  }
  const extra = driver === 'fts' ? [`f.${p.ftsTable} MATCH ?`] : [];
  return {
    sql: `SELECT ${select} FROM ${fromClause(driver, joinSessions, { covered: scanIsCovered(p.input.filters), withText: !!p.input.needle, ftsTable: p.ftsTable })}${whereClause(c, extra)}`,
    params: driver === 'fts' ? [p.ftsMatch, ...c.params] : c.params,
  };
}

/** Reads every candidate, keeps the newest `offset + limit`, counts all of them. */
export function enumerate(p: PlanContext, driver: Driver): Omit<PlanOutcome, 'plan'> {
  if (driver === 'scan') return enumerateInJs(p, driver);
  // Bounded drivers (at most INDEX_COUNT_CAP candidates): SQLite sorts and counts in one pass, so
  // only the page crosses into JS; returning every candidate's (id, at) costs about twice as much.
  const { sql, params } = driverQuery(p, driver, 'c.id, count(*) OVER () AS total');
  const { offset, limit } = p.input;
  const rows = prepared(p.sqlite, `${sql} ORDER BY c.at DESC, c.id DESC LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...params, limit, offset) as [number, number][];
  if (rows.length > 0) return { ids: rows.map((r) => r[0]), total: rows[0]![1], totalExact: true };
  // A page past the end carries no window row: count on its own.
  const count = driverQuery(p, driver, 'count(*)');
  const total = prepared(p.sqlite, count.sql)
    .pluck(true)
    .get(...count.params) as number;
  return { ids: [], total, totalExact: true };
}

/** A full scan streams rows and keeps only the newest page in memory. */
function enumerateInJs(p: PlanContext, driver: Driver): Omit<PlanOutcome, 'plan'> {
  const { sql, params } = driverQuery(p, driver, 'c.id, c.at');
  const keep = p.input.offset + p.input.limit;
  let rows: [number, number | null][] = [];
  let total = 0;
  const newestFirst = (a: [number, number | null], b: [number, number | null]) =>
    (b[1] ?? Number.NEGATIVE_INFINITY) - (a[1] ?? Number.NEGATIVE_INFINITY) || b[0] - a[0];
  for (const row of prepared(p.sqlite, sql)
    .raw(true)
    .iterate(...params) as Iterable<[number, number | null]>) {
    total++;
    rows.push(row);
    if (rows.length >= 2 * keep + 1024) rows = rows.sort(newestFirst).slice(0, keep);
  }
  rows.sort(newestFirst);
  return { ids: rows.slice(p.input.offset, keep).map((r) => r[0]), total, totalExact: true };
}
