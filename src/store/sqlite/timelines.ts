/**
 * Timelines (store/index.ts TimelineStore): the sessions of one actor or target and the commands
 * run in them, oldest first, as one keyset-paged list. Two bounded reads (sessions, commands)
 * after the cursor, merged; the cursor is the last entry's (placed time, type, key), sessions
 * ranking before commands at equal times. Where an entry without a time of its own is placed is
 * decided here, in SQL, so the cursor can follow it.
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

/** Sessions: (at, 0, session id). Commands: (at, 1, session id, seq), so a session's commands keep their order. */
type Cursor =
  | [at: number, rank: 0, sessionId: string]
  | [at: number, rank: 1, sessionId: string, seq: number];

function decodeCursor(cursor: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(v) &&
      Number.isInteger(v[0]) &&
      typeof v[2] === 'string' &&
      ((v[1] === 0 && v.length === 3) || (v[1] === 1 && v.length === 4 && Number.isInteger(v[3])))
    )
      return v as Cursor;
  } catch {}
  throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
}

function encodeCursor(entry: TimelineEntry): string {
  const key: Cursor =
    entry.type === 'session'
      ? [entry.at, 0, entry.session.sessionId]
      : [entry.at, 1, entry.command.sessionId, entry.command.seq];
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
  // Where each of the subject's sessions lies in time (see the TimelineStore doc in store/index.ts):
  // from its start (else its first timed command, else its end) to its end (else the assumed end,
  // else that same time). A session with no time at all cannot be placed and is left out.
  const subjectSessions = `subject AS (
    SELECT s.session_id AS sessionId, s.anchor AS at,
      COALESCE(s.ended_at, s.assumed_end_at, s.anchor) AS endAt
    FROM (SELECT s.session_id, s.ended_at, s.assumed_end_at,
            COALESCE(s.started_at,
              (SELECT min(f.at) FROM commands f WHERE f.session_id = s.session_id),
              s.ended_at) AS anchor
          FROM sessions s WHERE s.${column} = ?) s
    WHERE s.anchor IS NOT NULL)`;
  // A window [since, until) lists what overlaps it: what began before `until` and ended at or after `since`.
  const window = (from: string, to: string) => {
    const parts: string[] = [];
    const params: (number | string)[] = [];
    if (options.until !== undefined) {
      parts.push(`${from} < ?`);
      params.push(options.until);
    }
    if (options.since !== undefined) {
      parts.push(`${to} >= ?`);
      params.push(options.since);
    }
    return { parts, params };
  };
  const where = (parts: string[]) => parts.map((p) => `AND ${p}`).join(' ');
  return readTransaction(conn, () => {
    const s = window('at', 'endAt');
    if (after) {
      // Sessions rank 0: after (at, 0, id) means a later time, or the same time and a greater id.
      s.parts.push('(at > ? OR (at = ? AND ? = 0 AND sessionId > ?))');
      s.params.push(after[0], after[0], after[1], after[2]);
    }
    const sessionRows = conn.sqlite
      .prepare(
        `WITH ${subjectSessions}
         SELECT sessionId, at FROM subject WHERE 1 ${where(s.parts)}
         ORDER BY at, sessionId LIMIT ?`,
      )
      .all(value, ...s.params, limit + 1) as { sessionId: string; at: number }[];
    const entries: TimelineEntry[] = [];
    for (const r of sessionRows) {
      const session = getSession(conn, r.sessionId);
      if (session) entries.push({ type: 'session', at: r.at, session });
    }
    if (options.commands !== false) {
      // A command with a time is placed at it. One without (S3-only transcripts record none) is
      // placed at the time of the nearest timed command before it in its session, else at the
      // session's place, so it keeps its place in the session's order; it may have run any time
      // until the next timed command (else the session's end), and a window lists it when that
      // span overlaps the window (and its session does). Two branches, so the timed commands are
      // read by their time as before and only the sessions in the window are searched for
      // untimed ones.
      const timed = window('c.at', 'c.at');
      const untimed = window('subject.at', 'subject.endAt');
      const c = window('lo', 'hi');
      if (after) {
        // Commands rank 1: after a session's key, every command at that time; after a command's,
        // a greater (session id, seq).
        c.parts.push('(lo > ? OR (lo = ? AND (? = 0 OR sessionId > ? OR (sessionId = ? AND seq > ?))))');
        c.params.push(after[0], after[0], after[1], after[2], after[2], after[1] === 1 ? after[3] : 0);
        // The same bound on the timed branch, where an index on the time can use it.
        timed.parts.push('c.at >= ?');
        timed.params.push(after[0]);
      }
      const columns = `c.id, c.session_id AS sessionId, c.seq, c.text, c.user, c.executed, c.at,
             c.at_precision AS atPrecision, c.cwd, c.exit_code AS exitCode, c.fidelity, c.output`;
      const commandRows = conn.sqlite
        .prepare(
          `WITH ${subjectSessions},
           placed AS (
             SELECT ${columns}, c.at AS lo, c.at AS hi
             FROM sessions s JOIN commands c ON c.session_id = s.session_id
             WHERE s.${column} = ? AND c.at IS NOT NULL ${where(timed.parts)}
             UNION ALL
             SELECT ${columns},
               COALESCE(
                 (SELECT p.at FROM commands p WHERE p.session_id = c.session_id AND p.seq < c.seq
                    AND p.at IS NOT NULL ORDER BY p.seq DESC LIMIT 1),
                 subject.at) AS lo,
               COALESCE(
                 (SELECT n.at FROM commands n WHERE n.session_id = c.session_id AND n.seq > c.seq
                    AND n.at IS NOT NULL ORDER BY n.seq LIMIT 1),
                 subject.endAt) AS hi
             FROM subject JOIN commands c ON c.session_id = subject.sessionId
             WHERE c.at IS NULL ${where(untimed.parts)})
           SELECT * FROM placed WHERE 1 ${where(c.parts)}
           ORDER BY lo, sessionId, seq LIMIT ?`,
        )
        .all(value, value, ...timed.params, ...untimed.params, ...c.params, limit + 1) as (CommandRow & {
        lo: number;
        hi: number;
      })[];
      for (const { lo, hi: _hi, ...r } of commandRows) {
        const command = { ...r, executed: r.executed === null ? null : r.executed === 1 } as StoredCommand;
        entries.push({ type: 'command', at: lo, command });
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
  const [aId, bId] =
    a.type === 'session'
      ? [a.session.sessionId, (b as typeof a).session.sessionId]
      : [a.command.sessionId, (b as typeof a).command.sessionId];
  if (aId !== bId) return aId < bId ? -1 : 1;
  return a.type === 'command' ? a.command.seq - (b as typeof a).command.seq : 0;
}
