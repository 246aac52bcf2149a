/** Contract: evidence writes, ledger, checkpoints, the lease that guards every write. */
import { expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/errors.ts';
import type { ContractContext } from './contract.ts';
import { describeSnapshot, HOUR, settings, startSession, T0, terminateSession } from './fixtures.ts';

export function evidenceContract(ctx: ContractContext): void {
  it('writeBatch stores evidence once, projects sessions, and is idempotent', async () => {
    ctx.covers('evidence.writeBatch', 'sessions.get');
    const store = ctx.store();
    const batch = {
      sourceId: 'test:a',
      ctEvents: [startSession('alice-1', T0), terminateSession('alice-1', T0 + HOUR)],
      ledger: [{ itemKey: 'file-1', version: 'v1', outcome: 'done' as const, records: 2 }],
      checkpoint: { day: '2026-11-20' },
    };
    const first = await store.evidence.writeBatch(batch, settings());
    expect(first).toMatchObject({ ctEventsInserted: 2, sessionsCreated: 1, quarantined: 0 });
    const again = await store.evidence.writeBatch(batch, settings());
    expect(again).toMatchObject({ ctEventsInserted: 0, sessionsCreated: 0, sessionsUpdated: 0 });
    const session = await store.sessions.get('alice-1');
    expect(session).toMatchObject({
      sessionId: 'alice-1',
      actor: 'alice',
      startedAt: T0,
      endedAt: T0 + HOUR,
      endSource: 'terminate',
      identityVerified: true,
      transcriptSources: [],
    });
    expect(await store.sessions.get('nobody')).toBeUndefined();
  });

  it('evidence arriving in any order gives the same session', async () => {
    ctx.covers('evidence.writeBatch');
    const store = ctx.store();
    await store.evidence.writeBatch(
      { sourceId: 'b', ctEvents: [terminateSession('bob-1', T0 + 2 * HOUR)] },
      settings(),
    );
    await store.evidence.writeBatch({ sourceId: 'a', ctEvents: [startSession('bob-1', T0)] }, settings());
    await store.evidence.writeBatch({ sourceId: 'a', ctEvents: [startSession('bob-2', T0)] }, settings());
    await store.evidence.writeBatch(
      { sourceId: 'b', ctEvents: [terminateSession('bob-2', T0 + 2 * HOUR)] },
      settings(),
    );
    const [one, two] = [await store.sessions.get('bob-1'), await store.sessions.get('bob-2')];
    const { sessionId: _a, ...restOne } = one!;
    const { sessionId: _b, ...restTwo } = two!;
    expect(restOne).toEqual(restTwo);
  });

  it('readCheckpoint and isInLedger read back what a batch committed, per source', async () => {
    ctx.covers('evidence.readCheckpoint', 'evidence.isInLedger');
    const store = ctx.store();
    expect(await store.evidence.readCheckpoint('src')).toBeUndefined();
    await store.evidence.writeBatch(
      {
        sourceId: 'src',
        ledger: [{ itemKey: 'k', version: 'v1', outcome: 'quarantined', records: 0 }],
        quarantine: [{ itemKey: 'k', reason: 'corrupt_gzip', detail: null }],
        checkpoint: { n: 1 },
      },
      settings(),
    );
    expect(await store.evidence.readCheckpoint<{ n: number }>('src')).toEqual({ n: 1 });
    expect(await store.evidence.readCheckpoint('other')).toBeUndefined();
    expect(await store.evidence.isInLedger('src', 'k', 'v1')).toBe(true);
    expect(await store.evidence.isInLedger('src', 'k', 'v2')).toBe(false);
    expect(await store.evidence.isInLedger('other', 'k', 'v1')).toBe(false);
  });

  it('listQuarantine and listLedger page through what batches set aside and read, in key order', async () => {
    ctx.covers('evidence.listQuarantine', 'evidence.listLedger');
    const store = ctx.store();
    for (const [sourceId, keys] of [
      ['b-src', ['z.log', 'a.log']],
      ['a-src', ['m.json.gz']],
    ] as const) {
      await store.evidence.writeBatch(
        {
          sourceId,
          ledger: keys.map((itemKey) => ({
            itemKey,
            version: 'v1',
            outcome: 'quarantined' as const,
            records: 0,
          })),
          quarantine: keys.flatMap((itemKey) => [
            { itemKey, reason: 'corrupt_gzip', detail: `${itemKey}: unexpected end of file` },
            { itemKey, reason: 'bad_json', detail: null },
          ]),
        },
        settings(),
      );
    }
    // Re-applying the same batch adds nothing (natural keys).
    await store.evidence.writeBatch(
      { sourceId: 'a-src', quarantine: [{ itemKey: 'm.json.gz', reason: 'bad_json', detail: null }] },
      settings(),
    );
    const all = [];
    let cursor: string | null = null;
    do {
      const page = await store.evidence.listQuarantine({}, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.map((q) => `${q.sourceId} ${q.itemKey} ${q.reason}`)).toEqual([
      'a-src m.json.gz bad_json',
      'a-src m.json.gz corrupt_gzip',
      'b-src a.log bad_json',
      'b-src a.log corrupt_gzip',
      'b-src z.log bad_json',
      'b-src z.log corrupt_gzip',
    ]);
    expect(all[1]!.detail).toBe('m.json.gz: unexpected end of file');
    const onlyB = await store.evidence.listQuarantine({ sourceId: 'b-src' });
    expect(onlyB.items.map((q) => q.itemKey)).toEqual(['a.log', 'a.log', 'z.log', 'z.log']);
    expect(onlyB.nextCursor).toBeNull();

    const first = await store.evidence.listLedger('b-src', { limit: 1 });
    expect(first.items).toEqual([{ itemKey: 'a.log', version: 'v1', outcome: 'quarantined', records: 0 }]);
    const second = await store.evidence.listLedger('b-src', { limit: 1, cursor: first.nextCursor });
    expect(second.items.map((l) => l.itemKey)).toEqual(['z.log']);
    expect((await store.evidence.listLedger('nobody')).items).toEqual([]);
    await expect(store.evidence.listLedger('b-src', { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });

  it('sessionEvents and describeSnapshots return the raw evidence of one session', async () => {
    ctx.covers('evidence.sessionEvents', 'evidence.describeSnapshots');
    const store = ctx.store();
    await store.evidence.writeBatch(
      {
        sourceId: 'x',
        ctEvents: [
          terminateSession('carol-1', T0 + HOUR),
          startSession('carol-1', T0),
          startSession('dave-1', T0),
        ],
        describeSnapshots: [describeSnapshot('carol-1', 'Terminated', T0, T0 + HOUR)],
      },
      settings(),
    );
    const events = await store.evidence.sessionEvents('carol-1');
    expect(events.map((e) => e.eventName)).toEqual(['StartSession', 'TerminateSession']);
    expect(JSON.parse(events[0]!.raw)).toEqual({ eventID: 'start-carol-1' });
    expect((await store.evidence.describeSnapshots('carol-1')).map((d) => d.status)).toEqual(['Terminated']);
    expect(await store.evidence.describeSnapshots('dave-1')).toEqual([]);
  });

  it('a write without the lease, or after losing it, is refused and changes nothing', async () => {
    ctx.covers('lease.acquire');
    const store = ctx.store();
    const other = await ctx.reopen();
    await expect(
      other.evidence.writeBatch({ sourceId: 'x', ctEvents: [startSession('eve-1', T0)] }, settings()),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.sessions.get('eve-1')).toBeUndefined();
  });

  it('taking the lease again elsewhere makes the first holder lose it: its writes and renewals fail', async () => {
    ctx.covers('lease.acquire');
    const store = ctx.store();
    const lease = await store.lease.acquire('first writer');
    expect(lease.held).toBe(true);
    await lease.renew();
    // Within one process a second connection may take the lease over (across processes a live
    // lease makes the taker wait and fail with LeaseHeldError: test/ingest/worker.test.ts).
    const other = await ctx.reopen();
    const taken = await other.lease.acquire('second writer');
    await expect(
      store.evidence.writeBatch({ sourceId: 'x', ctEvents: [startSession('fay-1', T0)] }, settings()),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(lease.renew()).rejects.toBeInstanceOf(LeaseLostError);
    expect(lease.held).toBe(false);
    await other.evidence.writeBatch({ sourceId: 'x', ctEvents: [startSession('fay-1', T0)] }, settings());
    expect((await store.sessions.get('fay-1'))?.actor).toBe('fay');
    await taken.release();
    expect(taken.held).toBe(false);
  });
}
