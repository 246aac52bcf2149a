/**
 * The read pool: worker threads with their own read-only connections answer the same as the store
 * itself, see what the main connection commits afterwards, keep the store's typed errors (so the
 * API still answers 400 for a bad cursor), and leave writes on the main connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { InvalidRequestError } from '../../src/errors.ts';
import { createReadPool, type ReadPool, withReadPool } from '../../src/server/read-pool.ts';
import type { Store } from '../../src/store/index.ts';
import { type Harness, makeHarness } from '../api/harness.ts';
import { settings, startSession, T0 } from '../store/contract/fixtures.ts';

let h: Harness;
let pool: ReadPool;
let pooled: Store;
beforeAll(async () => {
  h = await makeHarness();
  pool = await createReadPool(h.store.location, 2);
  pooled = withReadPool(h.store, pool);
}, 60_000);
afterAll(async () => {
  await pool.close();
  await h.close();
});

describe('read pool', () => {
  it('answers reads exactly as the store does', async () => {
    expect(await pooled.sessions.list({}, { limit: 10 })).toEqual(
      await h.store.sessions.list({}, { limit: 10 }),
    );
    expect(await pooled.sessions.get('alice-1')).toEqual(await h.store.sessions.get('alice-1'));
    const q = { text: 'iptables', limit: 10 };
    expect(await pooled.commands.searchWithCount(q)).toEqual(await h.store.commands.searchWithCount(q));
    expect(await pooled.commands.listForSession('alice-1')).toEqual(
      await h.store.commands.listForSession('alice-1'),
    );
    expect(await pooled.stats.tableRows()).toEqual(await h.store.stats.tableRows());
  });

  it('spreads concurrent calls over its workers and returns each its own answer', async () => {
    const ids = ['alice-1', 'bob-2', 'eve-3', 'nobody'];
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => pooled.sessions.get(ids[i % 4]!)));
    expect(got.map((s) => s?.sessionId ?? null)).toEqual(
      Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? null : ids[i % 4])),
    );
  });

  it('sees what the main connection commits afterwards; writes stay on the main connection', async () => {
    expect(await pooled.sessions.get('late-9')).toBeUndefined();
    const lease = await pooled.lease.acquire('pool-test');
    await pooled.evidence.writeBatch(
      { sourceId: 'late', ctEvents: [startSession('late-9', T0)] },
      settings(),
    );
    await lease.release();
    expect((await pooled.sessions.get('late-9'))?.sessionId).toBe('late-9');
  });

  it("keeps the store's typed errors, so the API still answers 400", async () => {
    await expect(pooled.sessions.list({}, { cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidRequestError);
    const app = createApp({ ...h.deps, store: pooled });
    const res = await app.request('/api/sessions?cursor=garbage', {
      headers: { authorization: `Bearer ${h.tokens.auditor}` },
    });
    expect(res.status).toBe(400);
    const ok = await app.request('/api/sessions/alice-1', {
      headers: { authorization: `Bearer ${h.tokens.auditor}` },
    });
    expect(((await ok.json()) as { commands: unknown[] }).commands).toHaveLength(3);
  });

  it('drops a worker that stops: its call fails, later reads go to the others or the main connection', async () => {
    const failing = await createReadPool(h.store.location, 1, {
      entry: new URL('./fixtures/failing-read-worker.ts', import.meta.url).href,
    });
    try {
      const store = withReadPool(h.store, failing);
      expect(failing.live()).toBe(1);
      await expect(store.sessions.get('alice-1')).rejects.toThrow(/read worker stopped/);
      expect(failing.live()).toBe(0);
      expect(await store.sessions.get('alice-1')).toEqual(await h.store.sessions.get('alice-1'));
      await expect(failing.call('sessions', 'get', ['alice-1'])).rejects.toThrow(/no read worker/);
    } finally {
      await failing.close();
    }
  });

  it('a call whose arguments cannot be cloned fails alone; the worker keeps answering', async () => {
    await expect(pool.call('sessions', 'get', [() => 1])).rejects.toThrow();
    expect(pool.live()).toBe(2);
    expect((await pooled.sessions.get('alice-1'))?.sessionId).toBe('alice-1');
  });
});
