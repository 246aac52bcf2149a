import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { testAwsClientConfig } from './client-config.ts';
import { type FakeLogEvent, type LogsFake, startLogsFake } from './cloudwatch-logs.ts';

const GROUP = '/ssm/sessions';
const T0 = Date.parse('2026-03-01T08:00:00Z');

function events(count: number, from = 0, stream = 's'): FakeLogEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: T0 + (from + i) * 1000,
    message: `${stream} line ${from + i}`,
    ingestionTime: T0 + (from + i) * 1000 + 200,
  }));
}

let fake: LogsFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(f: LogsFake): CloudWatchLogsClient {
  return new CloudWatchLogsClient(testAwsClientConfig(f.url, { maxAttempts: 1 }));
}

describe('CloudWatch Logs DescribeLogStreams fake', () => {
  it('lists streams with their metadata, paginated and ordered', async () => {
    fake = await startLogsFake({
      groups: { [GROUP]: { 'alice-1': events(3, 10), 'bob-2': events(2, 0), 'alice-3': events(1, 5) } },
      rateLimit: false,
    });
    fake.createLogStream(GROUP, 'carol-4', T0);
    const client = clientFor(fake);
    const names: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const out = await client.send(
        new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 3, nextToken: token }),
      );
      names.push(...(out.logStreams ?? []).map((s) => s.logStreamName!));
      token = out.nextToken;
      if (!token) break;
    }
    expect(names).toEqual(['alice-1', 'alice-3', 'bob-2', 'carol-4']);

    const byTime = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', descending: true }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual([
      'alice-1',
      'alice-3',
      'bob-2',
      'carol-4',
    ]);
    const alice = byTime.logStreams![0]!;
    expect(alice).toMatchObject({
      firstEventTimestamp: T0 + 10_000,
      lastEventTimestamp: T0 + 12_000,
      lastIngestionTime: T0 + 12_200,
      arn: `arn:aws:logs:us-east-1:111122223333:log-group:${GROUP}:log-stream:alice-1`,
    });
    expect(byTime.logStreams![3]!.firstEventTimestamp).toBeUndefined();

    const prefixed = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'alice' }),
    );
    expect(prefixed.logStreams).toHaveLength(2);
  });

  it('answers ResourceNotFoundException and InvalidParameterException like the service', async () => {
    fake = await startLogsFake({ groups: { [GROUP]: {} }, rateLimit: false });
    const client = clientFor(fake);
    await expect(client.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' }))).rejects.toMatchObject(
      {
        name: 'ResourceNotFoundException',
      },
    );
    await expect(
      client.send(
        new DescribeLogStreamsCommand({
          logGroupName: GROUP,
          logStreamNamePrefix: 'a',
          orderBy: 'LastEventTime',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 51 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(
      client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, nextToken: 'forged' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('CloudWatch Logs GetLogEvents fake', () => {
  it('reads forward from the head, repeats the token at the end and then returns appended events', async () => {
    fake = await startLogsFake({ groups: { [GROUP]: { s: events(5) } }, rateLimit: false });
    const client = clientFor(fake);
    const read = (nextToken?: string) =>
      client.send(
        new GetLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 's',
          startFromHead: true,
          limit: 2,
          nextToken,
        }),
      );
    const seen: string[] = [];
    let token: string | undefined;
    let previous: string | undefined;
    for (let i = 0; i < 10; i++) {
      const out = await read(token);
      expect(out.nextForwardToken).toMatch(/^f\/\d+$/);
      expect(out.nextBackwardToken).toMatch(/^b\/\d+$/);
      seen.push(...(out.events ?? []).map((e) => e.message!));
      previous = token;
      token = out.nextForwardToken;
      if (token === previous) break;
    }
    expect(seen).toEqual(events(5).map((e) => e.message));
    expect(token).toBe(previous);

    const again = await read(token);
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(token);

    fake.appendEvents(GROUP, 's', events(2, 5));
    const live = await read(token);
    expect(live.events?.map((e) => e.message)).toEqual(['s line 5', 's line 6']);
    expect(live.events?.[0]).toEqual({ timestamp: T0 + 5000, message: 's line 5', ingestionTime: T0 + 5200 });
    expect(live.nextForwardToken).not.toBe(token);
  });

  it('starts from the tail by default and pages backwards to the start', async () => {
    fake = await startLogsFake({ groups: { [GROUP]: { s: events(5) } }, rateLimit: false });
    const client = clientFor(fake);
    const tail = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', limit: 2 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(['s line 3', 's line 4']);
    const pages = [tail.events!.map((e) => e.message)];
    let token = tail.nextBackwardToken!;
    for (let i = 0; i < 10; i++) {
      const out = await client.send(
        new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', limit: 2, nextToken: token }),
      );
      if (out.nextBackwardToken === token) {
        expect(out.events).toEqual([]);
        break;
      }
      pages.push(out.events!.map((e) => e.message));
      token = out.nextBackwardToken!;
    }
    expect(pages).toEqual([['s line 3', 's line 4'], ['s line 1', 's line 2'], ['s line 0']]);
    // Forward from the tail page sees nothing new until something is appended.
    const forward = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', nextToken: tail.nextForwardToken }),
    );
    expect(forward.events).toEqual([]);
  });

  it('treats startTime as inclusive and endTime as exclusive', async () => {
    fake = await startLogsFake({ groups: { [GROUP]: { s: events(5) } }, rateLimit: false });
    const out = await clientFor(fake).send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 's',
        startFromHead: true,
        startTime: T0 + 1000,
        endTime: T0 + 3000,
      }),
    );
    expect(out.events?.map((e) => e.message)).toEqual(['s line 1', 's line 2']);
  });

  it('caps a response at 1 MB and at limit 10,000, and reports unknown streams', async () => {
    const big = 'x'.repeat(30_000);
    fake = await startLogsFake({ rateLimit: false });
    fake.appendEvents(
      GROUP,
      'big',
      Array.from({ length: 50 }, (_, i) => ({ timestamp: T0 + i, message: big })),
    );
    const client = clientFor(fake);
    const out = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'big', startFromHead: true }),
    );
    expect(out.events).toHaveLength(Math.floor(1_048_576 / 30_026));
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'big', limit: 10_001 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'missing' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'big', nextToken: 'f/xyz' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('throttles above 10 requests per second by default, and per operation when configured', async () => {
    let now = 0;
    fake = await startLogsFake({ groups: { [GROUP]: { s: events(1) } }, clock: () => now });
    const client = clientFor(fake);
    const get = () => client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's' }));
    for (let i = 0; i < 10; i++) await get();
    await expect(get()).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    now += 1000;
    await get();
    fake.state.server.rateLimit = false;
    fake.state.server.operationRateLimits.FilterLogEvents = { maxRequests: 1 };
    await client.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await get();
    expect(fake.state.server.stats).toMatchObject({ requests: 15, throttled: 2 });
  });

  it('injects faults for one operation only', async () => {
    fake = await startLogsFake({ groups: { [GROUP]: { s: events(1) } }, rateLimit: false });
    const client = clientFor(fake);
    fake.injectFault({ kind: 'unavailable', operation: 'GetLogEvents' });
    await client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    fake.injectFault({ kind: 'hang', hangMs: 150 });
    const started = Date.now();
    const slow = await client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(slow.events).toHaveLength(1);
  });
});

