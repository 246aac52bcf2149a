import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudtrailLookupSource } from '../../../src/ingest/sources/cloudtrail-lookup.ts';
import { createDescribeSessionsSource } from '../../../src/ingest/sources/describe-sessions.ts';
import { type SsmFake, startCloudTrailFake, startSsmFake, testAwsClientConfig } from '../../fakes/index.ts';
import { allSessions, quarantineRows } from '../../support/store-view.ts';
import { ingestOnce, tempStore } from '../harness.ts';
import { startSession } from '../records.ts';

let ssm: SsmFake | undefined;
afterEach(async () => {
  await ssm?.close();
  ssm = undefined;
});
const now = Date.parse('2026-11-24T12:00:00Z');
const owner = 'arn:aws:iam::111122223333:user/alice';

describe('describe-sessions source', () => {
  it('reads Active and History across pages into snapshots that give sessions their end', async () => {
    const history = Array.from({ length: 230 }, (_, i) => ({
      SessionId: `alice-${i.toString(16).padStart(17, '0')}`,
      Target: 'i-0a1b2c3d4e5f60718',
      Status: 'Terminated',
      StartDate: now - (i + 2) * 3_600_000,
      EndDate: now - (i + 1) * 3_600_000,
      Owner: owner,
      Reason: i === 0 ? 'メンテナンス作業' : undefined,
      OutputUrl: { S3OutputUrl: '', CloudWatchOutputUrl: '' },
    }));
    const active = {
      SessionId: 'bob-0a1b2c3d4e5f60718',
      Target: 'mi-0123456789abcdef0',
      Status: 'Connected',
      StartDate: now - 60_000,
      Owner: owner,
    };
    ssm = await startSsmFake({ sessions: [...history, active], now: () => now, rateLimit: false });
    const client = new SSMClient(testAwsClientConfig(ssm.url, { maxAttempts: 1 }));
    const db = await tempStore();
    try {
      const source = createDescribeSessionsSource({ region: 'us-east-1' }, { client, requestsPerSecond: 50 });
      const report = await ingestOnce(db.store, [source]);
      expect(report.failures).toEqual([]);
      const states = ssm.state.server.calls.map((c) => [c.input.State, Boolean(c.input.NextToken)]);
      expect(states).toEqual([
        ['Active', false],
        ['History', false],
        ['History', true],
      ]);
      const sessions = await allSessions(db.store);
      expect(sessions).toHaveLength(231);
      const first = sessions.find((s) => s.sessionId === 'alice-00000000000000000')!;
      expect(first).toMatchObject({
        endedAt: now - 3_600_000,
        endSource: 'describe',
        status: 'Terminated',
        startSource: 'describe',
        accountId: '111122223333',
        region: 'us-east-1',
        actor: 'alice',
        reason: 'メンテナンス作業',
      });
      expect(sessions.find((s) => s.sessionId === 'bob-0a1b2c3d4e5f60718')).toMatchObject({
        status: 'Connected',
        endedAt: null,
      });
      // Polling again with nothing changed adds no snapshot rows.
      const count = async () => {
        let n = 0;
        for (const s of await allSessions(db.store))
          n += (await db.store.evidence.describeSnapshots(s.sessionId)).length;
        return n;
      };
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await ingestOnce(db.store, [source]);
      expect(await count()).toBe(before);
    } finally {
      await db.dispose();
    }
  });

  it('quarantines each bad entry under its own key, once across polls', async () => {
    const bad = (i: number) =>
      ({
        SessionId: '',
        Target: `i-0a1b2c3d4e5f6071${i}`,
        Status: 'Terminated',
        StartDate: now - (i + 2) * 3_600_000,
        EndDate: now - (i + 1) * 3_600_000,
      }) as const;
    const good = { ...bad(9), SessionId: 'alice-0a1b2c3d4e5f60718' };
    ssm = await startSsmFake({ sessions: [bad(0), bad(1), bad(2), good], now: () => now, rateLimit: false });
    const client = new SSMClient(testAwsClientConfig(ssm.url));
    const db = await tempStore();
    try {
      const source = createDescribeSessionsSource({ region: 'us-east-1' }, { client, requestsPerSecond: 50 });
      const keys = async () => (await quarantineRows(db.store)).map((q) => q.itemKey);
      await ingestOnce(db.store, [source]);
      expect(await keys()).toHaveLength(3);
      expect(new Set(await keys()).size).toBe(3);
      for (const k of await keys()) expect(k).toMatch(/^describe:History:sha256:[0-9a-f]{32}$/);
      await ingestOnce(db.store, [source]);
      expect(await keys()).toHaveLength(3);
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toEqual(['alice-0a1b2c3d4e5f60718']);
    } finally {
      await db.dispose();
    }
  });

  it('ends a CloudTrail session that never got a TerminateSession', async () => {
    const start = startSession({ sessionId: 'alice-0a1b2c3d4e5f60718', time: '2026-11-24T08:00:00Z' });
    const trail = await startCloudTrailFake({ records: [start] });
    ssm = await startSsmFake({
      sessions: [
        {
          SessionId: 'alice-0a1b2c3d4e5f60718',
          Target: 'i-0a1b2c3d4e5f60718',
          Status: 'Terminated',
          StartDate: '2026-11-24T08:00:01Z',
          EndDate: '2026-11-24T08:40:00Z',
          Owner: owner,
        },
      ],
      now: () => now,
    });
    const db = await tempStore();
    try {
      await ingestOnce(db.store, [
        createCloudtrailLookupSource(
          { region: 'ap-northeast-1', initialLookbackHours: 24, overlapMinutes: 30, requestsPerSecond: 2 },
          { client: new CloudTrailClient(testAwsClientConfig(trail.url)), now: () => now },
        ),
        createDescribeSessionsSource(
          { region: 'ap-northeast-1' },
          { client: new SSMClient(testAwsClientConfig(ssm.url)) },
        ),
      ]);
      expect(await allSessions(db.store)).toEqual([
        expect.objectContaining({
          startedAt: Date.parse('2026-11-24T08:00:00Z'),
          startSource: 'cloudtrail',
          endedAt: Date.parse('2026-11-24T08:40:00Z'),
          endSource: 'describe',
          status: 'Terminated',
        }),
      ]);
    } finally {
      await db.dispose();
      await trail.close();
    }
  });
});
