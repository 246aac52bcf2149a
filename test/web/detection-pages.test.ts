/**
 * The detection management pages through the real app (createApp + the web routes, over the demo
 * store): navigation per role, /rules (every loaded rule, hits, admin enable/disable, the load
 * report of a user rule directory), /suppressions (list, inline validation, create, remove, from an
 * alert), /deliveries (channel names, never URLs; filters). Every change is checked in the store and
 * the access trail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScheduledRules } from '../../src/alerts/correlation/rules.ts';
import { createSuppressor } from '../../src/alerts/match.ts';
import { type Config, configSchema } from '../../src/config.ts';
import { loadRules } from '../../src/detect/sigma/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { literalPattern } from '../../src/web/pages/suppressions.tsx';
import { tempDir } from '../cli/store-setup.ts';
import { TOKENS, webApp } from './web-app.ts';
import { buildWebStore } from './web-fixture.ts';

type Role = keyof typeof TOKENS;
const work = tempDir('shelltrail-webdet-');
let store: Store;
let app: Awaited<ReturnType<typeof webApp>>;
let config: Config;
const FIREWALL_RULE = '9b6d9112-9c73-5b20-b0f8-01cbb7fbb75b';
const USER_RULE = 'user-rule-0001';
const HOSTILE_TITLE = '<img src=x onerror=window.__pwned=11> user rule \u202Etxt.exe';

beforeAll(async () => {
  const built = await buildWebStore(work.path);
  store = await openStore(built.db);
  const rules = join(work.path, 'my-sigma');
  mkdirSync(join(rules, 'windows'), { recursive: true });
  writeFileSync(
    join(rules, 'user_rule.yml'),
    [
      `title: '${HOSTILE_TITLE}'`,
      `id: ${USER_RULE}`,
      'level: high',
      'tags: [attack.t1059, "<b>tag</b>"]',
      'logsource: {product: linux, category: process_creation}',
      'detection:',
      '  sel:',
      '    CommandLine|contains: "evil-tool"',
      '  condition: sel',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(rules, 'broken.yml'),
    [
      'title: Broken modifier',
      'id: broken-0001',
      'level: medium',
      'logsource: {product: linux, category: process_creation}',
      'detection:',
      '  sel:',
      '    CommandLine|frobnicate: x',
      '  condition: sel',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(rules, 'windows', 'win.yml'),
    [
      'title: A Windows rule',
      'id: win-0001',
      'level: low',
      'logsource: {product: windows, category: process_creation}',
      'detection:',
      '  sel:',
      '    Image|endswith: "\\\\cmd.exe"',
      '  condition: sel',
      '',
    ].join('\n'),
  );
  config = configSchema.parse({
    detection: {
      ruleDirs: [rules],
      disabledRules: [FIREWALL_RULE],
      suppressions: [{ actor: 'ci-*', reason: 'CI runners (config file)' }],
    },
    alerts: {
      channels: [
        {
          type: 'webhook',
          name: 'ops-hook',
          url: 'https://hookuser:hookpass@hooks.example.net/T0/secretpath',
          secret: 's'.repeat(32),
        },
      ],
    },
  });
  app = await webApp(store, config);
}, 240_000);
afterAll(async () => {
  await store?.close();
  work.remove();
});

async function page(path: string, role: Role = 'auditor') {
  const res = await app.request(path, { headers: { Authorization: `Bearer ${TOKENS[role]}` } });
  return { status: res.status, html: await res.text(), res };
}

function post(path: string, role: Role, fields: Record<string, string>, origin = 'http://localhost') {
  return app.request(path, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${TOKENS[role]}`,
      'content-type': 'application/x-www-form-urlencoded',
      origin,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Nothing attacker-influenced became markup, script or a link. */
function expectInert(html: string) {
  for (const m of html.matchAll(/<script\b[^>]*>/g))
    expect(m[0]).toMatch(/^<script src="\/assets\/[^"]+" defer(="")?>$/);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expect(html).not.toMatch(/(href|src|action)="\s*javascript:/i);
  expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
}

