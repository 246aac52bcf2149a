/**
 * The commands table: what extraction reconstructed for each session. A session's commands are
 * always replaced as a whole (extraction reruns when any transcript of the session changes), so
 * there is no per-command update path. The FTS indexes follow through the triggers in
 * migrations/0001, 0003 and 0007. Ids are ordered by time (store/command-ids.ts).
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { InvalidRequestError } from '../../errors.ts';
import type { ExtractedCommand } from '../../terminal/types.ts';
import type { Page, PageRequest, StoredCommand } from '../types.ts';
import { CommandIdAllocator } from './command-ids.ts';
import type { Conn } from './connection.ts';
import { commands } from './schema.ts';
import { pageLimit } from './sessions.ts';
import { statementCache } from './statements.ts';

export const COMMAND_PAGE = { default: 10_000, max: 10_000 };

/**
 * Deletes the session's commands and inserts `list`. Runs inside the caller's write transaction:
 * extraction commits it together with the rest of the session's update.
 */
export function replaceSessionCommands(
  conn: Conn,
  sessionId: string,
  list: readonly ExtractedCommand[],
): void {
  const s = statements(conn);
  s.deleteSession.run(sessionId);
  const ids = new CommandIdAllocator(conn.sqlite);
  for (const c of list) {
    // The stored time can differ from c.at only before 2010 or past 16 commands in one
    // millisecond (command-ids.ts).
    const { id, at } = ids.next(c.at);
    s.insert.run(
      id,
      sessionId,
      c.seq,
      c.text,
      c.user,
      c.executed === null ? null : c.executed ? 1 : 0,
      at,
      c.atPrecision,
      c.cwd,
      c.exitCode,
      c.fidelity,
      c.output,
    );
  }
}

/** The session's commands in the order they were typed, one page (by seq) at a time. */
export function listSessionCommands(
  conn: Conn,
  sessionId: string,
  page: PageRequest = {},
): Page<StoredCommand> {
  const limit = pageLimit(page, COMMAND_PAGE);
  if (page.cursor && !/^[0-9a-z]{1,10}$/.test(page.cursor))
    throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
  const after = page.cursor ? Number.parseInt(page.cursor, 36) : -1;
  const rows = conn.db
    .select()
    .from(commands)
    .where(and(eq(commands.sessionId, sessionId), gt(commands.seq, after)))
    .orderBy(asc(commands.seq))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(
    (r): StoredCommand => ({
      id: r.id,
      sessionId: r.sessionId,
      seq: r.seq,
      text: r.text,
      user: r.user,
      executed: r.executed,
      at: r.at,
      atPrecision: r.atPrecision as StoredCommand['atPrecision'],
      cwd: r.cwd,
      exitCode: r.exitCode,
      fidelity: r.fidelity as StoredCommand['fidelity'],
      output: r.output,
    }),
  );
  const nextCursor = rows.length > limit ? items.at(-1)!.seq.toString(36) : null;
  return { items, nextCursor };
}

const statements = statementCache((conn) => ({
  deleteSession: conn.sqlite.prepare('DELETE FROM commands WHERE session_id = ?'),
  insert: conn.sqlite.prepare(
    `INSERT INTO commands (id, session_id, seq, text, user, executed, at, at_precision, cwd, exit_code, fidelity, output)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
}));
