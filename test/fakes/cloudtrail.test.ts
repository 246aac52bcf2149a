import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { testAwsClientConfig } from './client-config.ts';
import { type CloudTrailFake, type CloudTrailRecord, startCloudTrailFake } from './cloudtrail.ts';

const BASE_MS = Date.parse('2026-03-01T00:00:00Z');

function record(index: number, overrides: CloudTrailRecord = {}): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    eventTime: new Date(BASE_MS + index * 60_000).toISOString().replace('.000', ''),
    eventSource: 'ssm.amazonaws.com',
    eventName: index % 2 === 0 ? 'StartSession' : 'TerminateSession',
    eventID: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
    readOnly: false,
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/tanaka.hiroshi',
      accessKeyId: 'ASIAEXAMPLE',
    },
    requestParameters: { target: `i-0a1b2c3d4e5f6071${index % 10}` },
    ...overrides,
  };
}

let fake: CloudTrailFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(f: CloudTrailFake): CloudTrailClient {
  return new CloudTrailClient(testAwsClientConfig(f.url, { maxAttempts: 1 }));
}

async function lookupAll(client: CloudTrailClient, input: LookupEventsCommandInput) {
  const ids: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const out = await client.send(new LookupEventsCommand({ ...input, NextToken: token }));
    ids.push(...(out.Events ?? []).map((e) => e.EventId!));
    token = out.NextToken;
    if (!token) return { ids, pages: page + 1 };
  }
  throw new Error('pagination did not end');
}

describe('CloudTrail LookupEvents fake', () => {
  it('returns events newest first in the SDK shape, with the record as a JSON string', async () => {
    fake = await startCloudTrailFake({ records: [record(1), record(3), record(2)] });
    const out = await clientFor(fake).send(new LookupEventsCommand({}));
    expect(out.Events?.map((e) => e.EventId?.slice(-1))).toEqual(['3', '2', '1']);
    const first = out.Events![0]!;
    expect(first.EventTime).toEqual(new Date(BASE_MS + 3 * 60_000));
    expect(first.Username).toBe('tanaka.hiroshi');
    expect(first.AccessKeyId).toBe('ASIAEXAMPLE');
    expect(first.ReadOnly).toBe('false');
    expect(first.Resources).toEqual([
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0a1b2c3d4e5f60713' },
    ]);
    expect(JSON.parse(first.CloudTrailEvent!)).toEqual(record(3));
  });

  it('paginates 50 per page with an opaque token and no duplicates', async () => {
    const records = Array.from({ length: 120 }, (_, i) => record(i));
    fake = await startCloudTrailFake({ records, rateLimit: false });
    const { ids, pages } = await lookupAll(clientFor(fake), {});
    expect(pages).toBe(3);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(ids[0]).toBe(record(119).eventID);
    expect(ids.at(-1)).toBe(record(0).eventID);
  });

  it('filters by one lookup attribute and an inclusive time range', async () => {
    const records = Array.from({ length: 10 }, (_, i) => record(i));
    fake = await startCloudTrailFake({ records, rateLimit: false });
    const client = clientFor(fake);
    const started = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartSession' }],
      }),
    );
    expect(started.Events).toHaveLength(5);
    const ranged = await client.send(
      new LookupEventsCommand({
        StartTime: new Date(BASE_MS + 2 * 60_000),
        EndTime: new Date(BASE_MS + 4 * 60_000),
      }),
    );
    expect(ranged.Events?.map((e) => e.EventId?.slice(-1))).toEqual(['4', '3', '2']);
    const byResource = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0a1b2c3d4e5f60717' }],
      }),
    );
    expect(byResource.Events?.map((e) => e.EventId?.slice(-1))).toEqual(['7']);
  });

  it('rejects two lookup attributes, bad MaxResults and reversed time ranges like the service', async () => {
    fake = await startCloudTrailFake({ rateLimit: false });
    const client = clientFor(fake);
    await expect(
      client.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'StartSession' },
            { AttributeKey: 'EventSource', AttributeValue: 'ssm.amazonaws.com' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    await expect(client.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: 'InvalidMaxResultsException',
    });
    await expect(
      client.send(new LookupEventsCommand({ StartTime: new Date(BASE_MS + 1), EndTime: new Date(BASE_MS) })),
    ).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
  });

  it('accepts a NextToken only with the parameters it was issued for', async () => {
    fake = await startCloudTrailFake({
      records: Array.from({ length: 60 }, (_, i) => record(i)),
      rateLimit: false,
    });
    const client = clientFor(fake);
    const filter = {
      LookupAttributes: [{ AttributeKey: 'EventSource' as const, AttributeValue: 'ssm.amazonaws.com' }],
    };
    const first = await client.send(new LookupEventsCommand(filter));
    expect(first.NextToken).toBeTypeOf('string');
    const second = await client.send(new LookupEventsCommand({ ...filter, NextToken: first.NextToken }));
    expect(second.Events).toHaveLength(10);
    await expect(client.send(new LookupEventsCommand({ NextToken: first.NextToken }))).rejects.toMatchObject({
      name: 'InvalidNextTokenException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(new LookupEventsCommand({ ...filter, NextToken: 'garbage' })),
    ).rejects.toMatchObject({
      name: 'InvalidNextTokenException',
    });
  });

  it('throttles the third request in a rolling second and counts it', async () => {
    let now = 1_000_000;
    fake = await startCloudTrailFake({ records: [record(1)], clock: () => now });
    const client = clientFor(fake);
    await client.send(new LookupEventsCommand({}));
    now += 500;
    await client.send(new LookupEventsCommand({}));
    now += 499;
    const throttled = await client.send(new LookupEventsCommand({})).catch((error: unknown) => error);
    expect(throttled).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    now += 1; // the first request has left the window
    await client.send(new LookupEventsCommand({}));
    expect(fake.state.server.stats).toMatchObject({ requests: 4, throttled: 1 });
    expect(fake.state.server.stats.byOperation.LookupEvents).toEqual({
      requests: 4,
      throttled: 1,
      faulted: 0,
    });
  });

  it('injects 500 InternalFailure and hangs, then recovers', async () => {
    fake = await startCloudTrailFake({ records: [record(1)], rateLimit: false });
    const client = clientFor(fake);
    fake.injectFault({ kind: 'internal', count: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(client.send(new LookupEventsCommand({}))).rejects.toMatchObject({
        name: 'InternalFailure',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    }
    fake.injectFault({ kind: 'hang' });
    const started = Date.now();
    await expect(
      client.send(new LookupEventsCommand({}), { abortSignal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    const ok = await client.send(new LookupEventsCommand({}));
    expect(ok.Events).toHaveLength(1);
    expect(fake.state.server.stats.faulted).toBe(3);
  });

  it('hides records older than 90 days when a clock is given', async () => {
    const now = BASE_MS + 91 * 24 * 3600 * 1000;
    fake = await startCloudTrailFake({
      records: [record(0), record(1, { eventTime: new Date(now - 1000).toISOString() })],
      now: () => now,
      rateLimit: false,
    });
    const out = await clientFor(fake).send(new LookupEventsCommand({}));
    expect(out.Events?.map((e) => e.EventId?.slice(-1))).toEqual(['1']);
  });
});