/** The main navigation's links, in order, and the one marked current. */
function nav(html: string) {
  const block = /<nav aria-label="Main">(.*?)<\/nav>/s.exec(html)?.[1] ?? '';
  const links = [...block.matchAll(/<a href="([^"]+)"( aria-current="page")?>/g)];
  return { hrefs: links.map((m) => m[1]), current: links.filter((m) => m[2]).map((m) => m[1]) };
}

async function trail(action: string) {
  return (await store.accessTrail.list({ action })).items;
}

describe('navigation', () => {
  it('shows each role the pages it may open and marks the current one', async () => {
    const viewer = nav((await page('/alerts', 'viewer')).html);
    expect(viewer.hrefs).toEqual(['/', '/sessions', '/findings', '/attempts', '/alerts', '/rules']);
    expect(viewer.current).toEqual(['/alerts']);
    const auditor = nav((await page('/rules', 'auditor')).html);
    expect(auditor.hrefs).toEqual([
      '/',
      '/sessions',
      '/search',
      '/findings',
      '/attempts',
      '/alerts',
      '/rules',
      '/suppressions',
      '/deliveries',
    ]);
    expect(auditor.current).toEqual(['/rules']);
    const admin = nav((await page('/suppressions/new', 'admin')).html);
    expect(admin.hrefs.slice(-4)).toEqual(['/suppressions', '/deliveries', '/tokens', '/access-log']);
    expect(admin.current).toEqual(['/suppressions']);
    // The overview is marked only on itself, not on every page.
    expect(nav((await page('/', 'admin')).html).current).toEqual(['/']);
    // What the navigation hides, the page refuses too.
    expect((await page('/suppressions', 'viewer')).status).toBe(403);
    expect((await page('/deliveries', 'viewer')).status).toBe(403);
  });
});