describe('CloudWatch Logs FilterLogEvents fake', () => {
  it('interleaves streams by time, matches plain terms and paginates', async () => {
    fake = await startLogsFake({
      groups: { [GROUP]: { a: events(3, 0, 'a'), b: events(3, 0, 'b'), c: events(1, 0, 'c') } },
      rateLimit: false,
    });
    const client = clientFor(fake);
    const all: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await client.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          logStreamNames: ['a', 'b'],
          limit: 4,
          nextToken: token,
        }),
      );
      all.push(...(out.events ?? []).map((e) => e.message!));
      expect(out.searchedLogStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
      token = out.nextToken;
      if (!token) break;
    }
    expect(all).toEqual(['a line 0', 'b line 0', 'a line 1', 'b line 1', 'a line 2', 'b line 2']);

    const matched = await client.send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        filterPattern: 'line 1',
        startTime: T0,
        endTime: T0 + 1000,
      }),
    );
    expect(matched.events?.map((e) => [e.logStreamName, e.message])).toEqual([
      ['a', 'a line 1'],
      ['b', 'b line 1'],
    ]);
    expect(matched.events?.[0]?.eventId).toMatch(/^\d{56}$/);
    expect(matched.events?.[0]?.ingestionTime).toBe(T0 + 1200);
    const phrase = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"c line"' }),
    );
    expect(phrase.events?.map((e) => e.message)).toEqual(['c line 0']);

    await expect(
      client.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'x', nextToken: token ?? 'stale' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['a'], logStreamNamePrefix: 'a' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
