import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudtrailLookupSource } from '../../../src/ingest/sources/cloudtrail-lookup.ts';
import { type CloudTrailFake, startCloudTrailFake, testAwsClientConfig } from '../../fakes/index.ts';
import { allSessions } from '../../support/store-view.ts';
import { ingestOnce, tempStore } from '../harness.ts';
import { noise, startSession } from '../records.ts';

const config = {
  region: 'ap-northeast-1',
  initialLookbackHours: 24,
  overlapMinutes: 30,
  requestsPerSecond: 2,
};
let fake: CloudTrailFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const at = (iso: string) => Date.parse(iso);
function sessionAt(i: number, iso: string) {
  return startSession({
    sessionId: `alice-${i.toString(16).padStart(17, '0')}`,
    eventId: `evt-${i}`,
    time: iso,
  });
}

describe('cloudtrail-lookup source', () => {
  it('pages through every event at <= 2 requests/s, with the same parameters on each page', async () => {
    const base = at('2026-11-24T00:00:00Z');
    const records = Array.from({ length: 120 }, (_, i) =>
      sessionAt(i, new Date(base + i * 60_000).toISOString()),
    );
    fake = await startCloudTrailFake({ records: [...records, noise()] });
    const client = new CloudTrailClient(
      testAwsClientConfig(fake.url, { region: 'ap-northeast-1', maxAttempts: 1 }),
    );
    const db = await tempStore();
    try {
      const started = Date.now();
      const report = await ingestOnce(db.store, [
        createCloudtrailLookupSource(config, { client, now: () => at('2026-11-24T12:00:00Z') }),
      ]);
      expect(report.failures).toEqual([]);
      expect(await allSessions(db.store)).toHaveLength(120);
      const calls = fake.state.server.calls.filter((c) => c.operation === 'LookupEvents');
      expect(calls).toHaveLength(3);
      expect(fake.state.server.stats.throttled).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // three requests at 2/s
      const { NextToken: _, ...firstParams } = calls[0]!.input;
      for (const c of calls) {
        const { NextToken: __, ...params } = c.input;
        expect(params).toEqual(firstParams);
      }
      expect(firstParams.LookupAttributes).toEqual([
        { AttributeKey: 'EventSource', AttributeValue: 'ssm.amazonaws.com' },
      ]);
    } finally {
      await db.dispose();
    }
  });

  it('re-reads an overlap window so a late event is not missed, and duplicates collapse', async () => {
    fake = await startCloudTrailFake({ records: [sessionAt(1, '2026-11-24T11:50:00Z')] });
    const client = new CloudTrailClient(testAwsClientConfig(fake.url, { maxAttempts: 1 }));
    const db = await tempStore();
    try {
      let now = at('2026-11-24T12:00:00Z');
      const source = createCloudtrailLookupSource(config, { client, now: () => now });
      await ingestOnce(db.store, [source]);
      expect(await db.store.evidence.readCheckpoint(source.id)).toEqual({ highWaterMs: now });
      // Delivered after the first poll, though it happened before its end.
      fake.addRecords(sessionAt(2, '2026-11-24T11:55:00Z'));
      now = at('2026-11-24T12:05:00Z');
      const r2 = await ingestOnce(db.store, [source]);
      expect((await allSessions(db.store)).map((s) => s.sessionId).sort()).toEqual([
        'alice-00000000000000001',
        'alice-00000000000000002',
      ]);
      expect(r2.counters.sessionEvents).toBe(1); // the re-read first event collapsed by eventID
      const second = fake.state.server.calls.at(-1)!.input;
      expect(second.StartTime).toBe(at('2026-11-24T11:30:00Z') / 1000);
    } finally {
      await db.dispose();
    }
  });

  it('backs off on ThrottlingException and 5xx and still reads everything', async () => {
    fake = await startCloudTrailFake({ records: [sessionAt(7, '2026-11-24T11:00:00Z')] });
    fake.injectFault({ kind: 'throttle', count: 2 });
    fake.injectFault({ kind: 'internal', count: 1 });
    const client = new CloudTrailClient(testAwsClientConfig(fake.url, { maxAttempts: 1 }));
    const db = await tempStore();
    const log: string[] = [];
    try {
      const source = createCloudtrailLookupSource(config, {
        client,
        now: () => at('2026-11-24T12:00:00Z'),
        retryBaseMs: 20,
      });
      const report = await ingestOnce(db.store, [source], log);
      expect(report.failures).toEqual([]);
      expect(await allSessions(db.store)).toHaveLength(1);
      expect(log.filter((l) => /retry/.test(l))).toHaveLength(3);
      expect(log.some((l) => /ThrottlingException/.test(l))).toBe(true);
    } finally {
      await db.dispose();
    }
  });
});
