import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import { createCloudtrailS3Source } from '../../../src/ingest/sources/cloudtrail-s3.ts';
import { type S3Fake, startS3 } from '../../fakes/s3.ts';
import { allSessions, quarantineRows } from '../../support/store-view.ts';
import { ingestOnce, tempStore } from '../harness.ts';
import { identities, noise, startSession, terminateSession, trailFile } from '../records.ts';

let s3: S3Fake;
const org = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/ap-northeast-1';
const plain = 'AWSLogs/444455556666/CloudTrail/us-east-1';
const put = (key: string, records: unknown[]) => s3.put('trail', key, gzipSync(trailFile(records)));
const logName = (acct: string, region: string, stamp: string) =>
  `${acct}_CloudTrail_${region}_${stamp}_abcdEFGH12345678.json.gz`;

beforeAll(async () => {
  s3 = await startS3({ buckets: ['trail'] });
  await put(`${org}/2026/11/20/${logName('111122223333', 'ap-northeast-1', '20261120T0100Z')}`, [
    noise(),
    startSession({ sessionId: 'alice-0a1b2c3d4e5f60718', time: '2026-11-20T01:00:00Z' }),
  ]);
  await put(`${org}/2026/11/24/${logName('111122223333', 'ap-northeast-1', '20261124T0800Z')}`, [
    terminateSession('alice-0a1b2c3d4e5f60718', { time: '2026-11-20T02:00:00Z' }),
  ]);
  await put(`${plain}/2026/11/24/${logName('444455556666', 'us-east-1', '20261124T0900Z')}`, [
    startSession({
      sessionId: 'root-6q4jx2m0k8s7d5f3h1g9z0y2wa',
      identity: identities.root('444455556666'),
      region: 'us-east-1',
      time: '2026-11-24T09:00:00Z',
    }),
  ]);
  await s3.put(
    'trail',
    `${plain}/2026/11/24/${logName('444455556666', 'us-east-1', '20261124T0905Z')}`,
    'not gzip',
  );
  await s3.put(
    'trail',
    'AWSLogs/444455556666/CloudTrail-Digest/us-east-1/2026/11/24/x_CloudTrail-Digest_y.json.gz',
    gzipSync('{}'),
  );
  await s3.put('trail', 'AWSLogs/444455556666/CloudTrail/ConfigWritabilityCheckFile', 'probe');
}, 30_000);
afterAll(() => s3.close());

function recordingClient() {
  const client = new S3Client(s3.clientConfig);
  const calls: { name: string; prefix?: string }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ name: context.commandName!, prefix: (args.input as { Prefix?: string }).Prefix });
      return next(args);
    },
    { step: 'initialize' },
  );
  return { client, calls };
}

const config = configSchema.parse({
  sources: { cloudtrailS3: [{ bucket: 'trail', forcePathStyle: true, startDate: '2026-11-19' }] },
}).sources.cloudtrailS3[0]!;

