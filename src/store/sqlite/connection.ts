/**
 * The SQLite dialect's connection: the raw better-sqlite3 handle (hot paths, FTS5, the search
 * planner's hand-tuned statements), the drizzle handle over the same connection (typed reads and
 * small writes), and the writer-lease state this connection holds. Internal to store/sqlite/.
 */
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { LeaseLostError } from '../../errors.ts';
import type * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Conn {
  sqlite: Database.Database;
  db: Db;
  path: string;
  /** The lease row this connection wrote when it took the lease; null when it holds none. */
  lease: { pid: number; host: string; acquiredAt: number } | null;
}

/**
 * Runs `body` as one write transaction (BEGIN IMMEDIATE, so a writer never upgrades a read lock and
 * deadlocks), after checking inside it that this connection still holds the writer lease.
 *
 * @example writeTransaction(conn, () => insert.run(row));
 */
export function writeTransaction<T>(conn: Conn, body: () => T): T {
  return conn.sqlite
    .transaction(() => {
      assertLeaseHeld(conn);
      return body();
    })
    .immediate();
}

/** Runs `body` as one read transaction: every statement in it sees the same snapshot. */
export function readTransaction<T>(conn: Conn, body: () => T): T {
  return conn.sqlite.transaction(body).deferred();
}

/** Throws LeaseLostError unless the lease row is still the one this connection wrote. */
export function assertLeaseHeld(conn: Conn): void {
  const mine = conn.lease;
  if (!mine)
    throw new LeaseLostError(
      `this process does not hold the writer lease of ${conn.path}; writes are refused`,
    );
  const row = conn.sqlite
    .prepare('SELECT pid, host, acquired_at AS acquiredAt FROM writer_lease WHERE id = 1')
    .get() as { pid: number; host: string; acquiredAt: number } | undefined;
  if (!row || row.pid !== mine.pid || row.host !== mine.host || row.acquiredAt !== mine.acquiredAt) {
    conn.lease = null;
    throw new LeaseLostError(
      `the writer lease of ${conn.path} was taken over by ${row ? `pid ${row.pid} on ${row.host}` : 'nobody (released)'}; ` +
        'this process stops writing',
    );
  }
}
