/**
 * Contract: what users own (tokens, the access trail: written without the writer lease) and the
 * API's summaries (stats, timelines).
 */
import { expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/errors.ts';
import type { NewToken, Store, TimelineEntry } from '../../../src/store/index.ts';
import { extracted, putCommands } from '../helpers.ts';
import type { ContractContext } from './contract.ts';
import { deniedStart, HOUR, s3Transcript, settings, startSession, T0, terminateSession } from './fixtures.ts';

function token(id: string, extra: Partial<NewToken> = {}): NewToken {
  return {
    tokenId: id,
    kind: 'api',
    name: id,
    role: 'auditor',
    secretHash: `hash-${id}`,
    createdAt: T0,
    expiresAt: null,
    parentId: null,
    createdBy: 'contract',
    ...extra,
  };
}

export function tokensContract(ctx: ContractContext): void {
  it('tokens and the access trail are written without the writer lease', async () => {
    ctx.covers('tokens.create', 'tokens.authenticate', 'accessTrail.append', 'accessTrail.list');
    const other: Store = await ctx.reopen(); // holds no lease; ctx.store() does
    await other.tokens.create(token('t1'));
    expect(await other.tokens.authenticate('hash-t1', T0 + 1)).toMatchObject({
      tokenId: 't1',
      role: 'auditor',
    });
    expect(await other.tokens.authenticate('hash-nope', T0 + 1)).toBeUndefined();
    await expect(other.tokens.create(token('t2', { name: 't1' }))).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    for (let i = 0; i < 3; i++)
      await other.accessTrail.append({
        at: T0 + i,
        action: i === 2 ? 'search' : 'signin',
        actor: 'kim',
        role: 'auditor',
        tokenId: 't1',
        sourceIp: '127.0.0.1',
        subject: null,
        detail: i === 2 ? { q: 'iptables' } : null,
      });
    const first = await other.accessTrail.list({}, { limit: 2 });
    expect(first.items.map((e) => e.at)).toEqual([T0 + 2, T0 + 1]);
    expect(first.items[0]!.detail).toEqual({ q: 'iptables' });
    const rest = await other.accessTrail.list({}, { limit: 2, cursor: first.nextCursor });
    expect(rest.items.map((e) => e.at)).toEqual([T0]);
    expect(rest.nextCursor).toBeNull();
    expect((await other.accessTrail.list({ action: 'search' })).items).toHaveLength(1);
  });

  it('the access trail is append-only: changes around the interface are refused', async () => {
    const store = ctx.store();
    const entry = (i: number) => ({
      at: T0 + i,
      action: 'replay',
      actor: 'kim',
      role: 'auditor' as const,
      tokenId: null,
      sourceIp: '203.0.113.9',
      subject: `s-${i}`,
      detail: null,
    });
    await store.accessTrail.append(entry(0));
    await store.accessTrail.append(entry(1));
    const before = (await store.accessTrail.list()).items;
    expect(before).toHaveLength(2);
    await expect(ctx.tamper().updateAccessTrail()).rejects.toThrow(/append-only/);
    await expect(ctx.tamper().deleteAccessTrail()).rejects.toThrow(/append-only/);
    expect((await store.accessTrail.list()).items).toEqual(before);
  });

  it('browser sign-ins expire and die with their token; codes redeem once; revoke by id or name', async () => {
    ctx.covers('tokens.redeemCode', 'tokens.revoke', 'tokens.list');
    const store = ctx.store();
    await store.tokens.create(token('api1', { name: 'kim' }));
    await store.tokens.create(
      token('br1', { kind: 'browser', parentId: 'api1', expiresAt: T0 + HOUR, secretHash: 'hash-br1' }),
    );
    await store.tokens.create(token('code1', { kind: 'signin_code', role: 'admin', expiresAt: T0 + HOUR }));
    expect(await store.tokens.authenticate('hash-br1', T0 + 1)).toMatchObject({ kind: 'browser' });
    expect(await store.tokens.authenticate('hash-br1', T0 + HOUR)).toBeUndefined();
    // A code is never a bearer credential; it redeems exactly once.
    expect(await store.tokens.authenticate('hash-code1', T0 + 1)).toBeUndefined();
    expect(await store.tokens.redeemCode('hash-code1', T0 + 1)).toMatchObject({ role: 'admin' });
    expect(await store.tokens.redeemCode('hash-code1', T0 + 2)).toBeUndefined();
    expect((await store.tokens.list()).map((t) => t.tokenId)).toEqual(['api1']);
    expect((await store.tokens.revoke('kim', T0 + 5)).map((t) => t.tokenId)).toEqual(['api1']);
    expect(await store.tokens.authenticate('hash-api1', T0 + 6)).toBeUndefined();
    expect(await store.tokens.authenticate('hash-br1', T0 + 6)).toBeUndefined();
    expect((await store.tokens.list())[0]!.revokedAt).toBe(T0 + 5);
    expect(await store.tokens.revoke('kim', T0 + 7)).toEqual([]);
    // The name is free again once its token is revoked.
    await store.tokens.create(token('api2', { name: 'kim' }));
  });

  it('authenticate records last use to the minute, on the credential and the token it came from', async () => {
    ctx.covers('tokens.authenticate', 'tokens.list');
    const store = ctx.store();
    await store.tokens.create(token('api1', { name: 'kim' }));
    await store.tokens.create(token('api2', { name: 'lee' }));
    await store.tokens.create(
      token('br1', { kind: 'browser', parentId: 'api2', expiresAt: T0 + 10 * HOUR, secretHash: 'hash-br1' }),
    );
    const used = async () =>
      Object.fromEntries((await store.tokens.list()).map((t) => [t.tokenId, t.lastUsedAt]));
    expect(await used()).toEqual({ api1: null, api2: null });
    await store.tokens.authenticate('hash-api1', T0 + 1000);
    expect(await used()).toEqual({ api1: T0 + 1000, api2: null });
    // Within the minute nothing is written; after it, the new time.
    await store.tokens.authenticate('hash-api1', T0 + 30_000);
    expect(await used()).toEqual({ api1: T0 + 1000, api2: null });
    await store.tokens.authenticate('hash-api1', T0 + 61_000);
    expect(await used()).toEqual({ api1: T0 + 61_000, api2: null });
    // A browser sign-in's use is its token's use too.
    expect(await store.tokens.authenticate('hash-br1', T0 + 2 * HOUR)).toMatchObject({ tokenId: 'br1' });
    expect(await used()).toEqual({ api1: T0 + 61_000, api2: T0 + 2 * HOUR });
    // A refused secret records nothing.
    await store.tokens.authenticate('hash-nope', T0 + 3 * HOUR);
    expect(await used()).toEqual({ api1: T0 + 61_000, api2: T0 + 2 * HOUR });
  });

  it('stats: sessions per day, top actors and targets, coverage, attempts; rows per table', async () => {
    ctx.covers('stats.overview', 'stats.tableRows');
    const store = ctx.store();
    await store.evidence.writeBatch(
      {
        sourceId: 's',
        ctEvents: [
          startSession('ann-1', T0),
          startSession('ann-2', T0 + 25 * HOUR),
          startSession('ben-3', T0 + 26 * HOUR, { target: 'i-2' }),
          deniedStart('d1', 'ann', T0 + HOUR),
        ],
      },
      settings(),
    );
    const all = await store.stats.overview();
    expect(all.sessionsPerDay).toEqual([
      { day: '2026-11-20', sessions: 1 },
      { day: '2026-11-21', sessions: 2 },
    ]);
    expect(all.topActors[0]).toEqual({ actor: 'ann', sessions: 2 });
    expect(all.topTargets.map((t) => t.target)).toEqual(['i-0aa11bb22cc33dd44', 'i-2']);
    expect(all.sessions).toBe(3);
    expect(all.attempts).toBe(1);
    expect(Object.values(all.coverage).reduce((a, b) => a + b, 0)).toBe(3);
    const later = await store.stats.overview({ since: T0 + 24 * HOUR });
    expect(later.sessions).toBe(2);
    expect(later.attempts).toBe(0);
    const rows = await store.stats.tableRows();
    expect(rows.sessions).toBe(3);
    expect(rows.commands).toBe(0);
  });

  it('timelines: sessions and commands of one actor or target in time order, paged without gaps', async () => {
    ctx.covers('timelines.list');
    const store = ctx.store();
    await store.evidence.writeBatch(
      {
        sourceId: 's',
        ctEvents: [
          startSession('cy-1', T0),
          startSession('cy-2', T0 + 10_000),
          startSession('dee-3', T0 + 5000, { target: 'i-9' }),
        ],
      },
      settings(),
    );
    await putCommands(store, 'cy-1', [extracted(0, 'a', { at: T0 }), extracted(1, 'b', { at: T0 + 20_000 })]);
    await putCommands(store, 'cy-2', [extracted(0, 'c', { at: T0 + 10_000 }), extracted(1, 'untimed')]);
    const label = (e: TimelineEntry) => (e.type === 'session' ? e.session.sessionId : e.command.text);
    const whole = await store.timelines.list({ actor: 'cy' });
    // `untimed` has no time of its own: it follows `c`, the timed command before it in cy-2.
    expect(whole.items.map(label)).toEqual(['cy-1', 'a', 'cy-2', 'c', 'untimed', 'b']);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.timelines.list({ actor: 'cy' }, {}, { limit: 2, cursor });
      paged.push(...page.items.map(label));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(['cy-1', 'a', 'cy-2', 'c', 'untimed', 'b']);
    expect((await store.timelines.list({ actor: 'cy' }, { commands: false })).items.map(label)).toEqual([
      'cy-1',
      'cy-2',
    ]);
    expect((await store.timelines.list({ target: 'i-9' })).items.map(label)).toEqual(['dee-3']);
    // cy-1 began before `since` and has not ended (assumed end: a day later): it overlaps.
    expect((await store.timelines.list({ actor: 'cy' }, { since: T0 + 10_000 })).items.map(label)).toEqual([
      'cy-1',
      'cy-2',
      'c',
      'untimed',
      'b',
    ]);
  });

  it('timelines: a window lists the sessions overlapping it, sessions without a start, and untimed commands by their session', async () => {
    ctx.covers('timelines.list');
    const store = ctx.store();
    const min = 60_000;
    const on = { target: 'i-n1' };
    const dee = s3Transcript('dee-4', Buffer.from('$ hostname\r\nn1\r\n'), T0 + 135 * min);
    await store.evidence.writeBatch(
      {
        sourceId: 's',
        ctEvents: [
          startSession('ann-1', T0 + 90 * min, on),
          { ...terminateSession('ann-1', T0 + 150 * min), ...on },
          startSession('bo-2', T0 + 30 * min, on),
          { ...terminateSession('bo-2', T0 + 60 * min), ...on },
          startSession('cy-3', T0 + 60 * min, on), // never ended: assumed to end a day later
          startSession('eve-5', T0 + 240 * min, on),
        ],
        // dee-4: only its S3 log, which claims the node; no start, its end the upload time.
        transcripts: [{ ...dee.transcript, claimedTarget: 'i-n1' }],
        transcriptChunks: dee.chunks,
      },
      settings(),
    );
    // ann-1 is S3-only: no command has a time.
    await putCommands(store, 'ann-1', [extracted(0, 'ls'), extracted(1, 'whoami')]);
    await putCommands(store, 'cy-3', [
      extracted(0, 'a', { at: T0 + 70 * min }),
      extracted(1, 'b'), // between a and c: may have run in the window
      extracted(2, 'c', { at: T0 + 150 * min }),
      extracted(3, 'd', { at: T0 + 210 * min }),
    ]);
    await putCommands(store, 'bo-2', [extracted(0, 'early')]);
    await putCommands(store, 'dee-4', [extracted(0, 'hostname')]);
    const label = (e: TimelineEntry) => (e.type === 'session' ? e.session.sessionId : e.command.text);
    // "What did anyone do on i-n1 between 02:00 and 03:00?"
    const window = { since: T0 + 120 * min, until: T0 + 180 * min };
    const inWindow = ['cy-3', 'b', 'ann-1', 'ls', 'whoami', 'dee-4', 'hostname', 'c'];
    const got = await store.timelines.list(on, window);
    expect(got.items.map(label)).toEqual(inWindow);
    const ls = got.items.find((e) => e.type === 'command' && e.command.text === 'ls')!;
    expect(ls.at).toBe(T0 + 90 * min); // placed at its session's start; its own time stays unknown
    expect(ls.type === 'command' && ls.command.at).toBeNull();
    expect(got.items.find((e) => e.type === 'session' && e.session.sessionId === 'dee-4')!.at).toBe(
      T0 + 135 * min,
    );
    const all = [
      'bo-2',
      'early',
      'cy-3',
      'a',
      'b',
      'ann-1',
      'ls',
      'whoami',
      'dee-4',
      'hostname',
      'c',
      'd',
      'eve-5',
    ];
    expect((await store.timelines.list(on)).items.map(label)).toEqual(all);
    for (const [options, expected] of [
      [window, inWindow],
      [{}, all],
    ] as const) {
      for (const limit of [1, 2, 3]) {
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.timelines.list(on, options, { limit, cursor });
          paged.push(...page.items.map(label));
          cursor = page.nextCursor;
        } while (cursor);
        expect(paged).toEqual(expected);
      }
    }
    expect((await store.timelines.list(on, { ...window, commands: false })).items.map(label)).toEqual([
      'cy-3',
      'ann-1',
      'dee-4',
    ]);
  });
}
