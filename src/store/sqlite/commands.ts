/**
 * The commands table: what extraction reconstructed for each session. A session's commands are
 * always replaced as a whole (extraction reruns when any transcript of the session changes), so
 * there is no per-command update path. The FTS indexes follow through the triggers in
 * migrations/0001_commands_fts.sql. Ids are ordered by time (command-ids.ts).
 */
import type { ExtractedCommand } from '../terminal/types.ts';
import { CommandIdAllocator } from './command-ids.ts';
import type { Store } from './open.ts';

export type { ExtractedCommand };

/** A stored command: the extracted fields plus its row id and session. */
export interface StoredCommand extends ExtractedCommand {
  id: number;
  sessionId: string;
}

/**
 * Deletes the session's commands and inserts `commands`. Runs inside the caller's transaction (no
 * transaction of its own): ingest wraps it together with the rest of the session's update.
 *
 * @example store.sqlite.transaction(() => replaceSessionCommands(store, id, result.commands))();
 */
export function replaceSessionCommands(
  store: Store,
  sessionId: string,
  commands: readonly ExtractedCommand[],
): void {
  const { sqlite } = store;
  sqlite.prepare('DELETE FROM commands WHERE session_id = ?').run(sessionId);
  const insert = sqlite.prepare(
    `INSERT INTO commands (id, session_id, seq, text, user, executed, at, at_precision, cwd, exit_code, fidelity, output)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids = new CommandIdAllocator(sqlite);
  for (const c of commands) {
    // The stored time can differ from c.at only before 2010 or past 16 commands in one
    // millisecond (command-ids.ts).
    const { id, at } = ids.next(c.at);
    insert.run(
      id,
      sessionId,
      c.seq,
      c.text,
      c.user,
      c.executed ? 1 : 0,
      at,
      c.atPrecision,
      c.cwd,
      c.exitCode,
      c.fidelity,
      c.output,
    );
  }
}

/** A `commands` row as SQLite returns it (snake_case columns, integer booleans). */
export interface CommandRow {
  id: number;
  session_id: string;
  seq: number;
  text: string;
  user: string | null;
  executed: number;
  at: number | null;
  at_precision: ExtractedCommand['atPrecision'];
  cwd: string | null;
  exit_code: number | null;
  fidelity: ExtractedCommand['fidelity'];
  output: string | null;
}

/** The session's commands in the order they were typed. */
export function listSessionCommands(store: Store, sessionId: string): StoredCommand[] {
  const rows = store.sqlite
    .prepare(
      `SELECT id, session_id, seq, text, user, executed, at, at_precision, cwd, exit_code, fidelity, output
       FROM commands WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as CommandRow[];
  return rows.map((r) => ({
    id: r.id,
    ...commandFields(r),
    fidelity: r.fidelity,
    output: r.output,
  }));
}

/** The camelCase fields of a command row that every reader of commands shows. */
export function commandFields(r: Omit<CommandRow, 'id' | 'fidelity' | 'output'>) {
  return {
    sessionId: r.session_id,
    seq: r.seq,
    text: r.text,
    user: r.user,
    executed: r.executed === 1,
    at: r.at,
    atPrecision: r.at_precision,
    cwd: r.cwd,
    exitCode: r.exit_code,
  };
}
