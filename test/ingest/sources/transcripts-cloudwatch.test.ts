import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchLines } from '../../../src/ingest/normalize/cloudwatch-events.ts';
import { createTranscriptsCloudWatchSource } from '../../../src/ingest/sources/transcripts-cloudwatch.ts';
import { testAwsClientConfig } from '../../fakes/client-config.ts';
import { type LogsFake, startLogsFake } from '../../fakes/cloudwatch-logs.ts';
import { allSessions, quarantineRows } from '../../support/store-view.ts';
import { type Harness, openHarness } from '../transcript-harness.ts';
import { ARN, agentEvent, TARGET } from '../transcript-samples.ts';

const GROUP = '/ssm/sessions';
const T0 = Date.parse('2025-09-29T16:00:00Z');
let logs: LogsFake;
let h: Harness;
let client: CloudWatchLogsClient;

beforeEach(async () => {
  logs = await startLogsFake({ rateLimit: false });
  logs.createLogGroup(GROUP);
  client = new CloudWatchLogsClient(testAwsClientConfig(logs.url));
  h = await openHarness();
});
afterEach(async () => {
  client.destroy();
  await logs.close();
  await h.close();
});

// Pacing has its own test; the others run at a rate the fake (rateLimit: false) does not mind.
const FAST = { describePerSecond: 1000, getEventsPerSecond: 1000, retryBaseMs: 20 };
const source = () =>
  createTranscriptsCloudWatchSource(
    { logGroupName: GROUP, region: 'us-east-1' },
    { ...FAST, client, now: () => T0 },
  );
async function events(transcriptId: string) {
  const out = [];
  for await (const e of h.store.transcripts.readCwEvents(transcriptId)) out.push(e);
  return out;
}
const sessionCount = async () => (await allSessions(h.store)).length;

