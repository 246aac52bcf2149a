import { hostname } from 'node:os';
import { LeaseHeldError } from '../../errors.ts';
import type { WriterLease } from '../index.ts';
import { assertLeaseHeld, type Conn } from './connection.ts';

/** How long a lease lasts without renewal; holders renew every third of it. */
export const LEASE_MS = 30_000;

interface LeaseRow {
  holder: string;
  pid: number;
  host: string;
  expires_at: number;
}

/**
 * Takes the single-writer lease. SQLite would serialize writes anyway, but two ingest workers
 * interleaving batches would double the work and confuse progress; the lease makes the second one
 * wait (or fail fast with a clear message). A holder that died stops renewing and its lease expires;
 * a holder on this host whose pid is gone is taken over at once. From then on every write
 * transaction of this connection checks that the row is still the one written here
 * (connection.ts assertLeaseHeld), so a holder whose lease lapsed and was taken stops writing.
 */
export async function acquireWriterLease(
  conn: Conn,
  holder: string,
  options: { waitMs?: number; now?: () => number } = {},
): Promise<WriterLease> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? 0);
  const host = hostname();
  const pid = process.pid;
  const tryTake = conn.sqlite.transaction((): LeaseRow | undefined => {
    const row = conn.sqlite
      .prepare('SELECT holder, pid, host, expires_at FROM writer_lease WHERE id = 1')
      .get() as LeaseRow | undefined;
    const t = now();
    // This very process may take its own lease again (a second connection in one process).
    const ownProcess = row?.host === host && row.pid === pid;
    if (row && row.expires_at > t && !(row.host === host && !processAlive(row.pid)) && !ownProcess)
      return row;
    conn.sqlite
      .prepare(
        `INSERT INTO writer_lease (id, holder, pid, host, acquired_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      )
      .run(holder, pid, host, t, t + LEASE_MS);
    conn.lease = { pid, host, acquiredAt: t };
    return undefined;
  });
  for (;;) {
    const blocker = tryTake.immediate();
    if (!blocker) break;
    if (now() >= deadline) {
      throw new LeaseHeldError(
        `another shelltrail writer (${blocker.holder}, pid ${blocker.pid} on ${blocker.host}) holds ${conn.path}; ` +
          `it expires at ${new Date(blocker.expires_at).toISOString()}. Wait for it to finish or stop it.`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    get held() {
      return conn.lease !== null;
    },
    async renew() {
      conn.sqlite
        .transaction(() => {
          assertLeaseHeld(conn);
          conn.sqlite.prepare('UPDATE writer_lease SET expires_at = ? WHERE id = 1').run(now() + LEASE_MS);
        })
        .immediate();
    },
    async release() {
      const mine = conn.lease;
      if (!mine) return;
      conn.lease = null;
      conn.sqlite
        .prepare('DELETE FROM writer_lease WHERE id = 1 AND pid = ? AND host = ? AND acquired_at = ?')
        .run(mine.pid, mine.host, mine.acquiredAt);
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
