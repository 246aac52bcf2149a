import { describe, expect, it } from 'vitest';
import { LeaseHeldError } from '../../src/errors.ts';
import { normalizeRecord } from '../../src/ingest/cloudtrail.ts';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { acquireWriterLease } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';
import { listSessions } from '../../src/store/session-queries.ts';
import { settings, tempStore } from './harness.ts';
import { startSession } from './records.ts';

function okSource(id: string, sessionId: string): Source & { polls: number } {
  const s = {
    id,
    polls: 0,
    async poll(ctx: Parameters<Source['poll']>[0]) {
      s.polls++;
      ctx.write({ ctEvents: [normalizeRecord(startSession({ sessionId }), id)!] });
    },
  };
  return s;
}

function failingSource(id: string): Source & { polls: number } {
  const s = {
    id,
    polls: 0,
    async poll() {
      s.polls++;
      throw Object.assign(new Error('Service Unavailable'), {
        name: 'ServiceUnavailable',
        $metadata: { httpStatusCode: 503 },
      });
    },
  };
  return s;
}

describe('runWorker', () => {
  it('reports a failing source and keeps ingesting from the others', async () => {
    const db = tempStore();
    try {
      const log: string[] = [];
      const bad = failingSource('bad');
      const good = okSource('good', 'alice-00000000000000001');
      const report = await runWorker({
        store: db.store,
        sources: [bad, good],
        settings,
        once: true,
        intervalMs: 0,
        signal: new AbortController().signal,
        log: (l) => log.push(l),
        holder: 'test',
      });
      expect(report.failures).toEqual([
        { sourceId: 'bad', message: 'ServiceUnavailable: Service Unavailable (HTTP 503)', consecutive: 1 },
      ]);
      expect(listSessions(db.store).map((s) => s.sessionId)).toEqual(['alice-00000000000000001']);
      expect(log.join('\n')).toMatch(/source bad failed \(1x\)/);
      // The lease is released at the end.
      expect(db.store.sqlite.prepare('SELECT count(*) AS n FROM writer_lease').get()).toEqual({ n: 0 });
    } finally {
      db.dispose();
    }
  });

  it('polls on an interval, backs a failing source off, and stops when aborted', async () => {
    const db = tempStore();
    try {
      const controller = new AbortController();
      const bad = failingSource('bad');
      const good = okSource('good', 'alice-00000000000000002');
      const running = runWorker({
        store: db.store,
        sources: [bad, good],
        settings,
        once: false,
        intervalMs: 40,
        signal: controller.signal,
        log: () => {},
        holder: 'test',
      });
      await new Promise((r) => setTimeout(r, 500));
      controller.abort();
      const report = await running;
      expect(good.polls).toBeGreaterThanOrEqual(5);
      // Backoff is at least 1 s after a failure: one try in the half second, many polls of the other.
      expect(bad.polls).toBe(1);
      expect(report.polls).toBe(good.polls);
      expect(report.failures[0]!.consecutive).toBe(bad.polls);
    } finally {
      db.dispose();
    }
  });

  it('waits briefly for another writer, then refuses with a clear message; readers are never blocked', async () => {
    const db = tempStore();
    const other = openStore(db.path);
    try {
      // Another process's lease: a different pid on another host cannot be checked, so it holds.
      other.sqlite
        .prepare(
          'INSERT INTO writer_lease (id, holder, pid, host, acquired_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)',
        )
        .run('shelltrail ingest', 999_999, 'other-host', Date.now(), Date.now() + 60_000);
      const started = Date.now();
      await expect(
        runWorker({
          store: db.store,
          sources: [],
          settings,
          once: true,
          intervalMs: 0,
          signal: new AbortController().signal,
          log: () => {},
          holder: 'test',
          leaseWaitMs: 600,
        }),
      ).rejects.toThrow(LeaseHeldError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(listSessions(db.store)).toEqual([]); // reading needs no lease
      other.sqlite.prepare('DELETE FROM writer_lease').run();
      const lease = await acquireWriterLease(db.store, 'again');
      lease.release();
    } finally {
      other.close();
      db.dispose();
    }
  });
});
