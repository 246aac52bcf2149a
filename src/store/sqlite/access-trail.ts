/**
 * The access trail (store/index.ts AccessTrailStore). Append-only: there is no update or delete
 * here, and migration triggers refuse them in the database too. A user-owned write: no lease.
 */
import type { AccessEntry, Page, PageRequest, StoredAccessEntry } from '../index.ts';
import type { Conn } from './connection.ts';
import { decodeKey, paged, pageLimit } from './sessions.ts';
import { statementCache } from './statements.ts';

export const ACCESS_PAGE = { default: 500, max: 5000 };

const statements = statementCache((conn) => ({
  insert: conn.sqlite.prepare(
    `INSERT INTO access_trail (at, action, actor, role, token_id, source_ip, subject, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
}));

export function appendAccess(conn: Conn, entry: AccessEntry): void {
  statements(conn).insert.run(
    entry.at,
    entry.action,
    entry.actor,
    entry.role,
    entry.tokenId,
    entry.sourceIp,
    entry.subject,
    entry.detail ? JSON.stringify(entry.detail) : null,
  );
}

interface Row extends Omit<StoredAccessEntry, 'detail'> {
  detail: string | null;
}

/** Newest first; the cursor is the last entry's (at, id). */
export function listAccess(
  conn: Conn,
  filters: { action?: string; actor?: string; since?: number; until?: number } = {},
  page: PageRequest = {},
): Page<StoredAccessEntry> {
  const limit = pageLimit(page, ACCESS_PAGE);
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, ...values: (string | number)[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (filters.action) add('action = ?', filters.action);
  if (filters.actor) add('actor = ?', filters.actor);
  if (filters.since !== undefined) add('at >= ?', filters.since);
  if (filters.until !== undefined) add('at < ?', filters.until);
  if (page.cursor) {
    const [at, id] = decodeKey(page.cursor);
    add('(at < ? OR (at = ? AND id < ?))', at ?? 0, at ?? 0, Number(id));
  }
  const rows = conn.sqlite
    .prepare(
      `SELECT id, at, action, actor, role, token_id AS tokenId, source_ip AS sourceIp, subject, detail
       FROM access_trail ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT ?`,
    )
    .all(...params, limit + 1) as Row[];
  const entries = rows.map((r) => ({
    ...r,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  }));
  return paged(entries, limit, (r) => [r.at, String(r.id)]);
}
