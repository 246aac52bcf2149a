/** Scheduled (correlation) rules over shelltrail's own logs, and the cron schedule they run on. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScheduledRules } from '../../src/alerts/correlation/rules.ts';
import { CronError, parseCron } from '../../src/alerts/cron.ts';
import { createScheduledRulesPass } from '../../src/alerts/scheduled-pass.ts';
import type { Store } from '../../src/store/index.ts';
import {
  cwTranscript,
  deniedStart,
  HOUR,
  settings,
  startSession,
  T0,
  terminateSession,
} from '../store/contract/fixtures.ts';
import { useTempStore } from '../store/helpers.ts';
import { alerts, detection, quiet, sessionWithCommands } from './support.ts';

const CHANNELS = [
  {
    type: 'webhook',
    name: 'hook',
    url: 'http://127.0.0.1:1/',
    secret: 'a-webhook-secret-of-some-length',
    minLevel: 'low',
  },
];

/** A shell session that ended at `endAt` with no transcript while S3 logging was expected. */
async function sessionWithoutTranscript(store: Store, sessionId: string, endAt: number, now: number) {
  await store.evidence.writeBatch(
    {
      sourceId: 'ct',
      ctEvents: [startSession(sessionId, endAt - 10 * 60_000), terminateSession(sessionId, endAt)],
    },
    { ...settings(now), expectedDestinations: [{ s3: true, cloudwatch: false }] },
  );
}

/** A session whose transcript claims another target than CloudTrail gives (an integrity finding). */
async function forgedTranscript(store: Store, sessionId: string, startAt: number, now: number) {
  const cw = cwTranscript(sessionId, ['$ id'], startAt + 1000);
  await store.evidence.writeBatch(
    {
      sourceId: 'ct',
      ctEvents: [
        startSession(sessionId, startAt, { target: 'i-0aaaaaaaaaaaaaaa1' }),
        terminateSession(sessionId, startAt + 5 * 60_000),
      ],
      transcripts: [{ ...cw.transcript, claimedTarget: 'i-0bbbbbbbbbbbbbbb2' }],
      cwEvents: cw.events,
    },
    settings(now),
  );
}

function onlyRule(id: string) {
  return loadScheduledRules({ builtin: true, dirs: [] }).rules.filter((r) => r.id === id);
}

describe('cron', () => {
  const at = (iso: string) => Date.parse(iso);
  it('finds the next run for steps, ranges, lists, day rules and aliases (UTC)', () => {
    expect(parseCron('*/5 * * * *').next(at('2026-01-01T00:02:30Z'))).toBe(at('2026-01-01T00:05:00Z'));
    expect(parseCron('*/5 * * * *').next(at('2026-01-01T00:05:00Z'))).toBe(at('2026-01-01T00:10:00Z'));
    expect(parseCron('0 9-17/4 * * 1-5').next(at('2026-01-03T12:00:00Z'))).toBe(at('2026-01-05T09:00:00Z'));
    expect(parseCron('30 2 1,15 * *').next(at('2026-01-02T00:00:00Z'))).toBe(at('2026-01-15T02:30:00Z'));
    expect(parseCron('@daily').next(at('2026-12-31T23:59:00Z'))).toBe(at('2027-01-01T00:00:00Z'));
    expect(parseCron('0 0 29 2 *').next(at('2026-03-01T00:00:00Z'))).toBe(at('2028-02-29T00:00:00Z'));
    for (const bad of ['* * * *', '61 * * * *', '*/0 * * * *', '5-1 * * * *', 'a * * * *'])
      expect(() => parseCron(bad), bad).toThrow(CronError);
  });
});

