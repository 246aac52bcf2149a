/**
 * The notification outbox (store/alerts.ts OutboxStore). Rows are created with their alerts
 * (alerts.ts); the deliverer, in the process holding the writer lease, takes what is due, and
 * records each attempt. A failing endpoint's rows wait for their own next attempt and never block
 * another channel's.
 */
import type { AlertRecord, Delivery, DeliveryStatus } from '../alerts.ts';
import type { Page, PageRequest } from '../types.ts';
import { ALERT_COLUMNS, type AlertRow, toAlert } from './alerts.ts';
import { type Conn, writeTransaction } from './connection.ts';
import { decodeKey, paged, pageLimit } from './sessions.ts';
import { statementCache } from './statements.ts';

export const DELIVERY_PAGE = { default: 100, max: 1000 };

const DELIVERY_COLUMNS = `o.delivery_id AS deliveryId, o.alert_id AS alertId, o.channel, o.status, o.attempts,
  o.next_attempt_at AS nextAttemptAt, o.last_error AS lastError, o.created_at AS createdAt,
  o.delivered_at AS deliveredAt`;

/** The delivery's columns as one JSON object, so they cannot collide with the alert's (created_at). */
const DELIVERY_JSON = `json_object('deliveryId', o.delivery_id, 'alertId', o.alert_id, 'channel', o.channel,
  'status', o.status, 'attempts', o.attempts, 'nextAttemptAt', o.next_attempt_at, 'lastError', o.last_error,
  'createdAt', o.created_at, 'deliveredAt', o.delivered_at)`;

/** Error texts are cut so an endpoint cannot fill the table through its error bodies. */
const MAX_ERROR = 300;

const statements = statementCache((conn) => {
  const db = conn.sqlite;
  return {
    due: db.prepare(
      // The excluded channels come as one JSON array, so one prepared statement serves any number.
      `SELECT ${ALERT_COLUMNS}, ${DELIVERY_JSON} AS delivery FROM outbox o JOIN alerts a ON a.alert_id = o.alert_id
       WHERE o.status = 'pending' AND o.next_attempt_at <= ?
         AND o.channel NOT IN (SELECT value FROM json_each(?))
       ORDER BY o.next_attempt_at, o.delivery_id LIMIT ?`,
    ),
    retryDead: db.prepare(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
       WHERE status = 'dead' AND (? OR delivery_id IN (SELECT value FROM json_each(?)))
       RETURNING ${DELIVERY_COLUMNS.replaceAll('o.', '')}`,
    ),
    delivered: db.prepare(
      `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL
       WHERE delivery_id = ?`,
    ),
    failed: db.prepare(
      `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at)
       WHERE delivery_id = ?`,
    ),
  };
});

export function dueDeliveries(
  conn: Conn,
  now: number,
  limit: number,
  options: { excludeChannels?: readonly string[] } = {},
): { delivery: Delivery; alert: AlertRecord }[] {
  const excluded = JSON.stringify(options.excludeChannels ?? []);
  const rows = statements(conn).due.all(now, excluded, limit) as (AlertRow & { delivery: string })[];
  return rows.map(({ delivery, ...alert }) => ({
    delivery: JSON.parse(delivery) as Delivery,
    alert: toAlert(alert),
  }));
}

export function markDelivered(conn: Conn, deliveryId: number, now: number): void {
  writeTransaction(conn, () => statements(conn).delivered.run(now, deliveryId));
}

export function markFailed(conn: Conn, deliveryId: number, error: string, retryAt: number | null): void {
  writeTransaction(conn, () =>
    statements(conn).failed.run(
      retryAt === null ? 'dead' : 'pending',
      error.slice(0, MAX_ERROR),
      retryAt,
      deliveryId,
    ),
  );
}

/** Dead deliveries back to pending (user-owned: no lease; the deliverer never writes dead rows). */
export function retryDead(conn: Conn, deliveryIds: readonly number[] | 'all', now: number): Delivery[] {
  const all = deliveryIds === 'all' ? 1 : 0;
  const ids = JSON.stringify(deliveryIds === 'all' ? [] : deliveryIds);
  const rows = conn.sqlite
    .transaction(() => statements(conn).retryDead.all(now, all, ids) as Delivery[])
    .immediate();
  return rows.sort((a, b) => a.deliveryId - b.deliveryId);
}

/** The delivery log, newest first; the cursor is the last row's (createdAt, deliveryId). */
export function listDeliveries(
  conn: Conn,
  filters: { status?: DeliveryStatus; alertId?: number } = {},
  page: PageRequest = {},
): Page<Delivery> {
  const limit = pageLimit(page, DELIVERY_PAGE);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filters.status) {
    where.push('o.status = ?');
    params.push(filters.status);
  }
  if (filters.alertId !== undefined) {
    where.push('o.alert_id = ?');
    params.push(filters.alertId);
  }
  if (page.cursor) {
    const [at, id] = decodeKey(page.cursor);
    where.push('(o.created_at < ? OR (o.created_at = ? AND o.delivery_id < ?))');
    params.push(at ?? 0, at ?? 0, Number(id));
  }
  const rows = conn.sqlite
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM outbox o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.created_at DESC, o.delivery_id DESC LIMIT ?`,
    )
    .all(...params, limit + 1) as Delivery[];
  return paged(rows, limit, (r) => [r.createdAt, String(r.deliveryId)]);
}
