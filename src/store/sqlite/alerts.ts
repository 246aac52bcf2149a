/**
 * Alerts and the detect queue (store/alerts.ts). New alerts and their deliveries are written in one
 * transaction with the queue entry's removal, so a crash between detection and delivery loses
 * nothing, and the unique dedupe key makes a second detection of the same command a no-op (no
 * second alert, no second notification). Status changes are user-owned writes (no lease).
 */
import { InvalidRequestError } from '../../errors.ts';
import {
  ALERT_LEVELS,
  type AlertFilters,
  type AlertRecord,
  type AlertStatus,
  type AlertWriteOutcome,
  type NewAlert,
} from '../alerts.ts';
import type { Page, PageRequest } from '../types.ts';
import { type Conn, writeTransaction } from './connection.ts';
import { decodeKey, paged, pageLimit } from './sessions.ts';
import { statementCache } from './statements.ts';

export const ALERT_PAGE = { default: 100, max: 1000 };

export const ALERT_COLUMNS = `a.alert_id AS alertId, a.dedup_key AS dedupKey, a.rule_id AS ruleId,
  a.rule_title AS ruleTitle, a.rule_author AS ruleAuthor, a.level, a.tags, a.session_id AS sessionId,
  a.command_text AS commandText, a.command_at AS commandAt, a.command_seq AS commandSeq, a.occurrence,
  a.user, a.actor, a.target, a.detail, a.link, a.status, a.status_by AS statusBy,
  a.status_reason AS statusReason, a.created_at AS createdAt, a.updated_at AS updatedAt`;

export type AlertRow = Omit<AlertRecord, 'tags'> & { tags: string };

export function toAlert(row: AlertRow): AlertRecord {
  return { ...row, tags: JSON.parse(row.tags) as string[] };
}

const statements = statementCache((conn) => {
  const db = conn.sqlite;
  return {
    insert: db.prepare(
      `INSERT INTO alerts (dedup_key, rule_id, rule_title, rule_author, level, tags, session_id, command_text,
         command_at, command_seq, occurrence, user, actor, target, detail, link, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(dedup_key) DO NOTHING`,
    ),
    delivery: db.prepare(
      `INSERT INTO outbox (alert_id, channel, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    page: db.prepare('SELECT session_id FROM detect_queue WHERE session_id > ? ORDER BY session_id LIMIT ?'),
    size: db.prepare('SELECT count(*) AS n FROM detect_queue'),
    dequeue: db.prepare('DELETE FROM detect_queue WHERE session_id = ?'),
    queueAll: db.prepare(
      'INSERT INTO detect_queue (session_id) SELECT DISTINCT session_id FROM commands WHERE true ON CONFLICT DO NOTHING',
    ),
    get: db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts a WHERE a.alert_id = ?`),
    setStatus: db.prepare(
      `UPDATE alerts SET status = ?, status_by = ?, status_reason = ?, updated_at = ?
       WHERE alert_id = ? AND status != ?`,
    ),
    byRule: db.prepare('SELECT rule_id AS ruleId, count(*) AS n FROM alerts GROUP BY rule_id'),
  };
});

/** Inserts alerts (existing dedupe keys are left alone) and one delivery per channel of each new one. */
function insertAlerts(conn: Conn, alerts: NewAlert[]): AlertWriteOutcome {
  const s = statements(conn);
  const outcome: AlertWriteOutcome = { inserted: 0, deliveriesQueued: 0 };
  for (const a of alerts) {
    const result = s.insert.run(
      a.dedupKey,
      a.ruleId,
      a.ruleTitle,
      a.ruleAuthor,
      a.level,
      JSON.stringify(a.tags),
      a.sessionId,
      a.commandText,
      a.commandAt,
      a.commandSeq,
      a.occurrence,
      a.user,
      a.actor,
      a.target,
      a.detail,
      a.link,
      a.status,
      a.createdAt,
      a.createdAt,
    );
    if (result.changes === 0) continue;
    outcome.inserted++;
    for (const channel of new Set(a.notify)) {
      s.delivery.run(result.lastInsertRowid, channel, a.createdAt, a.createdAt);
      outcome.deliveriesQueued++;
    }
  }
  return outcome;
}

