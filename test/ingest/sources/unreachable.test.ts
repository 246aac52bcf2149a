import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCloudtrailLookupSource } from '../../../src/ingest/sources/cloudtrail-lookup.ts';
import { createCloudtrailS3Source } from '../../../src/ingest/sources/cloudtrail-s3.ts';
import { createDescribeSessionsSource } from '../../../src/ingest/sources/describe-sessions.ts';
import { createTranscriptsCloudWatchSource } from '../../../src/ingest/sources/transcripts-cloudwatch.ts';
import { createTranscriptsS3Source } from '../../../src/ingest/sources/transcripts-s3.ts';
import { type SsmFake, startSsmFake, TEST_CREDENTIALS, testAwsClientConfig } from '../../fakes/index.ts';
import { allSessions } from '../../support/store-view.ts';
import { ingestOnce, tempStore } from '../harness.ts';

/** A loopback port nobody listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let ssm: SsmFake | undefined;
beforeEach(() => {
  // The sources build their clients from config with the default credential chain: give it keys.
  vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_PROFILE', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await ssm?.close();
  ssm = undefined;
});

describe('an unreachable endpoint', () => {
  it('fails each AWS source within seconds, and the other sources still run', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const access = { region: 'us-east-1', endpoint };
    const now = Date.parse('2026-11-24T12:00:00Z');
    ssm = await startSsmFake({
      sessions: [
        {
          SessionId: 'alice-0a1b2c3d4e5f60718',
          Target: 'i-0a1b2c3d4e5f60718',
          Status: 'Connected',
          StartDate: now - 60_000,
        },
      ],
      now: () => now,
      rateLimit: false,
    });
    const unreachable = [
      createCloudtrailLookupSource({
        ...access,
        initialLookbackHours: 24,
        overlapMinutes: 30,
        requestsPerSecond: 2,
      }),
      createDescribeSessionsSource({ ...access, region: 'eu-west-1' }),
      createCloudtrailS3Source({
        ...access,
        bucket: 'trail',
        prefix: '',
        lookbackDays: 2,
        forcePathStyle: true,
      }),
      createTranscriptsS3Source({ ...access, bucket: 'logs', prefix: '', forcePathStyle: true }),
      createTranscriptsCloudWatchSource({ ...access, logGroupName: '/ssm/sessions' }),
    ];
    const reachable = createDescribeSessionsSource(
      { region: 'us-east-1' },
      { client: new SSMClient(testAwsClientConfig(ssm.url)) },
    );
    const db = await tempStore();
    try {
      const started = Date.now();
      const report = await ingestOnce(db.store, [...unreachable, reachable]);
      const elapsed = Date.now() - started;
      expect(report.failures.map((f) => f.sourceId)).toEqual(unreachable.map((s) => s.id));
      for (const f of report.failures) expect(f.message).toMatch(/ECONNREFUSED/);
      expect((await allSessions(db.store)).map((s) => s.sessionId)).toEqual(['alice-0a1b2c3d4e5f60718']);
      expect(elapsed).toBeLessThan(8_000);
    } finally {
      await db.dispose();
    }
  }, 30_000);
});
