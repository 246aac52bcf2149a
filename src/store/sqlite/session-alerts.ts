/**
 * Alerts as the sessions list sees them: each row's badge (open and total alerts, highest levels)
 * and the "sessions with alerts" filter. Both are answered from indexes on alerts
 * ((session_id, status, level) and (status, level, session_id), migration 0013), never by reading
 * alert rows; a page whose sessions have no alerts costs one read of the newest alert id.
 */
import type Database from 'better-sqlite3';
import { InvalidRequestError } from '../../errors.ts';
import { ALERT_LEVELS, ALERT_STATUSES, type AlertLevel, type SessionAlertCounts } from '../alerts.ts';
import type { Conn } from './connection.ts';
import { statementCache } from './statements.ts';

/** A level's place in ALERT_LEVELS, in SQL (levels are stored as their names). */
const LEVEL_RANK = `CASE a.level ${ALERT_LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`;

/** Most ids per statement, well under SQLite's bound-parameter limit. */
const MAX_IDS = 512;

// Prepared once per size and store: a page of the sessions list asks this for every row's badge.
// Bound placeholders (padded with NULL, which matches nothing, to a power of two: a few statements
// for every page size) cost less than passing the ids as one JSON array through json_each. The (session_id, status, level) index answers it
// without reading the alerts themselves.
const bySession = statementCache(() => new Map<number, Database.Statement<unknown[]>>());

function countStatement(conn: Conn, size: number) {
  const cache = bySession(conn);
  let statement = cache.get(size);
  if (!statement) {
    statement = conn.sqlite.prepare(
      `SELECT a.session_id AS sessionId, sum(a.status = 'open') AS open, count(*) AS total,
         max(CASE WHEN a.status = 'open' THEN ${LEVEL_RANK} END) AS openRank, max(${LEVEL_RANK}) AS rank
       FROM alerts a WHERE a.session_id IN (${Array(size).fill('?').join(', ')}) GROUP BY a.session_id`,
    );
    cache.set(size, statement);
  }
  return statement;
}

/**
 * The sessions that have any alert, as this connection last read them, and the newest alert id
 * then. Alerts are never deleted and ids only grow (AUTOINCREMENT), so while the newest id is the
 * same the set is too, whichever connection wrote; a status change moves no alert between sessions.
 */
const alerted = statementCache((conn) => ({
  newest: conn.sqlite.prepare('SELECT max(alert_id) AS id FROM alerts'),
  sessions: conn.sqlite.prepare('SELECT DISTINCT session_id AS id FROM alerts WHERE session_id IS NOT NULL'),
  known: { newest: null as number | null, ids: new Set<string>() },
}));

/**
 * Which of `sessionIds` have any alert. One O(log n) read of the newest alert id per call; the
 * distinct sessions are read again only after new alerts. A page of sessions without alerts (the
 * common case) then costs no badge statement at all.
 */
function withAlerts(conn: Conn, sessionIds: string[]): string[] {
  const s = alerted(conn);
  const newest = (s.newest.get() as { id: number | null }).id;
  if (newest !== s.known.newest) {
    const ids = new Set((s.sessions.all() as { id: string }[]).map((r) => r.id));
    s.known.newest = newest;
    s.known.ids = ids;
  }
  return s.known.ids.size === 0 ? [] : sessionIds.filter((id) => s.known.ids.has(id));
}

export function countAlertsBySession(conn: Conn, sessionIds: string[]): Record<string, SessionAlertCounts> {
  const out: Record<string, SessionAlertCounts> = {};
  const candidates = withAlerts(conn, sessionIds);
  for (let from = 0; from < candidates.length; from += MAX_IDS) {
    const ids: (string | null)[] = candidates.slice(from, from + MAX_IDS);
    const size = 2 ** Math.ceil(Math.log2(ids.length));
    while (ids.length < size) ids.push(null);
    const rows = countStatement(conn, size).all(...ids) as {
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
  }
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