describe('transcripts-cloudwatch source', () => {
  it('pages through many streams and large streams, creating unverified sessions from the claims', async () => {
    for (let i = 0; i < 55; i++)
      logs.appendEvents(GROUP, `user${i}-0000000000000${String(i).padStart(4, '0')}`, [
        { timestamp: T0 + i, message: agentEvent(`user${i}`, [`$ echo ${i}`], T0 + i) },
      ]);
    const big = 'alice-0a1b2c3d4e5f67890';
    const line = 'x'.repeat(30_000);
    logs.appendEvents(
      GROUP,
      big,
      Array.from({ length: 120 }, (_, i) => ({
        timestamp: T0 + i * 1000,
        message: agentEvent(big, [`${i} ${line}`], T0 + i * 1000),
      })),
    );
    const report = await h.poll(source());
    expect(report.failures).toEqual([]);
    expect(await sessionCount()).toBe(56);
    const id = `cw://${GROUP}/${big}`;
    const stored = await events(id);
    expect(stored).toHaveLength(120);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
    expect(logs.state.server.stats.byOperation.GetLogEvents!.requests).toBeGreaterThan(57); // the big stream took several pages
    const session = await h.store.sessions.get(big);
    expect(session).toMatchObject({
      target: TARGET,
      principalArn: ARN,
      runAsUser: 'ssm-user',
      identityVerified: false,
      transcriptSources: ['cloudwatch'],
    });
    const [t] = await h.store.transcripts.list(big);
    expect(t).toMatchObject({ format: 'cloudwatch_stream', firstEventAt: T0, lastEventAt: T0 + 119_000 });
  });

  it('picks up events appended to a live stream on the next poll, without duplicates, even at the same millisecond', async () => {
    const sid = 'bob-01h2xvz8k3q4r5s6t7u8v9w0ab';
    logs.appendEvents(GROUP, sid, [
      { timestamp: T0, message: agentEvent(sid, ['$ whoami'], T0) },
      { timestamp: T0 + 1000, message: agentEvent(sid, ['ssm-user'], T0 + 1000) },
    ]);
    await h.poll(source());
    logs.appendEvents(GROUP, sid, [
      { timestamp: T0 + 1000, message: agentEvent(sid, ['$ sudo su -'], T0 + 1000) },
      { timestamp: T0 + 2000, message: agentEvent(sid, ['# id'], T0 + 2000) },
    ]);
    await h.poll(source());
    await h.poll(source());
    const id = `cw://${GROUP}/${sid}`;
    const texts = cloudWatchLines(await events(id)).map((l) => l.text);
    expect(texts).toEqual(['$ whoami', 'ssm-user', '$ sudo su -', '# id']);
    expect((await events(id)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect((await h.store.transcripts.list(sid))[0]!.lastEventAt).toBe(T0 + 2000);
  });

  it('rides out throttling and a server error', async () => {
    const sid = 'carol-0000000000000000c';
    logs.appendEvents(GROUP, sid, [{ timestamp: T0, message: agentEvent(sid, ['$ ls'], T0) }]);
    logs.injectFault({ kind: 'throttle', operation: 'DescribeLogStreams', count: 2 });
    logs.injectFault({ kind: 'throttle', operation: 'GetLogEvents', count: 2 });
    logs.injectFault({ kind: 'internal', operation: 'GetLogEvents', count: 1 });
    const report = await h.poll(source());
    expect(report.failures).toEqual([]);
    expect(logs.state.server.stats.throttled + logs.state.server.stats.faulted).toBeGreaterThanOrEqual(4);
    expect(await events(`cw://${GROUP}/${sid}`)).toHaveLength(1);
  });

  it('keeps malformed events and plain-text uploads, quarantine-noting the broken event, and joins split lines', async () => {
    const sid = 'dave-0000000000000000d';
    // A full 200,000-byte slice: the agent's buffer filled, so the line surely goes on in the next event.
    const long = 'y'.repeat(200_000);
    logs.appendEvents(GROUP, sid, [
      { timestamp: T0, message: agentEvent(sid, [`$ echo ${long.slice(0, 60_000)}`, long], T0) },
      { timestamp: T0 + 1, message: '{"eventVersion":"1.0","sessionData":["trunc' },
      { timestamp: T0 + 1000, message: agentEvent(sid, ['-tail', '$ exit'], T0 + 1000) },
    ]);
    logs.appendEvents(GROUP, 'erin-0000000000000000e', [
      { timestamp: T0, message: 'Script started on 2025\n$ ls\r\n' },
    ]);
    await h.poll(source());
    const id = `cw://${GROUP}/${sid}`;
    expect(await events(id)).toHaveLength(3);
    expect((await quarantineRows(h.store)).map(({ itemKey, reason }) => ({ itemKey, reason }))).toEqual([
      { itemKey: `${GROUP}/${sid}#1`, reason: 'malformed_json' },
    ]);
    const lines = cloudWatchLines(await events(id)).map((l) => l.text);
    expect(lines).toContain(`${long}-tail`);
    expect((await h.store.transcripts.list('erin-0000000000000000e'))[0]!.format).toBe('cloudwatch_text');
  });

  it('lists streams newest first and stops at those older than the last walk minus the active window', async () => {
    const DAY = 86_400_000;
    const old = (i: number) => `old${i}-0000000000000${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 60; i++) {
      const t = T0 - 3 * DAY + i;
      logs.createLogStream(GROUP, old(i), t);
      logs.appendEvents(GROUP, old(i), [
        { timestamp: t, ingestionTime: t, message: agentEvent(old(i), ['$ ls'], t) },
      ]);
    }
    const live = 'live-0000000000000000f';
    logs.appendEvents(GROUP, live, [
      { timestamp: T0 - 3_600_000, ingestionTime: T0 - 3_600_000, message: agentEvent(live, ['$ id'], T0) },
    ]);
    let now = T0;
    const src = createTranscriptsCloudWatchSource(
      { logGroupName: GROUP, region: 'us-east-1' },
      { ...FAST, client, now: () => now },
    );
    const calls = (op: string) => logs.state.server.calls.filter((c) => c.operation === op);
    const count = (op: string) => logs.state.server.stats.byOperation[op]?.requests ?? 0;
    await h.poll(src);
    expect(count('DescribeLogStreams')).toBe(2); // first walk: every stream, 50 per page
    expect(calls('DescribeLogStreams')[0]!.input).toMatchObject({
      orderBy: 'LastEventTime',
      descending: true,
    });
    expect(await sessionCount()).toBe(61);

    // Two hours on: the live stream grew; a node with a clock three days behind wrote to an old stream.
    logs.appendEvents(GROUP, live, [
      { timestamp: T0 + 3_600_000, ingestionTime: T0 + 3_600_000, message: agentEvent(live, ['$ w'], T0) },
    ]);
    logs.appendEvents(GROUP, old(5), [
      {
        timestamp: T0 - 3 * DAY + 100,
        ingestionTime: T0 + 3_600_000,
        message: agentEvent(old(5), ['$ rm -rf /tmp/x'], T0),
      },
    ]);
    now = T0 + 2 * 3_600_000;
    const before = { describe: count('DescribeLogStreams'), get: count('GetLogEvents') };
    await h.poll(src);
    expect(count('DescribeLogStreams') - before.describe).toBe(1); // stopped on the first page
    expect(count('GetLogEvents') - before.get).toBe(2); // the live stream only: its events, then its end
    expect(await events(`cw://${GROUP}/${live}`)).toHaveLength(2);
    expect(await events(`cw://${GROUP}/${old(5)}`)).toHaveLength(1);

    // A day after the last full walk, the next poll lists everything again and finds the late write.
    now = T0 + 30 * 3_600_000;
    await h.poll(src);
    expect(count('DescribeLogStreams') - before.describe).toBe(3);
    expect(await events(`cw://${GROUP}/${old(5)}`)).toHaveLength(2);
  });

  it('paces DescribeLogStreams and GetLogEvents under their quotas', async () => {
    await logs.close();
    logs = await startLogsFake({
      rateLimit: false,
      operationRateLimits: {
        DescribeLogStreams: { maxRequests: 1, windowMs: 1000 },
        GetLogEvents: { maxRequests: 5, windowMs: 1000 },
      },
    });
    client.destroy();
    client = new CloudWatchLogsClient(testAwsClientConfig(logs.url));
    for (let i = 0; i < 3; i++) {
      const sid = `pace${i}-000000000000000${i}`;
      logs.createLogStream(GROUP, sid, T0);
      logs.appendEvents(GROUP, sid, [
        { timestamp: T0, ingestionTime: T0, message: agentEvent(sid, ['$ ls'], T0) },
      ]);
    }
    let now = T0;
    const src = createTranscriptsCloudWatchSource(
      { logGroupName: GROUP, region: 'us-east-1' },
      { describePerSecond: 0.9, getEventsPerSecond: 4.5, client, now: () => now },
    );
    await h.poll(src);
    now = T0 + 2 * 86_400_000; // nothing active any more: the next two polls only list
    await h.poll(src);
    await h.poll(src);
    const stats = logs.state.server.stats.byOperation;
    expect(stats.GetLogEvents!.requests).toBe(6); // two per stream: its events, then its end
    expect(stats.DescribeLogStreams!.requests).toBe(3);
    expect(logs.state.server.stats.throttled).toBe(0);
    expect(await sessionCount()).toBe(3);
  }, 15_000);
});
