/** Contract: the detect queue, alerts, the outbox, rule states and suppressions (store/alerts.ts). */
import { expect, it } from 'vitest';
import type { NewAlert, Store } from '../../../src/store/index.ts';
import { extracted } from '../helpers.ts';
import type { ContractContext } from './contract.ts';
import { cwTranscript, settings, startSession, T0 } from './fixtures.ts';

function alert(key: string, extra: Partial<NewAlert> = {}): NewAlert {
  return {
    dedupKey: key,
    ruleId: 'st_history_tampering',
    ruleTitle: 'History tampering',
    ruleAuthor: 'shelltrail',
    level: 'high',
    tags: ['attack.defense-evasion'],
    sessionId: 'kim-1',
    commandText: 'history -c',
    commandAt: T0,
    commandSeq: 0,
    occurrence: 0,
    user: 'root',
    actor: 'kim',
    target: 'i-0aa11bb22cc33dd44',
    detail: null,
    link: '/sessions/kim-1?cmd=history%20-c',
    status: 'open',
    createdAt: T0 + 1000,
    notify: ['hook'],
    ...extra,
  };
}

async function extractedSession(store: Store, sessionId: string, texts: string[]): Promise<void> {
  const cw = cwTranscript(
    sessionId,
    texts.map((t) => `$ ${t}`),
    T0,
  );
  await store.evidence.writeBatch(
    {
      sourceId: 'a',
      ctEvents: [startSession(sessionId, T0)],
      transcripts: [cw.transcript],
      cwEvents: cw.events,
    },
    settings(),
  );
  await store.extractQueue.complete(sessionId, {
    commands: texts.map((t, i) => extracted(i, t, { at: T0 + i })),
    cols: 80,
    colsSource: 'default',
    extractorVersion: 1,
  });
}