describe('scheduled rules', () => {
  let store: Store;
  useTempStore('scheduled', (s) => {
    store = s;
  });

  it('the built-in scheduled rules load; broken ones are reported with the reason', () => {
    const { rules, skipped } = loadScheduledRules({ builtin: true, dirs: [] });
    expect(rules.map((r) => r.id).sort()).toEqual([
      'st_sched_denied_burst',
      'st_sched_missing_transcript',
      'st_sched_production_sessions_burst',
      'st_sched_transcript_disagrees',
    ]);
    expect(skipped).toEqual([]);
  });

  it('a burst of denied StartSession calls raises one alert per actor and window, never twice', async () => {
    const now = T0 + 30 * 60_000;
    await store.evidence.writeBatch(
      {
        sourceId: 'ct',
        ctEvents: [
          ...[1, 2, 3, 4, 5].map((i) => deniedStart(`d-m-${i}`, 'mallory', now - i * 60_000)),
          ...[1, 2].map((i) => deniedStart(`d-b-${i}`, 'bob', now - i * 60_000)),
          // Outside the 10-minute window.
          ...[1, 2, 3, 4, 5].map((i) => deniedStart(`d-o-${i}`, 'oscar', now - 3_600_000 - i * 60_000)),
        ],
      },
      settings(now),
    );
    const channels = CHANNELS;
    const pass = createScheduledRulesPass({
      detection: detection(),
      alerts: alerts({ channels }),
      now: () => now,
    });
    const done = await pass.run({ ...quiet, store, log: () => {} });
    expect(done.scheduledRulesRun).toBe(4);
    const list = (await store.alerts.list()).items;
    expect(list.map((a) => [a.ruleId, a.actor, a.detail])).toEqual([
      ['st_sched_denied_burst', 'mallory', '5 events within 10 min (Actor=mallory)'],
    ]);
    expect((await store.outbox.list()).items.map((d) => d.channel)).toEqual(['hook']);
    // Not due again until the schedule says so; a new pass (restart) in the same window adds nothing.
    expect((await pass.run({ ...quiet, store, log: () => {} })).scheduledRulesRun).toBe(0);
    const restarted = createScheduledRulesPass({
      detection: detection(),
      alerts: alerts({ channels }),
      now: () => now + 60_000,
    });
    expect(await restarted.run({ ...quiet, store, log: () => {} })).toEqual({
      scheduledRulesRun: 4,
      scheduledAlertsRaised: 0,
    });
  });

  it('many sessions by one actor to production targets within an hour; other targets do not count', async () => {
    const now = T0 + 3_600_000;
    const starts = [];
    for (let i = 0; i < 11; i++)
      starts.push(
        startSession(`eve-${i}`, T0 + i * 60_000, { eventId: `s-eve-${i}`, target: 'i-0prod0000000001' }),
      );
    for (let i = 0; i < 15; i++)
      starts.push(
        startSession(`tom-${i}`, T0 + i * 60_000, { eventId: `s-tom-${i}`, target: 'i-0dev00000000001' }),
      );
    await store.evidence.writeBatch({ sourceId: 'ct', ctEvents: starts }, settings(now));
    const pass = createScheduledRulesPass({
      detection: detection({ productionTargets: ['i-0prod*'] }),
      alerts: alerts(),
      now: () => now,
    });
    await pass.run({ ...quiet, store, log: () => {} });
    const list = (await store.alerts.list()).items;
    expect(list.map((a) => [a.ruleId, a.actor])).toEqual([['st_sched_production_sessions_burst', 'eve']]);
    expect(list[0]!.detail).toBe('11 events within 1 h (Actor=eve)');
  });
  it('a shell session without a transcript alerts once, across a window boundary and a restart', async () => {
    // The old key held floor(now / timespan): a run in the next day's window alerted again.
    const boundary = Date.UTC(2026, 10, 21);
    await sessionWithoutTranscript(store, 'kim-1', boundary - 2.5 * HOUR, boundary - HOUR);
    const rules = onlyRule('st_sched_missing_transcript');
    let now = boundary - 55 * 60_000;
    const pass = createScheduledRulesPass({
      detection: detection({ notifyMaxAgeMinutes: 24 * 60 }),
      alerts: alerts({ channels: CHANNELS }),
      rules,
      now: () => now,
    });
    expect((await pass.run({ ...quiet, store, log: () => {} })).scheduledAlertsRaised).toBe(1);
    const [first] = (await store.alerts.list()).items;
    expect(first).toMatchObject({ ruleId: 'st_sched_missing_transcript', sessionId: 'kim-1', actor: 'kim' });
    expect(first!.detail).toBe('1 event within 24 h (Session=kim-1)');
    expect((await store.outbox.list()).items.map((d) => d.channel)).toEqual(['hook']);
    // The next runs fall in the next day's window; the condition still holds: nothing new.
    for (const at of [boundary + 5 * 60_000, boundary + 10 * 60_000]) {
      now = at;
      expect(await pass.run({ ...quiet, store, log: () => {} })).toEqual({
        scheduledRulesRun: 1,
        scheduledAlertsRaised: 0,
      });
    }
    // A restart in the new window (no memory) reads that the rule alerted on it within its timespan.
    const restarted = createScheduledRulesPass({
      detection: detection({ notifyMaxAgeMinutes: 24 * 60 }),
      alerts: alerts({ channels: CHANNELS }),
      rules,
      now: () => boundary + 20 * 60_000,
    });
    expect((await restarted.run({ ...quiet, store, log: () => {} })).scheduledAlertsRaised).toBe(0);
    expect((await store.alerts.list()).items).toHaveLength(1);
    expect((await store.outbox.list()).items).toHaveLength(1);
  });

  it('a condition that stops holding and comes back alerts again; while it holds, once', async () => {
    const burst = (tag: string, at: number) =>
      store.evidence.writeBatch(
        {
          sourceId: 'ct',
          ctEvents: [1, 2, 3, 4, 5].map((i) => deniedStart(`d-${tag}-${i}`, 'mallory', at - i * 30_000)),
        },
        settings(at),
      );
    let now = T0;
    const pass = createScheduledRulesPass({
      detection: detection(),
      alerts: alerts(),
      rules: onlyRule('st_sched_denied_burst'),
      now: () => now,
    });
    const run = async (at: number) => {
      now = at;
      return (await pass.run({ ...quiet, store, log: () => {} })).scheduledAlertsRaised;
    };
    await burst('a', T0);
    expect(await run(T0 + 60_000)).toBe(1);
    // Still holding five minutes later (a new 10-minute window): no second alert.
    await burst('b', T0 + 5 * 60_000);
    expect(await run(T0 + 6 * 60_000)).toBe(0);
    // The window has emptied: the condition stopped holding.
    expect(await run(T0 + 30 * 60_000)).toBe(0);
    await burst('c', T0 + 40 * 60_000);
    expect(await run(T0 + 41 * 60_000)).toBe(1);
    const keys = (await store.alerts.list()).items.map((a) => a.dedupKey);
    expect(new Set(keys).size).toBe(2);
  });

  it('a first import of history records scheduled alerts and notifies nobody; a fresh finding notifies', async () => {
    const now = T0 + 30 * HOUR;
    // Imported now (found now), but the sessions ended hours ago: older than notifyMaxAge (3 h).
    await sessionWithoutTranscript(store, 'old-1', now - 5 * HOUR, now);
    await forgedTranscript(store, 'old-2', now - 6 * HOUR, now);
    const pass = createScheduledRulesPass({
      detection: detection({ notifyMaxAgeMinutes: 180 }),
      alerts: alerts({ channels: CHANNELS }),
      now: () => now,
    });
    await pass.run({ ...quiet, store, log: () => {} });
    const recorded = (await store.alerts.list()).items;
    expect(recorded.map((a) => [a.ruleId, a.sessionId]).sort()).toEqual([
      ['st_sched_missing_transcript', 'old-1'],
      ['st_sched_transcript_disagrees', 'old-2'],
    ]);
    expect(recorded.every((a) => a.status === 'open')).toBe(true);
    expect((await store.outbox.list()).items).toEqual([]);
    // A session that ended within notifyMaxAge pages as before.
    await sessionWithoutTranscript(store, 'new-1', now - 30 * 60_000, now + 50 * 60_000);
    const later = createScheduledRulesPass({
      detection: detection({ notifyMaxAgeMinutes: 180 }),
      alerts: alerts({ channels: CHANNELS }),
      rules: onlyRule('st_sched_missing_transcript'),
      now: () => now + 50 * 60_000,
    });
    expect((await later.run({ ...quiet, store, log: () => {} })).scheduledAlertsRaised).toBe(1);
    const deliveries = (await store.outbox.list()).items;
    expect(deliveries).toHaveLength(1);
    expect((await store.alerts.get(deliveries[0]!.alertId))!.sessionId).toBe('new-1');
  });

  it('a transcript that contradicts CloudTrail fires st_sched_transcript_disagrees (and notifies when fresh)', async () => {
    const now = T0 + 2 * HOUR;
    await forgedTranscript(store, 'eve-1', now - 30 * 60_000, now);
    await sessionWithoutTranscript(store, 'eve-2', now - 20 * 60_000, now);
    const pass = createScheduledRulesPass({
      detection: detection(),
      alerts: alerts({ channels: CHANNELS }),
      rules: onlyRule('st_sched_transcript_disagrees'),
      now: () => now,
    });
    await pass.run({ ...quiet, store, log: () => {} });
    const list = (await store.alerts.list()).items;
    // The missing-transcript session is another rule's; only the forged one fires here.
    expect(list.map((a) => [a.ruleId, a.sessionId, a.level, a.detail])).toEqual([
      ['st_sched_transcript_disagrees', 'eve-1', 'high', '1 event within 24 h (Session=eve-1)'],
    ]);
    expect((await store.outbox.list()).items.map((d) => d.channel)).toEqual(['hook']);
  });

  it('the commands log source: a rule over typed commands groups by actor and counts distinct lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelltrail-sched-rules-'));
    try {
      writeFileSync(
        join(dir, 'secrets.yml'),
        [
          'title: Reads a credential file',
          'id: t_base_secret_read',
          'name: secret_read',
          'logsource: {product: shelltrail, service: commands}',
          'detection:',
          '  selection:',
          '    CommandLine|contains: [/etc/shadow, .aws/credentials]',
          '  condition: selection',
          '---',
          'title: Several credential files read by one actor',
          'id: t_sched_secret_reads',
          'correlation:',
          '  type: value_count',
          '  rules: [secret_read]',
          '  group-by: [Actor]',
          '  timespan: 1h',
          '  condition: {gte: 2, field: CommandLine}',
          'level: high',
          '',
        ].join('\n'),
      );
      const { rules, skipped } = loadScheduledRules({ builtin: false, dirs: [dir] });
      expect(skipped).toEqual([]);
      await sessionWithCommands(store, 'ann-1', ['cat /etc/shadow', 'ls', 'cat ~/.aws/credentials'], {
        at: T0,
      });
      await sessionWithCommands(store, 'bob-1', ['cat /etc/shadow', 'cat /etc/shadow'], { at: T0 });
      const pass = createScheduledRulesPass({
        detection: detection(),
        alerts: alerts({ channels: CHANNELS }),
        rules,
        now: () => T0 + 10 * 60_000,
      });
      await pass.run({ ...quiet, store, log: () => {} });
      const list = (await store.alerts.list()).items;
      expect(list.map((a) => [a.ruleId, a.actor, a.sessionId, a.detail])).toEqual([
        ['t_sched_secret_reads', 'ann', 'ann-1', '2 distinct CommandLine within 1 h (Actor=ann)'],
      ]);
      expect((await store.outbox.list()).items).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
