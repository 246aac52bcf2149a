/** Summaries for the overview page (stats.overview) and /metrics (stats.tableRows). Reads only. */
import type { StatsOverview, StatsRange } from '../index.ts';
import type { Conn } from './connection.ts';
import { readTransaction } from './connection.ts';

const TOP = 10;

/** Tables whose row counts /metrics reports. */
const COUNTED_TABLES = [
  'sessions',
  'commands',
  'ct_events',
  'describe_snapshots',
  'transcripts',
  'cw_events',
  'findings',
  'extract_queue',
  'quarantine',
  'access_trail',
] as const;

function rangeWhere(column: string, range: StatsRange): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (range.since !== undefined) {
    parts.push(`${column} >= ?`);
    params.push(range.since);
  }
  if (range.until !== undefined) {
    parts.push(`${column} < ?`);
    params.push(range.until);
  }
  return { sql: parts.join(' AND '), params };
}

/** Sessions per day, top actors and targets, coverage totals and attempts, from one snapshot. */
export function statsOverview(conn: Conn, range: StatsRange = {}): StatsOverview {
  const s = rangeWhere('started_at', range);
  const where = (extra?: string) => {
    const parts = [s.sql, extra].filter(Boolean);
    return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  };
  const all = <T>(sql: string, ...params: unknown[]) => conn.sqlite.prepare(sql).all(...params) as T[];
  return readTransaction(conn, () => {
    const perDay = all<{ day: string; sessions: number }>(
      `SELECT strftime('%Y-%m-%d', started_at / 1000, 'unixepoch') AS day, count(*) AS sessions
       FROM sessions ${where('started_at IS NOT NULL')} GROUP BY day ORDER BY day`,
      ...s.params,
    );
    const topActors = all<{ actor: string; sessions: number }>(
      `SELECT actor, count(*) AS sessions FROM sessions ${where('actor IS NOT NULL')}
       GROUP BY actor ORDER BY sessions DESC, actor LIMIT ${TOP}`,
      ...s.params,
    );
    const topTargets = all<{ target: string; sessions: number }>(
      `SELECT target, count(*) AS sessions FROM sessions ${where('target IS NOT NULL')}
       GROUP BY target ORDER BY sessions DESC, target LIMIT ${TOP}`,
      ...s.params,
    );
    const coverageRows = all<{ coverage: string | null; n: number }>(
      `SELECT coverage, count(*) AS n FROM sessions ${where()} GROUP BY coverage`,
      ...s.params,
    );
    const coverage: Record<string, number> = {};
    let sessions = 0;
    for (const r of coverageRows) {
      coverage[r.coverage ?? 'unknown'] = r.n;
      sessions += r.n;
    }
    const a = rangeWhere('event_time', range);
    const attempts = conn.sqlite
      .prepare(
        `SELECT count(*) FROM ct_events WHERE event_name = 'StartSession' AND error_code IS NOT NULL
         ${a.sql ? `AND ${a.sql}` : ''}`,
      )
      .pluck()
      .get(...a.params) as number;
    return { sessionsPerDay: perDay, topActors, topTargets, coverage, sessions, attempts };
  });
}

export function tableRows(conn: Conn): Record<string, number> {
  return readTransaction(conn, () =>
    Object.fromEntries(
      COUNTED_TABLES.map((t) => [
        t,
        conn.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number,
      ]),
    ),
  );
}