export function alertsContract(ctx: ContractContext): void {
  it('an extraction queues its session for detection in the same call; complete stores alerts once', async () => {
    ctx.covers('detectQueue.next', 'detectQueue.size', 'detectQueue.complete', 'alerts.get', 'outbox.list');
    const store = ctx.store();
    expect(await store.detectQueue.size()).toBe(0);
    await extractedSession(store, 'kim-1', ['id', 'history -c']);
    expect(await store.detectQueue.next('', 10)).toEqual(['kim-1']);
    expect(await store.detectQueue.next('kim-1', 10)).toEqual([]);
    const first = await store.detectQueue.complete('kim-1', [alert('k1'), alert('k2', { notify: [] })]);
    expect(first).toEqual({ inserted: 2, deliveriesQueued: 1 });
    expect(await store.detectQueue.size()).toBe(0);
    // Re-extraction queues it again; the same dedupe keys add no alert and no delivery.
    await store.extractQueue.complete('kim-1', {
      commands: [extracted(0, 'history -c')],
      cols: 80,
      colsSource: 'default',
      extractorVersion: 1,
    });
    expect(await store.detectQueue.size()).toBe(1);
    expect(await store.detectQueue.complete('kim-1', [alert('k1')])).toEqual({
      inserted: 0,
      deliveriesQueued: 0,
    });
    const all = await store.alerts.list();
    expect(all.items.map((a) => a.dedupKey)).toEqual(['k2', 'k1']);
    const got = await store.alerts.get(all.items[1]!.alertId);
    expect(got).toMatchObject({
      ruleId: 'st_history_tampering',
      tags: ['attack.defense-evasion'],
      status: 'open',
    });
    expect(await store.alerts.get(9999)).toBeUndefined();
    const log = await store.outbox.list();
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      channel: 'hook',
      status: 'pending',
      attempts: 0,
      alertId: got!.alertId,
    });
  });

  it('queueAll queues every session with commands; writes need the lease', async () => {
    ctx.covers('detectQueue.queueAll', 'alerts.record');
    const store = ctx.store();
    await extractedSession(store, 'kim-1', ['id']);
    await store.detectQueue.complete('kim-1', []);
    expect(await store.detectQueue.queueAll()).toBe(1);
    expect(await store.detectQueue.size()).toBe(1);
    expect(await store.alerts.record([alert('s1', { sessionId: null, commandText: null })])).toEqual({
      inserted: 1,
      deliveriesQueued: 1,
    });
    const other = await ctx.reopen();
    await expect(other.alerts.record([alert('s2')])).rejects.toThrow(/lease/);
  });

  it('alerts list filters and pages newest first; status changes need no lease and skip unchanged', async () => {
    ctx.covers('alerts.list', 'alerts.setStatus', 'alerts.countByRule', 'alerts.countBySession');
    const store = ctx.store();
    await store.alerts.record([
      alert('a', { createdAt: T0 + 1, level: 'low' }),
      alert('b', { createdAt: T0 + 2, ruleId: 'other', sessionId: 'lee-1' }),
      alert('c', { createdAt: T0 + 3, level: 'critical', status: 'suppressed' }),
    ]);
    const page1 = await store.alerts.list({}, { limit: 2 });
    expect(page1.items.map((a) => a.dedupKey)).toEqual(['c', 'b']);
    const page2 = await store.alerts.list({}, { cursor: page1.nextCursor!, limit: 2 });
    expect(page2.items.map((a) => a.dedupKey)).toEqual(['a']);
    expect(page2.nextCursor).toBeNull();
    expect((await store.alerts.list({ minLevel: 'high' })).items.map((a) => a.dedupKey)).toEqual(['c', 'b']);
    expect((await store.alerts.list({ status: ['open'] })).items.map((a) => a.dedupKey)).toEqual(['b', 'a']);
    expect((await store.alerts.list({ ruleId: 'other' })).items.map((a) => a.dedupKey)).toEqual(['b']);
    expect((await store.alerts.list({ sessionId: 'lee-1' })).items).toHaveLength(1);
    expect((await store.alerts.list({ actor: 'KIM', since: T0 + 2, until: T0 + 3 })).items).toHaveLength(1);
    const ids = page1.items.map((a) => a.alertId);
    const viewer = await ctx.reopen();
    const changed = await viewer.alerts.setStatus([...ids, ids[0]!], {
      status: 'acknowledged',
      by: 'alice',
      reason: 'looked',
      now: T0 + 10,
    });
    expect(changed.map((a) => [a.dedupKey, a.status, a.statusBy, a.updatedAt])).toEqual([
      ['c', 'acknowledged', 'alice', T0 + 10],
      ['b', 'acknowledged', 'alice', T0 + 10],
    ]);
    expect(await viewer.alerts.setStatus(ids, { status: 'acknowledged', by: 'bob', now: T0 + 11 })).toEqual(
      [],
    );
    expect(await store.alerts.countByRule()).toEqual({ st_history_tampering: 2, other: 1 });
    expect(await store.alerts.countBySession(['kim-1', 'lee-1', 'none'])).toEqual({
      'kim-1': { open: 1, total: 2, openLevel: 'low', level: 'critical' },
      'lee-1': { open: 0, total: 1, openLevel: null, level: 'high' },
    });
    expect(await store.alerts.countBySession([])).toEqual({});
    await expect(store.alerts.list({}, { limit: 0 })).rejects.toThrow();
  });

  it('sessions.list filters by alerts (open or any, at least a level) and keeps its keyset order', async () => {
    ctx.covers('sessions.list', 'alerts.countBySession');
    const store = ctx.store();
    const ids = ['s-0', 's-1', 's-2', 's-3', 's-4', 's-5'];
    await store.evidence.writeBatch(
      { sourceId: 'a', ctEvents: ids.map((id, i) => startSession(id, T0 + i * 1000)) },
      settings(),
    );
    // Both connections have read the badges (none yet) before the alerts arrive: neither may keep
    // answering from what it read then.
    const other = await ctx.reopen();
    expect(await store.alerts.countBySession(ids)).toEqual({});
    expect(await other.alerts.countBySession(ids)).toEqual({});
    await store.alerts.record([
      alert('o-hi', { sessionId: 's-1', level: 'high' }),
      alert('o-lo', { sessionId: 's-2', level: 'low' }),
      alert('o-lo2', { sessionId: 's-2', level: 'medium' }),
      alert('sup', { sessionId: 's-3', level: 'critical', status: 'suppressed' }),
      alert('o-cr', { sessionId: 's-4', level: 'critical' }),
      alert('none', { sessionId: null, commandText: null }),
    ]);
    const resolved = await store.alerts.record([alert('res', { sessionId: 's-5', level: 'high' })]);
    expect(resolved.inserted).toBe(1);
    const [res] = (await store.alerts.list({ sessionId: 's-5' })).items;
    await store.alerts.setStatus([res!.alertId], { status: 'resolved', by: 'kim', now: T0 + 5 });
    const listed = async (filters: Parameters<Store['sessions']['list']>[0], limit = 100) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<Store['sessions']['list']>> = await store.sessions.list(filters, {
          limit,
          cursor,
        });
        out.push(...page.items.map((s) => s.sessionId));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    expect(await listed({ alerts: 'open' })).toEqual(['s-4', 's-2', 's-1']);
    expect(await listed({ alerts: 'any' })).toEqual(['s-5', 's-4', 's-3', 's-2', 's-1']);
    expect(await listed({ alerts: 'open', alertLevel: 'high' })).toEqual(['s-4', 's-1']);
    expect(await listed({ alertLevel: 'medium' })).toEqual(['s-4', 's-2', 's-1']);
    expect(await listed({ alerts: 'any', alertLevel: 'critical' })).toEqual(['s-4', 's-3']);
    expect(await listed({ alerts: 'any', since: T0 + 2000, until: T0 + 5000 })).toEqual([
      's-4',
      's-3',
      's-2',
    ]);
    for (const limit of [1, 2]) {
      expect(await listed({ alerts: 'open' }, limit)).toEqual(['s-4', 's-2', 's-1']);
      expect(await listed({ alerts: 'any' }, limit)).toEqual(['s-5', 's-4', 's-3', 's-2', 's-1']);
    }
    expect(await listed({})).toEqual([...ids].reverse());
    const counts = {
      's-1': { open: 1, total: 1, openLevel: 'high', level: 'high' },
      's-2': { open: 2, total: 2, openLevel: 'medium', level: 'medium' },
      's-3': { open: 0, total: 1, openLevel: null, level: 'critical' },
      's-4': { open: 1, total: 1, openLevel: 'critical', level: 'critical' },
      's-5': { open: 0, total: 1, openLevel: null, level: 'high' },
    };
    expect(await store.alerts.countBySession(ids)).toEqual(counts);
    expect(await other.alerts.countBySession([...ids, 'nope'])).toEqual(counts);
    expect(await other.alerts.countBySession(['s-0'])).toEqual({});
  });

  it('the outbox hands out due deliveries, retries later, gives up, and survives a reopen', async () => {
    ctx.covers('outbox.due', 'outbox.markDelivered', 'outbox.markFailed');
    const store = ctx.store();
    await store.alerts.record([
      alert('x', { notify: ['hook', 'slack'], createdAt: T0 }),
      alert('y', { notify: ['hook'], createdAt: T0 + 5 }),
    ]);
    const due = await store.outbox.due(T0 + 10, 10);
    expect(due.map((d) => [d.alert.dedupKey, d.delivery.channel])).toEqual([
      ['x', 'hook'],
      ['x', 'slack'],
      ['y', 'hook'],
    ]);
    expect(due[0]!.delivery).toMatchObject({
      status: 'pending',
      attempts: 0,
      createdAt: T0,
      deliveredAt: null,
    });
    expect(await store.outbox.due(T0 - 1, 10)).toEqual([]);
    const [a, b, c] = due.map((d) => d.delivery.deliveryId);
    await store.outbox.markDelivered(a!, T0 + 11);
    await store.outbox.markFailed(b!, 'HTTP 500', T0 + 60_000);
    await store.outbox.markFailed(c!, 'x'.repeat(5000), null);
    expect(await store.outbox.due(T0 + 20, 10)).toEqual([]);
    const later = await store.outbox.due(T0 + 60_000, 10);
    expect(later.map((d) => [d.delivery.deliveryId, d.delivery.attempts, d.delivery.lastError])).toEqual([
      [b, 1, 'HTTP 500'],
    ]);
    const reopened = await ctx.reopen();
    const log = await reopened.outbox.list({}, { limit: 2 });
    expect(log.items.map((d) => d.status)).toEqual(['dead', 'pending']);
    const rest = await reopened.outbox.list({}, { limit: 2, cursor: log.nextCursor! });
    expect(rest.items.map((d) => [d.status, d.deliveredAt])).toEqual([['delivered', T0 + 11]]);
    expect((await reopened.outbox.list({ status: 'dead' })).items[0]!.lastError!.length).toBeLessThanOrEqual(
      300,
    );
    expect((await reopened.outbox.list({ alertId: due[2]!.alert.alertId })).items).toHaveLength(1);
  });

  it('outbox.due leaves out excluded channels in the query; retryDead revives dead rows without the lease', async () => {
    ctx.covers('outbox.due', 'outbox.retryDead');
    const store = ctx.store();
    await store.alerts.record(
      Array.from({ length: 5 }, (_, i) => alert(`bad-${i}`, { notify: ['bad'], createdAt: T0 + i })),
    );
    await store.alerts.record([alert('good', { notify: ['good', 'other'], createdAt: T0 + 10 })]);
    // The limit applies after the exclusion: the failing channel's older rows cannot fill the page.
    const page = await store.outbox.due(T0 + 20, 2, { excludeChannels: ['bad'] });
    expect(page.map((d) => d.delivery.channel)).toEqual(['good', 'other']);
    expect(await store.outbox.due(T0 + 20, 10, { excludeChannels: ['bad', 'good', 'other'] })).toEqual([]);
    expect(
      (await store.outbox.due(T0 + 20, 2, { excludeChannels: [] })).map((d) => d.delivery.channel),
    ).toEqual(['bad', 'bad']);
    const bad = (await store.outbox.due(T0 + 20, 10)).filter((d) => d.delivery.channel === 'bad');
    for (const d of bad) await store.outbox.markFailed(d.delivery.deliveryId, 'HTTP 503', null);
    const [d0, d1] = bad.map((d) => d.delivery.deliveryId);
    // A user-owned write: another handle (no writer lease) retries dead rows.
    const other = await ctx.reopen();
    const one = await other.outbox.retryDead([d0!, 999_999], T0 + 100);
    expect(one).toEqual([
      expect.objectContaining({ deliveryId: d0, status: 'pending', attempts: 0, nextAttemptAt: T0 + 100 }),
    ]);
    expect(one[0]!.lastError).toBe('HTTP 503');
    // Only dead rows: a pending one is left alone.
    expect(await other.outbox.retryDead([d0!], T0 + 100)).toEqual([]);
    const rest = await other.outbox.retryDead('all', T0 + 200);
    expect(rest.map((d) => d.deliveryId)).toEqual(bad.slice(1).map((d) => d.delivery.deliveryId));
    expect(rest[0]!.deliveryId).toBe(d1);
    expect((await other.outbox.list({ status: 'dead' })).items).toEqual([]);
    expect((await store.outbox.due(T0 + 200, 10, { excludeChannels: ['good', 'other'] })).length).toBe(5);
  });

  it('rule states and suppressions are user-owned writes with expiry and removal', async () => {
    ctx.covers(
      'rules.list',
      'rules.setEnabled',
      'suppressions.create',
      'suppressions.list',
      'suppressions.remove',
    );
    const other = await ctx.reopen();
    expect(await other.rules.list()).toEqual([]);
    await other.rules.setEnabled('st_reverse_shell', false, 'alice', T0);
    await other.rules.setEnabled('st_reverse_shell', true, 'bob', T0 + 1);
    await other.rules.setEnabled('a_rule', false, 'bob', T0 + 2);
    expect(await other.rules.list()).toEqual([
      { ruleId: 'a_rule', enabled: false, updatedAt: T0 + 2, updatedBy: 'bob' },
      { ruleId: 'st_reverse_shell', enabled: true, updatedAt: T0 + 1, updatedBy: 'bob' },
    ]);
    const base = {
      ruleId: null,
      actor: 'deploy*',
      target: null,
      command: null,
      createdAt: T0,
      createdBy: 'alice',
    };
    const s1 = await other.suppressions.create({ ...base, reason: 'CI user', expiresAt: T0 + 100 });
    const s2 = await other.suppressions.create({ ...base, reason: 'forever', expiresAt: null });
    expect(s1).toMatchObject({ suppressionId: expect.any(Number), removedAt: null, reason: 'CI user' });
    expect((await other.suppressions.list()).map((s) => s.reason)).toEqual(['CI user', 'forever']);
    expect((await other.suppressions.list({ activeAt: T0 + 100 })).map((s) => s.reason)).toEqual(['forever']);
    expect(await other.suppressions.remove(s2.suppressionId, T0 + 5)).toBe(true);
    expect(await other.suppressions.remove(s2.suppressionId, T0 + 6)).toBe(false);
    expect((await other.suppressions.list()).map((s) => s.reason)).toEqual(['CI user']);
  });
}