describe('cloudtrail-s3 source', () => {
  it('discovers organization and account trails, reads each object once, lists incrementally', async () => {
    const db = await tempStore();
    try {
      const first = recordingClient();
      let now = Date.parse('2026-11-24T12:00:00Z');
      const source = () => createCloudtrailS3Source(config, { client: first.client, now: () => now });
      const r1 = await ingestOnce(db.store, [source()]);
      expect(r1.failures).toEqual([]);
      const sessions = await allSessions(db.store);
      // root's session has no end in evidence: only the assumed one (start + max duration).
      expect(sessions.map((s) => [s.sessionId, s.actor, s.endSource])).toEqual([
        ['root-6q4jx2m0k8s7d5f3h1g9z0y2wa', 'root', null],
        ['alice-0a1b2c3d4e5f60718', 'alice', 'terminate'],
      ]);
      expect(sessions.map((s) => s.assumedEndAt)).toEqual([sessions[0]!.startedAt! + 24 * 3_600_000, null]);
      expect((await quarantineRows(db.store)).map(({ itemKey, reason }) => ({ itemKey, reason }))).toEqual([
        {
          itemKey: `${plain}/2026/11/24/${logName('444455556666', 'us-east-1', '20261124T0905Z')}`,
          reason: 'corrupt_gzip',
        },
      ]);
      expect(first.calls.filter((c) => c.name === 'GetObjectCommand')).toHaveLength(4);
      expect(await db.store.evidence.readCheckpoint(source().id)).toEqual({
        days: { [`${org}/`]: '2026-11-24', [`${plain}/`]: '2026-11-24' },
      });

      // Two days later, with a file delivered late into an already-listed day.
      await put(`${org}/2026/11/23/${logName('111122223333', 'ap-northeast-1', '20261123T2355Z')}`, [
        startSession({ sessionId: 'alice-1b2c3d4e5f6071829', time: '2026-11-23T23:55:00Z' }),
      ]);
      first.calls.length = 0;
      now = Date.parse('2026-11-26T00:30:00Z');
      await ingestOnce(db.store, [source()]);
      const listed = first.calls.filter((c) => c.name === 'ListObjectsV2Command').map((c) => c.prefix!);
      const dayPrefixes = listed.filter((p) => /\/\d{4}\/\d{2}\/\d{2}\/$/.test(p));
      expect(dayPrefixes.filter((p) => p.startsWith(org)).map((p) => p.slice(org.length))).toEqual([
        '/2026/11/22/',
        '/2026/11/23/',
        '/2026/11/24/',
        '/2026/11/25/',
        '/2026/11/26/',
      ]);
      expect(first.calls.filter((c) => c.name === 'GetObjectCommand')).toHaveLength(1);
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toContain('alice-1b2c3d4e5f6071829');
    } finally {
      await db.dispose();
    }
  });

  it('keeps a day with an unreadable object in the next poll even after the lookback has moved on', async () => {
    const db = await tempStore();
    try {
      const unreadable = `${org}/2026/11/20/${logName('111122223333', 'ap-northeast-1', '20261120T0100Z')}`;
      let denied = true;
      const client = new S3Client(s3.clientConfig);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (
            denied &&
            context.commandName === 'GetObjectCommand' &&
            (args.input as { Key?: string }).Key === unreadable
          )
            throw Object.assign(new Error('Access Denied'), {
              name: 'AccessDenied',
              $metadata: { httpStatusCode: 403 },
            });
          return next(args);
        },
        { step: 'initialize' },
      );
      let now = Date.parse('2026-11-24T12:00:00Z');
      const source = () =>
        createCloudtrailS3Source({ ...config, lookbackDays: 0 }, { client, now: () => now });
      const log: string[] = [];
      expect((await ingestOnce(db.store, [source()], log)).failures).toEqual([]);
      expect(log.join('\n')).toMatch(/AccessDenied.*will retry next poll/);
      expect(await db.store.evidence.readCheckpoint(source().id)).toEqual({
        days: { [`${org}/`]: '2026-11-19', [`${plain}/`]: '2026-11-24' },
      });
      const started = async () =>
        (await db.store.evidence.sessionEvents('alice-0a1b2c3d4e5f60718')).filter(
          (e) => e.eventName === 'StartSession',
        ).length;
      expect(await started()).toBe(0);

      denied = false;
      now = Date.parse('2026-11-28T12:00:00Z');
      await ingestOnce(db.store, [source()]);
      expect(await started()).toBe(1);
      expect(await db.store.evidence.readCheckpoint(source().id)).toEqual({
        days: { [`${org}/`]: '2026-11-28', [`${plain}/`]: '2026-11-28' },
      });
    } finally {
      await db.dispose();
    }
  });

  it('limits listing to configured accounts and regions', async () => {
    const db = await tempStore();
    try {
      const { client, calls } = recordingClient();
      const only = { ...config, accounts: ['444455556666'], regions: ['us-east-1'] };
      await ingestOnce(db.store, [
        createCloudtrailS3Source(only, { client, now: () => Date.parse('2026-11-24T12:00:00Z') }),
      ]);
      expect((await allSessions(db.store)).map((s) => s.accountId)).toEqual(['444455556666']);
      expect(calls.some((c) => c.prefix?.includes('111122223333/CloudTrail/ap-northeast-1/2026'))).toBe(
        false,
      );
    } finally {
      await db.dispose();
    }
  });

  it('reports a failing bucket without stopping the other sources', async () => {
    const db = await tempStore();
    try {
      const log: string[] = [];
      const missing = createCloudtrailS3Source(
        { ...config, bucket: 'no-such-bucket' },
        { client: new S3Client({ ...s3.clientConfig, maxAttempts: 1 }) },
      );
      const good = createCloudtrailS3Source(config, {
        client: s3.client,
        now: () => Date.parse('2026-11-24T12:00:00Z'),
      });
      const report = await ingestOnce(db.store, [missing, good], log);
      expect(report.failures.map((f) => f.sourceId)).toEqual(['cloudtrail-s3:no-such-bucket/']);
      expect(report.failures[0]!.message).toMatch(/NoSuchBucket/);
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toContain(
        'root-6q4jx2m0k8s7d5f3h1g9z0y2wa',
      );
    } finally {
      await db.dispose();
    }
  });
});