export function recordAlerts(conn: Conn, alerts: NewAlert[]): AlertWriteOutcome {
  return writeTransaction(conn, () => insertAlerts(conn, alerts));
}

export function completeDetection(conn: Conn, sessionId: string, alerts: NewAlert[]): AlertWriteOutcome {
  return writeTransaction(conn, () => {
    const outcome = insertAlerts(conn, alerts);
    statements(conn).dequeue.run(sessionId);
    return outcome;
  });
}

export function nextDetectQueued(conn: Conn, after: string, limit: number): string[] {
  return (statements(conn).page.all(after, limit) as { session_id: string }[]).map((r) => r.session_id);
}

export function detectQueueSize(conn: Conn): number {
  return (statements(conn).size.get() as { n: number }).n;
}

export function queueAllForDetection(conn: Conn): number {
  return writeTransaction(conn, () => statements(conn).queueAll.run().changes);
}

export function getAlert(conn: Conn, alertId: number): AlertRecord | undefined {
  const row = statements(conn).get.get(alertId) as AlertRow | undefined;
  return row && toAlert(row);
}

/** Newest first; the cursor is the last alert's (createdAt, alertId). */
export function listAlerts(
  conn: Conn,
  filters: AlertFilters = {},
  page: PageRequest = {},
): Page<AlertRecord> {
  const limit = pageLimit(page, ALERT_PAGE);
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, ...values: (string | number)[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (filters.status?.length)
    add(`a.status IN (${filters.status.map(() => '?').join(', ')})`, ...filters.status);
  if (filters.ruleId) add('a.rule_id = ?', filters.ruleId);
  if (filters.sessionId) add('a.session_id = ?', filters.sessionId);
  if (filters.actor) add('a.actor = ? COLLATE NOCASE', filters.actor);
  if (filters.target) add('a.target = ?', filters.target);
  if (filters.since !== undefined) add('a.created_at >= ?', filters.since);
  if (filters.until !== undefined) add('a.created_at < ?', filters.until);
  if (filters.minLevel) {
    const levels = ALERT_LEVELS.slice(ALERT_LEVELS.indexOf(filters.minLevel));
    if (levels.length === 0) throw new InvalidRequestError('bad_level', 'unknown alert level');
    add(`a.level IN (${levels.map(() => '?').join(', ')})`, ...levels);
  }
  if (page.cursor) {
    const [at, id] = decodeKey(page.cursor);
    add('(a.created_at < ? OR (a.created_at = ? AND a.alert_id < ?))', at ?? 0, at ?? 0, Number(id));
  }
  const rows = conn.sqlite
    .prepare(
      `SELECT ${ALERT_COLUMNS} FROM alerts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.created_at DESC, a.alert_id DESC LIMIT ?`,
    )
    .all(...params, limit + 1) as AlertRow[];
  return paged(rows.map(toAlert), limit, (r) => [r.createdAt, String(r.alertId)]);
}

/** User-owned: one short IMMEDIATE transaction, no lease. Alerts already in `status` are not touched. */
export function setAlertStatus(
  conn: Conn,
  alertIds: number[],
  change: { status: AlertStatus; by: string; reason?: string | null; now: number },
): AlertRecord[] {
  const s = statements(conn);
  return conn.sqlite
    .transaction(() => {
      const changed: AlertRecord[] = [];
      for (const id of new Set(alertIds)) {
        const r = s.setStatus.run(
          change.status,
          change.by,
          change.reason ?? null,
          change.now,
          id,
          change.status,
        );
        if (r.changes > 0) changed.push(toAlert(s.get.get(id) as AlertRow));
      }
      return changed;
    })
    .immediate();
}

export function countAlertsByRule(conn: Conn): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of statements(conn).byRule.all() as { ruleId: string; n: number }[]) out[r.ruleId] = r.n;
  return out;
}
