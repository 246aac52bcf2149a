/** Contract: forged CloudTrail versions never win by order, and end times are only what evidence says. */
import { expect, it } from 'vitest';
import type { ContractContext } from './contract.ts';
import { cwTranscript, HOUR, settings, startSession, T0 } from './fixtures.ts';

export function recordsContract(ctx: ContractContext): void {
  const genuine = startSession('olga-1', T0, {
    origin: 's3://trail/AWSLogs/111122223333/2026/11/20/a.json.gz',
  });
  const forged = startSession('olga-1', T0, {
    origin: 's3://trail/AWSLogs/111122223333/2026/11/20/0000-first.json.gz',
    principalArn: 'arn:aws:sts::111122223333:assumed-role/Admin/mallory',
    actor: 'mallory',
    target: 'i-0ffffffffffffffff',
  });

  it('test_conflicting_record: a second version of one eventID wins in no order and raises conflicting_record', async () => {
    ctx.covers('evidence.writeBatch', 'sessions.get', 'findings.list');
    const store = ctx.store();
    const other = await ctx.reopen();
    await other.lease.acquire('second');
    await other.evidence.writeBatch({ sourceId: 'a', ctEvents: [forged] }, settings());
    await other.evidence.writeBatch({ sourceId: 'a', ctEvents: [genuine] }, settings());
    const forgedFirst = await other.sessions.get('olga-1');
    const twin = { ...genuine, sessionId: 'olga-2', eventId: 'start-olga-2' };
    const twinForged = { ...forged, sessionId: 'olga-2', eventId: 'start-olga-2' };
    await other.evidence.writeBatch({ sourceId: 'a', ctEvents: [twin] }, settings());
    await other.evidence.writeBatch({ sourceId: 'a', ctEvents: [twinForged] }, settings());
    const genuineFirst = await other.sessions.get('olga-2');
    expect(forgedFirst?.identityVerified).toBe(false);
    expect(forgedFirst?.conflicts).toHaveLength(1);
    expect(forgedFirst?.conflicts[0]?.versions.map((v) => v.actor).sort()).toEqual(['mallory', 'olga']);
    expect(forgedFirst?.conflicts[0]?.versions.flatMap((v) => v.sources).sort()).toEqual(
      [forged.origin, genuine.origin].sort(),
    );
    const strip = (s: typeof forgedFirst) => {
      const { sessionId: _s, conflicts, ...rest } = s!;
      // The digest covers the session id, which differs between the two sessions compared.
      return {
        ...rest,
        conflicts: conflicts.map(({ eventId: _e, versions, ...c }) => ({
          ...c,
          versions: versions.map(({ digest: _d, ...v }) => v),
        })),
      };
    };
    expect(strip(genuineFirst)).toEqual(strip(forgedFirst));
    const findings = (await other.findings.list({ sessionId: 'olga-1', kinds: ['integrity'] })).items;
    expect(findings.map((f) => f.code)).toEqual(['conflicting_record:start-olga-1']);
    expect(findings[0]?.detail).toContain(forged.origin);
    expect(findings[0]?.detail).toContain(genuine.origin);
    void store;
  });

  it('the same record from two sources is one version: no conflict, counted once', async () => {
    ctx.covers('evidence.writeBatch', 'evidence.sessionEvents');
    const store = ctx.store();
    const a = await store.evidence.writeBatch({ sourceId: 'trail', ctEvents: [genuine] }, settings());
    const viaLookup = {
      ...genuine,
      origin: 'lookup:111122223333/eu-west-1',
      raw: '{"eventID":"start-olga-1","x":1}',
    };
    const b = await store.evidence.writeBatch({ sourceId: 'lookup', ctEvents: [viaLookup] }, settings());
    expect([a.ctEventsInserted, b.ctEventsInserted]).toEqual([1, 0]);
    const session = await store.sessions.get('olga-1');
    expect(session).toMatchObject({ identityVerified: true, conflicts: [], actor: 'olga' });
    // Both deliveries are kept exactly as received.
    expect((await store.evidence.sessionEvents('olga-1')).map((e) => e.raw).sort()).toEqual(
      [genuine.raw, viaLookup.raw].sort(),
    );
  });

  it('test_honest_end_times: endedAt is null without evidence; the assumption is assumedEndAt', async () => {
    ctx.covers('evidence.writeBatch', 'sessions.refreshTimeDependent');
    const store = ctx.store();
    const later = settings(T0 + 72 * HOUR);
    await store.evidence.writeBatch({ sourceId: 'a', ctEvents: [startSession('pia-1', T0)] }, later);
    const session = await store.sessions.get('pia-1');
    expect(session).toMatchObject({ endedAt: null, endSource: null, assumedEndAt: T0 + 24 * HOUR });
    expect(session?.coverage).toBe('missing');
    // Evidence of the end replaces the assumption.
    const cw = cwTranscript('pia-1', ['$ id', '$ exit'], T0 + 60_000);
    await store.evidence.writeBatch(
      { sourceId: 'b', transcripts: [cw.transcript], cwEvents: cw.events },
      later,
    );
    expect(await store.sessions.get('pia-1')).toMatchObject({
      endedAt: T0 + 61_000,
      endSource: 'transcript_cloudwatch',
      assumedEndAt: null,
    });
  });
}
