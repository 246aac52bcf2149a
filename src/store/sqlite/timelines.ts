/**
 * Timelines (store/index.ts TimelineStore): the sessions one actor or target started and the
 * commands run in them, oldest first, as one keyset-paged list. Two bounded reads (sessions,
 * commands) after the cursor, merged; the cursor is the last entry's (time, type, key), sessions
 * ranking before commands at equal times.
 */
import { InvalidRequestError } from '../../errors.ts';
import type {
  Page,
  PageRequest,
  StatsRange,
  StoredCommand,
  TimelineEntry,
  TimelineSubject,
} from '../index.ts';
import { type Conn, readTransaction } from './connection.ts';
import { getSession, pageLimit } from './sessions.ts';

export const TIMELINE_PAGE = { default: 500, max: 5000 };

type Cursor = [at: number, rank: 0 | 1, key: string];

function decodeCursor(cursor: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      Number.isInteger(v[0]) &&
      (v[1] === 0 || v[1] === 1) &&
      typeof v[2] === 'string'
    )
      return v as Cursor;
  } catch {}
  throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
}

function encodeCursor(entry: TimelineEntry): string {
  const key: Cursor =
    entry.type === 'session'
      ? [entry.at, 0, entry.session.sessionId]
      : [entry.at, 1, String(entry.command.id)];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

interface CommandRow extends Omit<StoredCommand, 'executed'> {
  executed: number | null;
}

export function listTimeline(
  conn: Conn,
  subject: TimelineSubject,
  options: StatsRange & { commands?: boolean } = {},
  page: PageRequest = {},
): Page<TimelineEntry> {
  const limit = pageLimit(page, TIMELINE_PAGE);
  const [column, value] = 'actor' in subject ? ['actor', subject.actor] : ['target', subject.target];
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const range = (col: string) => {
    const parts: string[] = [];
    const params: (number | string)[] = [];
    if (options.since !== undefined) {
      parts.push(`${col} >= ?`);
      params.push(options.since);
    }
    if (options.until !== undefined) {
      parts.push(`${col} < ?`);
      params.push(options.until);
    }
    return { parts, params };
  };
  return readTransaction(conn, () => {
    const s = range('s.started_at');
    if (after) {
      // Sessions rank 0: after (at, 0, id) means a later time, or the same time and a greater id.
      s.parts.push('(s.started_at > ? OR (s.started_at = ? AND ? = 0 AND s.session_id > ?))');
      s.params.push(after[0], after[0], after[1], after[2]);
    }
    const sessionRows = conn.sqlite
      .prepare(
        `SELECT s.session_id AS sessionId, s.started_at AS at FROM sessions s
         WHERE s.${column} = ? AND s.started_at IS NOT NULL ${s.parts.map((p) => `AND ${p}`).join(' ')}
         ORDER BY s.started_at, s.session_id LIMIT ?`,
      )
      .all(value, ...s.params, limit + 1) as { sessionId: string; at: number }[];
    const entries: TimelineEntry[] = [];
    for (const r of sessionRows) {
      const session = getSession(conn, r.sessionId);
      if (session) entries.push({ type: 'session', at: r.at, session });
    }
    if (options.commands !== false) {
      const c = range('c.at');
      if (after) {
        c.parts.push('(c.at > ? OR (c.at = ? AND (? = 0 OR c.id > ?)))');
        c.params.push(after[0], after[0], after[1], after[1] === 1 ? Number(after[2]) : 0);
      }
      const commandRows = conn.sqlite
        .prepare(
          `SELECT c.id, c.session_id AS sessionId, c.seq, c.text, c.user, c.executed, c.at,
             c.at_precision AS atPrecision, c.cwd, c.exit_code AS exitCode, c.fidelity, c.output
           FROM sessions s JOIN commands c ON c.session_id = s.session_id
           WHERE s.${column} = ? AND c.at IS NOT NULL ${c.parts.map((p) => `AND ${p}`).join(' ')}
           ORDER BY c.at, c.id LIMIT ?`,
        )
        .all(value, ...c.params, limit + 1) as CommandRow[];
      for (const r of commandRows) {
        const command = { ...r, executed: r.executed === null ? null : r.executed === 1 } as StoredCommand;
        entries.push({ type: 'command', at: r.at!, command });
      }
    }
    entries.sort(compareEntries);
    const items = entries.slice(0, limit);
    return { items, nextCursor: entries.length > limit ? encodeCursor(items.at(-1)!) : null };
  });
}

function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.type !== b.type) return a.type === 'session' ? -1 : 1;
  if (a.type === 'session' && b.type === 'session')
    return a.session.sessionId < b.session.sessionId ? -1 : a.session.sessionId > b.session.sessionId ? 1 : 0;
  return (a as { command: StoredCommand }).command.id - (b as { command: StoredCommand }).command.id;
}
