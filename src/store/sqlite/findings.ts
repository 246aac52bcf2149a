/** Audit findings: written by the projection (and extraction), read here. */
import { InvalidRequestError } from '../../errors.ts';
import type { Finding, FindingKind, Page, PageRequest } from '../types.ts';
import type { Conn } from './connection.ts';
import { paged, pageLimit } from './sessions.ts';

export const FINDING_PAGE = { default: 1000, max: 5000 };

/** Audit findings, newest session first (sessions without a start last), optionally filtered; paged. */
export function listFindings(
  conn: Conn,
  options: { kinds?: FindingKind[]; sessionId?: string } = {},
  page: PageRequest = {},
): Page<Finding> {
  const limit = pageLimit(page, FINDING_PAGE);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.kinds?.length) {
    where.push(`f.kind IN (${options.kinds.map(() => '?').join(', ')})`);
    params.push(...options.kinds);
  }
  if (options.sessionId) {
    where.push('f.session_id = ?');
    params.push(options.sessionId);
  }
  if (page.cursor) {
    const [t, sid, fid] = decodeFindingKey(page.cursor);
    const tail = '(f.session_id > ? OR (f.session_id = ? AND f.finding_id > ?))';
    if (t === null) {
      where.push(`(s.started_at IS NULL AND ${tail})`);
      params.push(sid, sid, fid);
    } else {
      where.push(`(s.started_at < ? OR (s.started_at = ? AND ${tail}) OR s.started_at IS NULL)`);
      params.push(t, t, sid, sid, fid);
    }
  }
  const rows = conn.sqlite
    .prepare(
      `SELECT f.finding_id AS findingId, f.kind, f.code, f.session_id AS sessionId, f.detail,
         f.detected_at AS detectedAt, s.actor, s.target, s.started_at AS startedAt,
         s.ended_at AS endedAt
       FROM findings f LEFT JOIN sessions s ON s.session_id = f.session_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY s.started_at DESC NULLS LAST, f.session_id, f.finding_id LIMIT ?`,
    )
    .all(...params, limit + 1) as Finding[];
  return paged(rows, limit, (r) => [r.startedAt, r.sessionId, r.findingId]);
}

function decodeFindingKey(cursor: string): [number | null, string, string] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(key) &&
      key.length === 3 &&
      (key[0] === null || typeof key[0] === 'number') &&
      typeof key[1] === 'string' &&
      typeof key[2] === 'string'
    )
      return key as [number | null, string, string];
  } catch {}
  throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
}

/** Findings per kind, for summaries. */
export function countFindings(conn: Conn): Record<FindingKind, number> {
  const counts: Record<FindingKind, number> = { missing: 0, partial: 0, integrity: 0 };
  const rows = conn.sqlite.prepare('SELECT kind, count(*) AS n FROM findings GROUP BY kind').all() as {
    kind: FindingKind;
    n: number;
  }[];
  for (const r of rows) counts[r.kind] = r.n;
  return counts;
}
