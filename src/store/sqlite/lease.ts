import { hostname } from 'node:os';
import { LeaseHeldError } from '../errors.ts';
import type { Store } from './open.ts';

const LEASE_MS = 30_000;

export interface WriterLease {
  /** Extends the lease; call at least every LEASE_MS / 2 during long work. */
  renew(): void;
  release(): void;
}

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
 * a holder on this host whose pid is gone is taken over at once.
 */
export async function acquireWriterLease(
  store: Store,
  holder: string,
  options: { waitMs?: number; now?: () => number } = {},
): Promise<WriterLease> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? 0);
  const tryTake = store.sqlite.transaction(() => {
    const row = store.sqlite
      .prepare('SELECT holder, pid, host, expires_at FROM writer_lease WHERE id = 1')
      .get() as LeaseRow | undefined;
    const t = now();
    if (row && row.expires_at > t && !(row.host === hostname() && !processAlive(row.pid))) {
      if (!(row.host === hostname() && row.pid === process.pid)) return row;
    }
    store.sqlite
      .prepare(
        `INSERT INTO writer_lease (id, holder, pid, host, acquired_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      )
      .run(holder, process.pid, hostname(), t, t + LEASE_MS);
    return undefined;
  });
  for (;;) {
    const blocker = tryTake.immediate();
    if (!blocker) break;
    if (now() >= deadline) {
      throw new LeaseHeldError(
        `another shelltrail writer (${blocker.holder}, pid ${blocker.pid} on ${blocker.host}) holds ${store.path}; ` +
          `it expires at ${new Date(blocker.expires_at).toISOString()}. Wait for it to finish or stop it.`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const pid = process.pid;
  return {
    renew() {
      store.sqlite
        .prepare('UPDATE writer_lease SET expires_at = ? WHERE id = 1 AND pid = ? AND host = ?')
        .run(now() + LEASE_MS, pid, hostname());
    },
    release() {
      store.sqlite
        .prepare('DELETE FROM writer_lease WHERE id = 1 AND pid = ? AND host = ?')
        .run(pid, hostname());
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