describe('/rules', () => {
  it('lists every loaded rule with level, tags, source and state, escaped, for every role', async () => {
    for (const role of ['viewer', 'auditor', 'admin'] as const) {
      const { status, html } = await page('/rules', role);
      expect(status, role).toBe(200);
      expectInert(html);
      expect(html).not.toContain('<img src=x');
    }
    // Paths may break after each '/' (<wbr>).
    const html = (await page('/rules')).html.replaceAll('/<wbr/>', '/');
    // The built-in command rules (as their loader counts them), the user's one, the built-in scheduled rules.
    const builtin = loadRules({ builtin: true, dirs: [] }).rules.length;
    const scheduled = loadScheduledRules({ builtin: true, dirs: [] }).rules.length;
    expect(builtin).toBeGreaterThanOrEqual(22);
    expect(scheduled).toBe(4);
    expect(html).toContain(`${builtin + 1 + scheduled} rules loaded`);
    expect((html.match(/<th scope="row" class="rule-name">/g) ?? []).length).toBe(builtin + 1 + scheduled);
    expect(html).toContain('1 skipped');
    expect(html).toContain('1 not applicable');
    const row = (id: string) =>
      [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!).find((r) => r.includes(`>${id}</code>`));
    const user = row(USER_RULE)!;
    expect(user).toContain('&lt;img src=x onerror=window.__pwned=11&gt; user rule &lt;U+202E&gt;txt.exe');
    expect(user).toContain('<span class="badge level-high">high</span>');
    expect(user).toContain('attack.t1059, &lt;b&gt;tag&lt;/b&gt;');
    expect(user).toContain(`${join(work.path, 'my-sigma', 'user_rule.yml')}:1</code>`);
    expect(user).toContain('<span class="badge state-on">enabled</span>');
    const firewall = row(FIREWALL_RULE)!;
    expect(firewall).toContain('built-in/st_firewall_disabled.yml:1</code>');
    expect(firewall).toContain(
      '<span class="badge state-off">disabled</span> <span class="muted">in the config file',
    );
    // The load report: why the user's rules did not load.
    const report = html.slice(html.indexOf('id="load-report"'));
    expect(report).toMatch(/broken\.yml:7<\/code>.*?Broken modifier.*?broken-0001.*?frobnicate/s);
    expect(report).toMatch(/windows\/win\.yml:\d+<\/code>.*?A Windows rule.*?windows/s);
  });

  it('shows hits in the last 24 hours, 30 days and all time, as the store counts them', async () => {
    const counts = await store.alerts.countByRule();
    const [ruleId, total] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
    expect(total).toBeGreaterThan(0);
    const recent = (await store.alerts.list({ ruleId, since: Date.now() - 86_400_000 }, { limit: 1000 }))
      .items.length;
    const { html } = await page('/rules');
    const row = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)]
      .map((m) => m[1]!)
      .find((r) => r.includes(`>${ruleId}</code>`))!;
    const nums = [...row.matchAll(/<td class="num">(.*?)<\/td>/gs)].map((m) =>
      m[1]!.replace(/<span class="visually-hidden">.*?<\/span>/g, '').replace(/<[^>]+>/g, ''),
    );
    expect(nums).toEqual([String(recent), String(recent), String(total)]);
    expect(row).toContain(`href="/alerts?rule=${encodeURIComponent(ruleId)}"`);
    // The alerts page follows that link: only that rule's alerts.
    const alerts = (await page(`/alerts?rule=${encodeURIComponent(ruleId)}`)).html;
    expect((alerts.match(/name="id" value="/g) ?? []).length).toBe(Math.min(total, 100));
  });

  it('lets admins turn a rule off and on (access trail); auditors and viewers only read', async () => {
    expect((await page('/rules', 'auditor')).html).not.toContain('method="post" action="/rules"');
    expect((await page('/rules', 'viewer')).html).not.toContain('method="post" action="/rules"');
    expect((await page('/rules', 'admin')).html).toContain(
      'Disable<span class="visually-hidden"> &lt;img src=x onerror=window.__pwned=11&gt;',
    );
    expect((await post('/rules', 'auditor', { rule: USER_RULE, enabled: 'false' })).status).toBe(403);
    expect((await post('/rules', 'viewer', { rule: USER_RULE, enabled: 'false' })).status).toBe(403);
    // A cross-site form is refused before anything runs (CSRF), even for an admin.
    expect(
      (await post('/rules', 'admin', { rule: USER_RULE, enabled: 'false' }, 'https://evil.example')).status,
    ).toBe(403);
    expect((await store.rules.list()).find((s) => s.ruleId === USER_RULE)).toBeUndefined();

    const off = await post('/rules', 'admin', { rule: USER_RULE, enabled: 'false', back_q: 'user-rule' });
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe(`/rules?q=user-rule&changed=${USER_RULE}`);
    expect((await store.rules.list()).find((s) => s.ruleId === USER_RULE)).toMatchObject({
      enabled: false,
      updatedBy: 'web-test-admin',
    });
    expect((await trail('rule_disable')).map((e) => [e.subject, e.actor])).toEqual([
      [USER_RULE, 'web-test-admin'],
    ]);
    const shown = (await page(`/rules?q=user-rule&changed=${USER_RULE}`, 'admin')).html;
    expect(shown).toContain('is now disabled');
    expect(shown).toMatch(
      /state-off">disabled<\/span> <span class="muted">by <bdi class="ident">web-test-admin/,
    );
    // The filter kept: only the user's rule is listed.
    expect((shown.match(/<th scope="row"/g) ?? []).length).toBe(1);
    expect((await page('/rules?state=disabled', 'admin')).html).toContain(USER_RULE);
    expect((await page('/rules?state=enabled', 'admin')).html).not.toContain(`>${USER_RULE}<`);

    expect((await post('/rules', 'admin', { rule: USER_RULE, enabled: 'true' })).status).toBe(303);
    expect((await store.rules.list()).find((s) => s.ruleId === USER_RULE)?.enabled).toBe(true);
    expect((await trail('rule_enable')).map((e) => e.subject)).toEqual([USER_RULE]);
    // A rule the config file turns off stays off; an unknown id is refused.
    const refused = await post('/rules', 'admin', { rule: FIREWALL_RULE, enabled: 'true' });
    expect(refused.headers.get('location')).toBe('/rules?refused=config');
    expect((await store.rules.list()).find((s) => s.ruleId === FIREWALL_RULE)).toBeUndefined();
    expect((await post('/rules', 'admin', { rule: 'no-such-rule', enabled: 'false' })).status).toBe(400);
  });
});

describe('/suppressions', () => {
  it('is for auditors and admins; viewers can neither read nor change it', async () => {
    expect((await page('/suppressions', 'viewer')).status).toBe(403);
    expect((await page('/suppressions/new', 'viewer')).status).toBe(403);
    const made = await post('/suppressions', 'viewer', { actor: 'x', reason: 'y' });
    expect(made.status).toBe(403);
    expect(await store.suppressions.list()).toEqual([]);
    const { status, html } = await page('/suppressions', 'auditor');
    expect(status).toBe(200);
    // The config file's suppression, read-only.
    expect(html).toMatch(
      /From the configuration file \(1\).*?<code>ci-\*<\/code>.*?CI runners \(config file\)/s,
    );
  });

  it('shows validation errors beside their fields and keeps what was typed, escaped', async () => {
    const empty = await post('/suppressions', 'auditor', { rule: '', reason: '' });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expectInert(html);
    expect(html).toContain('role="alert"');
    expect(html).toContain('a suppression without either would silence every alert');
    expect(html).toMatch(
      /<input id="f-reason" name="reason" maxlength="500" required="" aria-invalid="true" aria-describedby="h-reason e-reason"/,
    );
    expect(html).toContain('<span class="error" id="e-reason">say why these alerts may be silenced</span>');

    const bad = await post('/suppressions', 'auditor', {
      rule: 'no-such-rule',
      command: '<script>window.__pwned=12</script>',
      expires: '2020-01-01',
      reason: 'r',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expectInert(badHtml);
    expect(badHtml).toContain('<span class="error" id="e-rule">no loaded rule has this id');
    expect(badHtml).toContain('<span class="error" id="e-expires">must be in the future</span>');
    expect(badHtml).toContain('&lt;script&gt;window.__pwned=12&lt;/script&gt;</textarea>');
    expect(badHtml).not.toContain('<script>window.__pwned');
    // Only stars narrow nothing: still "every alert".
    const stars = await post('/suppressions', 'auditor', { actor: '*', command: '**', reason: 'r' });
    expect(stars.status).toBe(400);
    expect((await stars.text()).includes('would silence every alert')).toBe(true);
    expect(await store.suppressions.list()).toEqual([]);
  });

  it('creates and removes suppressions through the store, recorded in the access trail', async () => {
    const made = await post('/suppressions', 'auditor', {
      rule: USER_RULE,
      actor: 'deploy-*',
      target: '',
      command: 'evil-tool --dry-run *',
      expires: '7d',
      reason: 'Deploy job <b>dry runs</b>',
    });
    expect(made.status).toBe(303);
    const [stored] = await store.suppressions.list();
    expect(stored).toMatchObject({
      ruleId: USER_RULE,
      actor: 'deploy-*',
      target: null,
      command: 'evil-tool --dry-run *',
      createdBy: 'web-test-auditor',
      reason: 'Deploy job <b>dry runs</b>',
    });
    expect(stored!.expiresAt! - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(stored!.expiresAt! - Date.now()).toBeLessThan(7.1 * 86_400_000);
    expect(made.headers.get('location')).toBe(
      `/suppressions?created=${stored!.suppressionId}#s-${stored!.suppressionId}`,
    );
    expect((await trail('suppression_create')).map((e) => e.subject)).toEqual([
      String(stored!.suppressionId),
    ]);
    // An expired one (made in the past) is listed as expired, apart from the active ones.
    const old = await store.suppressions.create({
      ruleId: null,
      actor: 'old-*',
      target: null,
      command: null,
      reason: 'expired one',
      expiresAt: Date.now() - 60_000,
      createdAt: Date.now() - 120_000,
      createdBy: 'someone',
    });
    const { html } = await page(`/suppressions?created=${stored!.suppressionId}`);
    expectInert(html);
    expect(html).toContain(`Suppression ${stored!.suppressionId} created`);
    const active = html.slice(html.indexOf('id="active"'), html.indexOf('id="new"'));
    expect(active).toContain(`id="s-${stored!.suppressionId}"`);
    expect(active).toContain('Deploy job &lt;b&gt;dry runs&lt;/b&gt;');
    expect(active).toContain('<span class="badge state-on">active</span>');
    expect(active).toMatch(/<bdi class="ident">web-test-auditor<\/bdi>/);
    const expired = html.slice(html.indexOf('id="expired"'), html.indexOf('id="config"'));
    expect(expired).toContain(`id="s-${old.suppressionId}"`);
    expect(expired).toContain('<span class="badge state-off">expired</span>');

    expect((await post(`/suppressions/${stored!.suppressionId}/remove`, 'viewer', {})).status).toBe(403);
    const removed = await post(`/suppressions/${stored!.suppressionId}/remove`, 'admin', {});
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/suppressions?removed=${stored!.suppressionId}`);
    expect((await store.suppressions.list()).map((s) => s.suppressionId)).toEqual([old.suppressionId]);
    expect((await trail('suppression_remove')).map((e) => [e.subject, e.actor])).toEqual([
      [String(stored!.suppressionId), 'web-test-admin'],
    ]);
    await post(`/suppressions/${old.suppressionId}/remove`, 'admin', {});
  });

  it('suppresses from an alert: the form comes filled in, and the suppression matches that alert', async () => {
    const alert = (await store.alerts.list({ status: ['open'] }, { limit: 1000 })).items.find(
      (a) => a.commandText !== null,
    )!;
    expect(alert).toBeDefined();
    const detail = (await page(`/alerts/${alert.alertId}`)).html;
    expect(detail).toContain(`href="/suppressions/new?alert=${alert.alertId}"`);
    expect((await page(`/alerts/${alert.alertId}`, 'viewer')).html).not.toContain('/suppressions/new');
    const { status, html } = await page(`/suppressions/new?alert=${alert.alertId}`);
    expect(status).toBe(200);
    const value = (name: string) =>
      new RegExp(`<input id="f-${name}" name="${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];
    expect(value('rule')).toBe(alert.ruleId);
    expect(value('actor')).toBe(literalPattern(alert.actor));
    expect(html).toContain(`name="alert" value="${alert.alertId}"`);
    expect(html).toContain('name="mark_alert" value="1" checked=""');
    const command = /<textarea id="f-command"[^>]*>(.*?)<\/textarea>/s.exec(html)![1]!;
    expect(command.replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>')).toBe(
      literalPattern(alert.commandText),
    );
    expect((await page('/suppressions/new?alert=99999999')).status).toBe(404);

    const r = await post('/suppressions', 'auditor', {
      rule: alert.ruleId,
      actor: literalPattern(alert.actor),
      target: literalPattern(alert.target),
      command: literalPattern(alert.commandText),
      expires: '30d',
      reason: 'known admin task',
      alert: String(alert.alertId),
      mark_alert: '1',
    });
    expect(r.status).toBe(303);
    const [made] = await store.suppressions.list();
    // The real matcher (what detection uses) suppresses this alert with it, and not another rule's.
    const suppressor = createSuppressor([], [made!]);
    expect(suppressor.reasonFor(alert, Date.now())).toBe('known admin task');
    expect(suppressor.reasonFor({ ...alert, ruleId: 'other' }, Date.now())).toBeNull();
    expect(suppressor.reasonFor({ ...alert, commandText: `${alert.commandText} x` }, Date.now())).toBeNull();
    expect(await store.alerts.get(alert.alertId)).toMatchObject({
      status: 'suppressed',
      statusBy: 'web-test-auditor',
      statusReason: 'known admin task',
    });
    expect((await trail('alert_suppressed')).map((e) => e.subject)).toContain(String(alert.alertId));
    await store.suppressions.remove(made!.suppressionId, Date.now());
    await store.alerts.setStatus([alert.alertId], { status: 'open', by: 'test', now: Date.now() });
  });

  it('escapes wildcards so a literal value matches only itself', () => {
    expect(literalPattern('rm -rf /tmp/* ?x \\y')).toBe('rm -rf /tmp/\\* \\?x \\\\y');
    const s = createSuppressor(
      [],
      [
        {
          suppressionId: 1,
          ruleId: null,
          actor: null,
          target: null,
          command: literalPattern('ls *'),
          reason: 'r',
          expiresAt: null,
          createdAt: 0,
          createdBy: 't',
          removedAt: null,
        },
      ],
    );
    const subject = { ruleId: 'x', actor: null, target: null };
    expect(s.reasonFor({ ...subject, commandText: 'ls *' }, 0)).toBe('r');
    expect(s.reasonFor({ ...subject, commandText: 'ls /etc' }, 0)).toBeNull();
  });
});

describe('/deliveries', () => {
  let ids: { pending: number; failed: number; dead: number; delivered: number; gone: number };
  beforeAll(async () => {
    const lease = await store.lease.acquire('deliveries-test');
    await store.alerts.record([
      {
        dedupKey: 'delivery-test-alert',
        ruleId: USER_RULE,
        ruleTitle: HOSTILE_TITLE,
        ruleAuthor: null,
        level: 'high',
        tags: [],
        sessionId: null,
        commandText: null,
        commandAt: null,
        commandSeq: null,
        occurrence: null,
        user: null,
        actor: 'bob',
        target: 'i-0123',
        detail: 'a scheduled detail',
        link: null,
        status: 'open',
        createdAt: Date.now(),
        notify: ['ops-hook', 'old-slack'],
      },
      ...['b', 'c', 'd'].map((k) => ({
        dedupKey: `delivery-test-alert-${k}`,
        ruleId: USER_RULE,
        ruleTitle: 'plain',
        ruleAuthor: null,
        level: 'high' as const,
        tags: [],
        sessionId: null,
        commandText: null,
        commandAt: null,
        commandSeq: null,
        occurrence: null,
        user: null,
        actor: null,
        target: null,
        detail: null,
        link: null,
        status: 'open' as const,
        createdAt: Date.now(),
        notify: ['ops-hook'],
      })),
    ]);
    const rows = (await store.outbox.list({}, { limit: 100 })).items;
    const hook = rows.filter((d) => d.channel === 'ops-hook').sort((a, b) => a.deliveryId - b.deliveryId);
    ids = {
      pending: hook[0]!.deliveryId,
      failed: hook[1]!.deliveryId,
      dead: hook[2]!.deliveryId,
      delivered: hook[3]!.deliveryId,
      gone: rows.find((d) => d.channel === 'old-slack')!.deliveryId,
    };
    await store.outbox.markFailed(
      ids.failed,
      'connection failed (https://hookuser:hookpass@hooks.example.net/T0/secretpath)',
      Date.now() + 60_000,
    );
    await store.outbox.markFailed(ids.dead, 'HTTP 500 from admin:pw@hooks.example.net', null);
    await store.outbox.markDelivered(ids.delivered, Date.now());
    await lease.release();
  });

  const rowOf = (html: string, alertOrDelivery: string) =>
    [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!).filter((r) => r.includes(alertOrDelivery));

  it('lists channel, alert, status, attempts and error, without URLs or credentials', async () => {
    for (const role of ['auditor', 'admin'] as const) {
      const { status, html } = await page('/deliveries', role);
      expect(status, role).toBe(200);
      expectInert(html);
      for (const secret of [
        'hooks.example',
        'hookpass',
        'hookuser',
        'secretpath',
        'admin:pw',
        's'.repeat(32),
      ])
        expect(html, secret).not.toContain(secret);
    }
    const { html } = await page('/deliveries');
    expect(html).toContain('<code>ops-hook</code> <span class="muted">webhook</span>');
    expect(html).toContain('<code>old-slack</code> <span class="muted">(not configured)</span>');
    expect(html).toContain('&lt;img src=x onerror=window.__pwned=11&gt;');
    expect(html).toContain('<span class="badge delivery-failed">failed, retrying</span>');
    expect(html).toContain('<code>connection failed ([url])</code>');
    expect(html).toContain('<span class="badge delivery-dead">dead</span>');
    expect(html).toContain('<code>HTTP 500 from [credentials]</code>');
    expect(html).toContain('<span class="badge delivery-delivered">delivered</span>');
    expect(html).toContain('<span class="badge delivery-pending">pending</span>');
  });

  it('filters by status and channel', async () => {
    const badges = async (query: string) =>
      [...(await page(`/deliveries?${query}`)).html.matchAll(/<span class="badge delivery-(\w+)">/g)].map(
        (m) => m[1],
      );
    expect(await badges('status=dead')).toEqual(['dead']);
    expect(await badges('status=failed')).toEqual(['failed']);
    expect(await badges('status=delivered')).toEqual(['delivered']);
    expect(new Set(await badges('status=pending'))).toEqual(new Set(['pending']));
    expect(await badges('status=pending&channel=old-slack')).toEqual(['pending']);
    expect((await badges('channel=ops-hook')).sort()).toEqual(['dead', 'delivered', 'failed', 'pending']);
    expect(await badges('channel=nobody')).toEqual([]);
    const selected = (await page('/deliveries?status=dead&channel=ops-hook')).html;
    expect(selected).toContain('<option value="dead" selected="">dead</option>');
    expect(selected).toContain('<option value="ops-hook" selected="">ops-hook</option>');
    expect(rowOf(selected, 'old-slack')).toEqual([]);
  });

  it('lets auditors and admins send a dead delivery again (access trail), as the API does; viewers cannot', async () => {
    const auditor = (await page('/deliveries?status=dead', 'auditor')).html;
    expect(auditor).toContain('Retry the dead delivery shown');
    expect(auditor).toContain(`<input type="hidden" name="id" value="${ids.dead}"/>`);
    const retry = (role: Role, origin?: string) =>
      post('/deliveries/retry', role, { id: String(ids.dead), back_status: 'dead' }, origin);
    expect((await retry('viewer')).status).toBe(403);
    expect((await retry('auditor', 'https://evil.example')).status).toBe(403);
    expect((await store.outbox.list({ status: 'dead' })).items.map((d) => d.deliveryId)).toEqual([ids.dead]);
    const r = await retry('auditor');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/deliveries?status=dead&retried=1');
    const after = (await store.outbox.list({ alertId: undefined }, { limit: 100 })).items.find(
      (d) => d.deliveryId === ids.dead,
    );
    expect(after).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await trail('delivery_retry')).map((e) => [e.subject, e.actor])).toEqual([
      [String(ids.dead), 'web-test-auditor'],
    ]);
    const back = (await page('/deliveries?status=dead&retried=1', 'auditor')).html;
    expect(back).toContain('1 dead delivery is pending again');
    expect(back).not.toContain('Retry the dead');
  });
});
