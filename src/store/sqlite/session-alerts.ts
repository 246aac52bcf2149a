/**
 * Alerts as the sessions list sees them: each row's badge (open and total alerts, highest levels)
 * and the "sessions with alerts" filter. Both are answered from indexes on alerts
 * ((session_id, status, level) and (status, level, session_id), migration 0013), never by reading
 * alert rows, so a page of the list costs one more small statement.
 */
import { InvalidRequestError } from '../../errors.ts';
import { ALERT_LEVELS, ALERT_STATUSES, type AlertLevel, type SessionAlertCounts } from '../alerts.ts';
import type { Conn } from './connection.ts';
import { statementCache } from './statements.ts';

/** A level's place in ALERT_LEVELS, in SQL (levels are stored as their names). */
const LEVEL_RANK = `CASE a.level ${ALERT_LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`;

// One statement for any number of sessions (their ids as one JSON array), prepared once: a page of
// the sessions list asks this for every row's badge. The (session_id, status, level) index answers
// it without reading the alerts themselves.
const bySession = statementCache((conn) =>
  conn.sqlite.prepare(
    `SELECT a.session_id AS sessionId, sum(a.status = 'open') AS open, count(*) AS total,
       max(CASE WHEN a.status = 'open' THEN ${LEVEL_RANK} END) AS openRank, max(${LEVEL_RANK}) AS rank
     FROM alerts a WHERE a.session_id IN (SELECT value FROM json_each(?)) GROUP BY a.session_id`,
  ),
);

export function countAlertsBySession(conn: Conn, sessionIds: string[]): Record<string, SessionAlertCounts> {
  const out: Record<string, SessionAlertCounts> = {};
  if (sessionIds.length === 0) return out;
  const rows = bySession(conn).all(JSON.stringify(sessionIds)) as {
    sessionId: string;
    open: number;
    total: number;
    openRank: number | null;
    rank: number;
  }[];
  for (const r of rows)
    out[r.sessionId] = {
      open: r.open,
      total: r.total,
      openLevel: r.openRank === null ? null : ALERT_LEVELS[r.openRank]!,
      level: ALERT_LEVELS[r.rank]!,
    };
  return out;
}

/**
 * The condition "this session has alerts" for the sessions list, on the alias `sessions`: the
 * session ids come from the (status, level, session_id) index, so the list reads only the sessions
 * that have such alerts. Levels and statuses are our own constants, never request text.
 */
export function sessionsWithAlerts(status: 'open' | 'any', minLevel: AlertLevel | undefined): string {
  const levels = minLevel ? ALERT_LEVELS.slice(ALERT_LEVELS.indexOf(minLevel)) : [];
  if (minLevel && levels.length === 0) throw new InvalidRequestError('bad_level', 'unknown alert level');
  const where: string[] = [];
  // Every status named when any will do, so the index's first column still narrows the read.
  if (status === 'open') where.push(`status = 'open'`);
  else if (levels.length) where.push(`status IN (${ALERT_STATUSES.map((s) => `'${s}'`).join(', ')})`);
  if (levels.length) where.push(`level IN (${levels.map((l) => `'${l}'`).join(', ')})`);
  else where.push('session_id IS NOT NULL');
  return `SELECT session_id FROM alerts WHERE ${where.join(' AND ')}`;
}
