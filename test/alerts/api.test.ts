/** Alerts over the API and the /alerts page: roles, redaction for viewers, bulk status, access trail. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScheduledRules } from '../../src/alerts/correlation/rules.ts';
import { createScheduledRulesPass } from '../../src/alerts/scheduled-pass.ts';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/types.ts';
import { createDetectPass } from '../../src/detect/detect-pass.ts';
import { createWebRoutes } from '../../src/web/index.ts';
import { type Harness, HOUR, makeHarness, T0 } from '../api/harness.ts';
import { alerts, detection, quiet } from './support.ts';

describe('alerts API and page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness();
    const lease = await h.store.lease.acquire('alerts-test');
    // The harness stored alice-1's commands: `sudo iptables -F` raises an alert.
    await createDetectPass({ detection: detection(), alerts: alerts(), now: () => T0 + 72 * HOUR }).run({
      ...quiet,
      store: h.store,
      log: () => {},
    });
    await lease.release();
  });
  afterAll(() => h.close());
  const send = (method: string, path: string, role: 'viewer' | 'auditor' | 'admin', body?: unknown) =>
    h.app.request(path, {
      method,
      headers: { authorization: `Bearer ${h.tokens[role]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('auditors see the command and the full link; viewers neither the text nor the cmd parameter', async () => {
    const auditor = await (await h.get('/api/alerts', 'auditor')).json();
    expect(auditor.items.length).toBeGreaterThan(0);
    const firewall = auditor.items.find((a: { command: string }) => a.command === 'sudo iptables -F');
    expect(firewall).toMatchObject({
      sessionId: 'alice-1',
      status: 'open',
      link: expect.stringContaining('cmd=sudo'),
    });
    const viewer = await (await h.get('/api/alerts', 'viewer')).json();
    const same = viewer.items.find((a: { id: number }) => a.id === firewall.id);
    expect(same.command).toBeNull();
    expect(same.link).toMatch(/^\/sessions\/alice-1(\?at=[0-9.]+)?$/);
    expect(JSON.stringify(viewer)).not.toContain('iptables');
    const one = await (await h.get(`/api/alerts/${firewall.id}`, 'viewer')).json();
    expect(one.command).toBeNull();
    expect((await h.get('/api/alerts/999999', 'auditor')).status).toBe(404);
    expect((await h.get('/api/alerts')).status).toBe(401);
  });

  it('bulk acknowledge: auditors yes (access trail), viewers 403', async () => {
    const list = await (await h.get('/api/alerts?status=open', 'auditor')).json();
    const ids = list.items.map((a: { id: number }) => a.id);
    expect((await send('POST', '/api/alerts/status', 'viewer', { ids, status: 'acknowledged' })).status).toBe(
      403,
    );
    const r = await send('POST', '/api/alerts/status', 'auditor', {
      ids,
      status: 'acknowledged',
      reason: 'drill',
    });
    expect(r.status).toBe(200);
    const { changed } = await r.json();
    expect(changed.map((a: { statusBy: string }) => a.statusBy)).toEqual(ids.map(() => 'auditor-1'));
    expect((await (await h.get('/api/alerts?status=open', 'auditor')).json()).items).toEqual([]);
    const trail = await h.store.accessTrail.list({ action: 'alert_acknowledged' });
    expect(trail.items.map((e) => e.subject).sort()).toEqual(ids.map(String).sort());
  });

  it('rules list with counts; only admins turn rules off; suppressions and deliveries need auditors', async () => {
    const rules = await (await h.get('/api/rules', 'viewer')).json();
    expect(rules.report.loaded).toBe(26);
    const fw = rules.rules.find((r: { alerts: number }) => r.alerts > 0);
    expect(fw.enabled).toBe(true);
    expect((await send('POST', `/api/rules/${fw.id}/enabled`, 'auditor', { enabled: false })).status).toBe(
      403,
    );
    expect((await send('POST', `/api/rules/${fw.id}/enabled`, 'admin', { enabled: false })).status).toBe(200);
    const after = await (await h.get('/api/rules', 'viewer')).json();
    expect(after.rules.find((r: { id: string }) => r.id === fw.id).enabled).toBe(false);
    expect((await h.get('/api/suppressions', 'viewer')).status).toBe(403);
    const made = await send('POST', '/api/suppressions', 'auditor', { actor: 'deploy*', reason: 'CI user' });
    expect(made.status).toBe(200);
    const { suppressionId } = await made.json();
    expect((await (await h.get('/api/suppressions', 'auditor')).json()).items).toHaveLength(1);
    expect(await (await send('DELETE', `/api/suppressions/${suppressionId}`, 'auditor')).json()).toEqual({
      removed: true,
    });
    expect((await h.get('/api/deliveries', 'viewer')).status).toBe(403);
    expect((await h.get('/api/deliveries', 'auditor')).status).toBe(200);
  });

  it('/alerts page: viewers see no command text; the bulk form changes status for auditors', async () => {
    const web = createApp({ ...h.deps, webRoutes: createWebRoutes({}) as unknown as Hono<AppEnv> });
    const page = (role: 'viewer' | 'auditor') =>
      web.request('/alerts', { headers: { authorization: `Bearer ${h.tokens[role]}` } });
    const viewerHtml = await (await page('viewer')).text();
    expect(viewerHtml).toContain('<h1>Alerts</h1>');
    expect(viewerHtml).not.toContain('iptables');
    expect(viewerHtml).not.toContain('type="checkbox"');
    const auditorHtml = await (await page('auditor')).text();
    expect(auditorHtml).toContain('sudo iptables -F');
    const id = /name="id" value="(\d+)"/.exec(auditorHtml)![1]!;
    const post = (role: 'viewer' | 'auditor') =>
      web.request('/alerts', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.tokens[role]}`,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost',
        },
        body: `id=${id}&action=resolve&reason=fixed`,
      });
    expect((await post('viewer')).status).toBe(403);
    const r = await post('auditor');
    expect(r.status).toBe(303);
    expect((await h.store.alerts.get(Number(id)))?.status).toBe('resolved');
  });

  it('viewers get a scheduled alert grouped by CommandLine without the command in its detail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelltrail-api-sched-'));
    try {
      writeFileSync(
        join(dir, 'fw.yml'),
        [
          'title: Firewall change',
          'id: t_base_fw',
          'name: fw',
          'logsource: {product: shelltrail, service: commands}',
          'detection: {selection: {CommandLine|contains: iptables}, condition: selection}',
          '---',
          'title: Firewall command typed',
          'id: t_sched_fw_by_command',
          'correlation: {type: event_count, rules: [fw], group-by: [CommandLine], timespan: 3650d, condition: {gte: 1}}',
          'level: high',
          '',
        ].join('\n'),
      );
      const lease = await h.store.lease.acquire('alerts-test');
      await createScheduledRulesPass({
        detection: detection(),
        alerts: alerts(),
        rules: loadScheduledRules({ builtin: false, dirs: [dir] }).rules,
        now: () => T0 + 72 * HOUR,
      }).run({ ...quiet, store: h.store, log: () => {} });
      await lease.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const query = '/api/alerts?rule=t_sched_fw_by_command';
    const auditor = await (await h.get(query, 'auditor')).json();
    expect(auditor.items).toHaveLength(1);
    expect(auditor.items[0].detail).toBe('1 event within 87600 h (CommandLine=sudo iptables -F)');
    const viewer = await (await h.get(query, 'viewer')).json();
    expect(viewer.items[0].detail).toBe('1 event within 87600 h');
    expect(JSON.stringify(viewer)).not.toContain('iptables');
    const one = await (await h.get(`/api/alerts/${auditor.items[0].id}`, 'viewer')).json();
    expect(JSON.stringify(one)).not.toContain('iptables');
    const all = await (await h.get('/api/alerts', 'viewer')).json();
    expect(JSON.stringify(all)).not.toContain('iptables');
  });

  it('dead deliveries: auditors retry them by id or all (access trail), viewers 403', async () => {
    const lease = await h.store.lease.acquire('alerts-test');
    const base = (await h.store.alerts.list({}, { limit: 1 })).items[0]!;
    const { alertId: _, statusBy: _b, statusReason: _r, updatedAt: _u, ...rest } = base;
    await h.store.alerts.record(
      ['dead-1', 'dead-2', 'dead-3'].map((k, i) => ({
        ...rest,
        dedupKey: k,
        status: 'open' as const,
        createdAt: T0 + i,
        notify: ['hook'],
      })),
    );
    const due = await h.store.outbox.due(T0 + 72 * HOUR, 10);
    for (const d of due) await h.store.outbox.markFailed(d.delivery.deliveryId, 'HTTP 503', null);
    await lease.release();
    const dead = due.map((d) => d.delivery.deliveryId).sort((a, b) => a - b);
    expect(dead).toHaveLength(3);
    expect((await send('POST', '/api/deliveries/retry', 'viewer', { ids: [dead[0]] })).status).toBe(403);
    expect((await send('POST', '/api/deliveries/retry', 'auditor', {})).status).toBe(400);
    const one = await send('POST', '/api/deliveries/retry', 'auditor', { ids: [dead[0]] });
    expect(one.status).toBe(200);
    expect((await one.json()).retried).toEqual([
      expect.objectContaining({ deliveryId: dead[0], status: 'pending', attempts: 0, lastError: 'HTTP 503' }),
    ]);
    const rest2 = await (await send('POST', '/api/deliveries/retry', 'admin', { all: true })).json();
    expect(rest2.retried.map((d: { deliveryId: number }) => d.deliveryId)).toEqual(dead.slice(1));
    expect((await (await h.get('/api/deliveries?status=dead', 'auditor')).json()).items).toEqual([]);
    const trail = await h.store.accessTrail.list({ action: 'delivery_retry' });
    expect(trail.items.map((e) => [e.subject, e.actor]).sort()).toEqual([
      [String(dead[0]), 'auditor-1'],
      [String(dead[1]), 'admin-1'],
      [String(dead[2]), 'admin-1'],
    ]);
  });
});
