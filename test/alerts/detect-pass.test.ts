/** The detection pass over a real store: alerts from extracted commands, deduplicated, suppressed, aged. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDetectPass } from '../../src/detect/detect-pass.ts';
import { type LoadedRule, loadRules } from '../../src/detect/sigma/index.ts';
import type { Store } from '../../src/store/index.ts';
import { useTempStore } from '../store/helpers.ts';
import { alerts, detection, quiet, sessionWithCommands, T0 } from './support.ts';

let rules: LoadedRule[];
beforeAll(() => {
  rules = loadRules({ builtin: true, dirs: [] }).rules;
});

describe('detect pass', () => {
  let store: Store;
  useTempStore('detect-pass', (s) => {
    store = s;
  });
  const log: string[] = [];
  const ctx = () => ({ ...quiet, store, log: (l: string) => log.push(l) });
  const hook = {
    channels: [
      {
        type: 'webhook',
        name: 'hook',
        url: 'http://127.0.0.1:1/x',
        secret: 'a-webhook-secret-of-some-length',
        minLevel: 'medium',
      },
    ],
  };

  it('raises one alert per matching command with a deep link, queues deliveries, and never twice', async () => {
    await sessionWithCommands(store, 'kim-1', ['id', 'history -c', 'ls', 'history -c', 'cat /etc/shadow']);
    const pass = createDetectPass({
      detection: detection(),
      alerts: alerts(hook),
      rules,
      now: () => T0 + 60_000,
    });
    const done = await pass.run(ctx());
    expect(done.sessionsDetected).toBe(1);
    const list = (await store.alerts.list()).items;
    const history = list.filter((a) => a.commandText === 'history -c');
    // Two occurrences of the same text are two alerts (occurrence 0 and 1).
    expect(history.map((a) => a.occurrence).sort()).toEqual([0, 1]);
    expect(list.some((a) => a.commandText === 'cat /etc/shadow')).toBe(true);
    expect(list.every((a) => a.actor === 'kim' && a.status === 'open')).toBe(true);
    expect(history[0]!.link).toMatch(/^\/sessions\/kim-1\?at=\d+(\.\d)?&cmd=history%20-c$/);
    expect(done.alertsRaised).toBe(list.length);
    expect(done.deliveriesQueued).toBe(list.length);
    expect(await store.detectQueue.size()).toBe(0);
    // Re-extraction with a command in front: seq and ids change, nothing is raised twice.
    await sessionWithCommands(store, 'kim-1', [
      'whoami',
      'id',
      'history -c',
      'ls',
      'history -c',
      'cat /etc/shadow',
    ]);
    const again = await pass.run(ctx());
    expect(again).toEqual({ sessionsDetected: 1, alertsRaised: 0, deliveriesQueued: 0 });
    expect((await store.outbox.list()).items).toHaveLength(list.length);
  });

  it('suppressions (config and store) record alerts as suppressed and notify nobody', async () => {
    await sessionWithCommands(store, 'deploy-1', ['history -c']);
    await sessionWithCommands(store, 'lee-1', ['cat /etc/shadow']);
    await store.suppressions.create({
      ruleId: null,
      actor: 'LEE',
      target: null,
      command: '*/etc/shadow*',
      reason: 'audit drill',
      expiresAt: null,
      createdAt: T0,
      createdBy: 'alice',
    });
    const pass = createDetectPass({
      detection: detection({ suppressions: [{ actor: 'deploy*', reason: 'CI', expires: '2099-01-01' }] }),
      alerts: alerts(hook),
      rules,
      now: () => T0 + 60_000,
    });
    const done = await pass.run(ctx());
    expect(done.deliveriesQueued).toBe(0);
    const list = (await store.alerts.list()).items;
    expect(list.length).toBe(2);
    expect(list.map((a) => [a.actor, a.status, a.detail]).sort()).toEqual([
      ['deploy', 'suppressed', 'suppressed: CI'],
      ['lee', 'suppressed', 'suppressed: audit drill'],
    ]);
  });

  it('commands older than notifyMaxAge are recorded, not notified; disabled rules and low channels skip', async () => {
    await sessionWithCommands(store, 'old-1', ['history -c']);
    await sessionWithCommands(store, 'new-1', ['history -c', 'cat /etc/shadow'], { at: T0 + 10 * 3_600_000 });
    const shadowRule = rules.find((r) => r.title.startsWith('Password hash files'))!;
    await store.rules.setEnabled(shadowRule.id, false, 'alice', T0);
    const pass = createDetectPass({
      detection: detection({ notifyMaxAgeMinutes: 60 }),
      alerts: alerts({
        channels: [
          ...hook.channels,
          { type: 'slack', name: 'crit', url: 'http://127.0.0.1:1/s', minLevel: 'critical' },
        ],
      }),
      rules,
      now: () => T0 + 10 * 3_600_000 + 60_000,
    });
    await pass.run(ctx());
    const list = (await store.alerts.list()).items;
    expect(list.map((a) => a.sessionId).sort()).toEqual(['new-1', 'old-1']);
    const deliveries = (await store.outbox.list()).items;
    const newAlert = list.find((a) => a.sessionId === 'new-1')!;
    expect(deliveries.map((d) => [d.alertId, d.channel])).toEqual([[newAlert.alertId, 'hook']]);
  });
});
