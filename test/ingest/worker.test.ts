import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Pass } from '../../src/analyze/pass.ts';
import { LeaseHeldError, LeaseLostError } from '../../src/errors.ts';
import { normalizeRecord } from '../../src/ingest/normalize/cloudtrail.ts';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { openStore } from '../../src/store/index.ts';
import { allSessions } from '../support/store-view.ts';
import { settings, tempStore } from './harness.ts';
import { startSession } from './records.ts';

const HOLDER = join(dirname(fileURLToPath(import.meta.url)), '../support/lease-holder.ts');

/** Runs test/support/lease-holder.ts in another process; resolves once it printed its first line. */
async function leaseProcess(
  mode: 'hold' | 'probe',
  path: string,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, mode, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, line: data.toString().trim() };
}

function okSource(id: string, sessionId: string): Source & { polls: number } {
  const s = {
    id,
    polls: 0,
    async poll(ctx: Parameters<Source['poll']>[0]) {
      s.polls++;
      await ctx.write({ ctEvents: [normalizeRecord(startSession({ sessionId }), id)!] });
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
    const db = await tempStore();
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
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toEqual(['alice-00000000000000001']);
      expect(log.join('\n')).toMatch(/source bad failed \(1x\)/);
      // The lease is released at the end: another process may take it at once.
      const probe = await leaseProcess('probe', db.path);
      expect(probe.line).toBe('free');
      await once(probe.child, 'exit');
    } finally {
      await db.dispose();
    }
  });

  it('polls on an interval, backs a failing source off, and stops when aborted', async () => {
    const db = await tempStore();
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
      await db.dispose();
    }
  });

  it('waits briefly for another writer, then refuses with a clear message; readers are never blocked', async () => {
    const db = await tempStore();
    const other = await leaseProcess('hold', db.path);
    try {
      expect(other.line).toBe('held');
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
      expect(await allSessions(db.store)).toEqual([]); // reading needs no lease
      other.child.stdin!.end(); // the other writer finishes and releases
      await once(other.child, 'exit');
      const lease = await db.store.lease.acquire('again');
      await lease.release();
    } finally {
      other.child.kill();
      await db.dispose();
    }
  }, 20_000);

  it('stops with LeaseLostError when another writer takes the lease mid-poll, and runs no pass after', async () => {
    const db = await tempStore();
    const thief = await openStore(db.path);
    const event = (sessionId: string) => normalizeRecord(startSession({ sessionId }), 'victim')!;
    try {
      let workAfterLoss = 0;
      const source: Source = {
        id: 'victim',
        async poll(ctx) {
          await ctx.write({ ctEvents: [event('alice-00000000000000003')] });
          // A second store takes the lease (as a new writer takes a lapsed one).
          await thief.lease.acquire('thief');
          try {
            await ctx.write({ ctEvents: [event('bob-00000000000000004')] });
          } catch {
            // A careless source swallows the error and goes on: the worker must stop all the same.
          }
          if (!ctx.signal.aborted) workAfterLoss++;
        },
      };
      let passRuns = 0;
      const pass: Pass = {
        name: 'count',
        async run() {
          passRuns++;
          return {};
        },
      };
      const running = runWorker({
        store: db.store,
        sources: [source],
        passes: [pass],
        settings,
        once: true,
        intervalMs: 0,
        signal: new AbortController().signal,
        log: () => {},
        holder: 'test',
      });
      await expect(running).rejects.toBeInstanceOf(LeaseLostError);
      expect(workAfterLoss).toBe(0); // the loss aborted the source's signal
      expect(passRuns).toBe(0);
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toEqual(['alice-00000000000000003']);
    } finally {
      await thief.close();
      await db.dispose();
    }
  });

  it("adds each pass's counters into counters.passes by key, after every poll", async () => {
    const db = await tempStore();
    try {
      const seen: number[] = [];
      const pass = (name: string, counters: Record<string, number>): Pass => ({
        name,
        async run(ctx) {
          seen.push((await allSessions(ctx.store)).length);
          return counters;
        },
      });
      const report = await runWorker({
        store: db.store,
        sources: [okSource('good', 'alice-00000000000000005')],
        passes: [pass('one', { widgets: 2, gadgets: 1 }), pass('two', { widgets: 3 })],
        settings,
        once: true,
        intervalMs: 0,
        signal: new AbortController().signal,
        log: () => {},
        holder: 'test',
      });
      expect(seen).toEqual([1, 1]); // both ran after the source's batch was stored
      expect(report.counters.passes).toEqual({ widgets: 5, gadgets: 1 });
    } finally {
      await db.dispose();
    }
  });
});
