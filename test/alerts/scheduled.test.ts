/** Scheduled (correlation) rules over shelltrail's own logs, and the cron schedule they run on. */
import { describe, expect, it } from 'vitest';
import { loadScheduledRules } from '../../src/alerts/correlation/rules.ts';
import { CronError, parseCron } from '../../src/alerts/cron.ts';
import { createScheduledRulesPass } from '../../src/alerts/scheduled-pass.ts';
import type { Store } from '../../src/store/index.ts';
import { deniedStart, settings, startSession, T0 } from '../store/contract/fixtures.ts';
import { useTempStore } from '../store/helpers.ts';
import { alerts, detection, quiet } from './support.ts';

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
    const channels = [{ type: 'webhook', name: 'hook', url: 'http://127.0.0.1:1/', minLevel: 'low' }];
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
});
