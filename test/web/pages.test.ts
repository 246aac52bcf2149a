import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { tempDir } from '../cli/store-setup.ts';
import { TOKENS, webApp } from './web-app.ts';
import { buildWebStore, HOSTILE_COMMANDS, HOSTILE_SESSION } from './web-fixture.ts';

const work = tempDir('shelltrail-web-');
let store: Store;
let app: Awaited<ReturnType<typeof webApp>>;
let fixtureSession: string;

beforeAll(async () => {
  const built = await buildWebStore(work.path);
  fixtureSession = built.fixtureSession;
  store = await openStore(built.db);
  app = await webApp(store);
}, 240_000);
afterAll(async () => {
  await store?.close();
  work.remove();
});

async function page(path: string, role: keyof typeof TOKENS = 'auditor') {
  const res = await app.request(path, { headers: { Authorization: `Bearer ${TOKENS[role]}` } });
  return { status: res.status, html: await res.text(), res };
}

/** Nothing a transcript or identity holds can become markup, script or a link. */
function expectInert(html: string) {
  for (const m of html.matchAll(/<script\b[^>]*>/g))
    expect(m[0]).toMatch(/^<script src="\/assets\/[^"]+" defer(="")?>$/);
  expect(html).not.toMatch(/<script>[^<]/);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expect(html).not.toMatch(/(href|src|action)="\s*javascript:/i);
  expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
}

const allPages = () => [
  '/',
  '/sessions',
  `/sessions/${HOSTILE_SESSION}`,
  `/sessions/${fixtureSession}`,
  '/findings',
  '/attempts',
  `/actors/${encodeURIComponent('mallory\u202Eexe.txt')}`,
  '/targets/i-0badc0ffee0000001',
];

describe('web pages', () => {
  it('render for every role, with only same-origin scripts and every value inert', async () => {
    for (const role of ['viewer', 'auditor', 'admin'] as const) {
      for (const path of allPages()) {
        const { status, html } = await page(path, role);
        expect(status, `${role} ${path}`).toBe(200);
        expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
        expectInert(html);
      }
    }
  });

  it('shows hostile commands as text to auditors, and no command text at all to viewers', async () => {
    const auditor = (await page(`/sessions/${HOSTILE_SESSION}`)).html;
    expect(auditor).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(auditor).toContain('mallory&lt;U+202E&gt;exe.txt');
    expect(auditor).toContain('&lt;b&gt;maintenance&lt;/b&gt;');
    expect(auditor).toContain('data-cast="/api/sessions/mallory-0fedcba9876543210/cast"');
    const viewer = (await page(`/sessions/${HOSTILE_SESSION}`, 'viewer')).html;
    for (const command of HOSTILE_COMMANDS)
      expect(viewer).not.toContain(command.slice(0, 12).replace('<', '&lt;'));
    expect(viewer).not.toContain('pwned');
    expect(viewer).not.toContain('data-cast');
    expect(viewer).toContain('mallory&lt;U+202E&gt;exe.txt');
    const fixture = (await page(`/sessions/${fixtureSession}`, 'viewer')).html;
    expect(fixture).not.toContain('whoami');
    expect((await page(`/sessions/${fixtureSession}`)).html).toContain('whoami');
  });

  it('keeps the sessions filters in the URL and applies them', async () => {
    const all = (await page('/sessions')).html;
    const { html } = await page('/sessions?actor=mallory*&coverage=complete');
    expect(html).toContain('name="actor" value="mallory*"');
    expect(html).toMatch(/<option value="complete" selected="">complete<\/option>/);
    expect(html).toContain(HOSTILE_SESSION);
    expect(html).not.toContain(fixtureSession);
    expect(all).toContain(fixtureSession);
    const none = (await page('/sessions?actor=nobody-at-all')).html;
    expect(none).toContain('No sessions match.');
  });

  it('counts the sessions under every filter, and per coverage with the other filters kept', async () => {
    const total = (html: string) => /<span class="count-total">([\d,+]+)<\/span>/.exec(html)?.[1];
    const everything = (await store.sessions.list({}, { limit: 5000 })).items;
    expect(total((await page('/sessions')).html)).toBe(String(everything.length));
    for (const [query, filters] of [
      ['actor=mallory*', { actor: 'mallory*' }],
      ['actor=mallory*&coverage=complete', { actor: 'mallory*', coverage: 'complete' }],
      [`target=${everything[0]!.target}`, { target: everything[0]!.target! }],
      ['kind=port_forward', { kind: 'port_forward' }],
    ] as const) {
      const { html } = await page(`/sessions?${query}`);
      const counts = await store.sessions.count(filters);
      expect(total(html), query).toBe(String(counts.total.count));
      expect(counts.total.count).toBe((await store.sessions.list(filters, { limit: 5000 })).items.length);
      // Each coverage link keeps the other filters and shows their count with that coverage.
      for (const [coverage, n] of Object.entries(counts.coverage).filter(([, n]) => n.count > 0)) {
        const others = query.replace(/&coverage=\w+/, '').replaceAll('&', '&amp;');
        expect(html, `${query} ${coverage}`).toContain(`href="/sessions?${others}&amp;coverage=${coverage}"`);
        expect(html).toContain(`${coverage}</span> ${n.count}</a>`);
      }
    }
    expect(total((await page('/sessions?actor=nobody-at-all')).html)).toBe('0');
    const { countText } = await import('../../src/web/pages/sessions.tsx');
    expect(countText({ count: 1000, exact: false })).toBe('1,000+');
    expect(countText({ count: 999, exact: true })).toBe('999');
  });

  it('filters by principal and (not for viewers) by command text, with both in the URL', async () => {
    const everything = (await store.sessions.list({}, { limit: 5000 })).items;
    const principal = everything.find((s) => s.sessionId === fixtureSession)!.principalArn!;
    const same = everything.filter((s) => s.principalArn === principal).map((s) => s.sessionId);
    const { html } = await page(`/sessions?principal=${encodeURIComponent(principal)}`);
    expect(html).toContain(`name="principal" value="${principal}"`);
    for (const s of everything)
      if (same.includes(s.sessionId)) expect(html).toContain(s.sessionId);
      else expect(html).not.toContain(`/sessions/${encodeURIComponent(s.sessionId)}"`);
    const text = await page('/sessions?text=whoami');
    expect(text.html).toContain('name="text" value="whoami"');
    const withWhoami = new Set(await store.commands.sessionIds({ text: 'whoami' }));
    expect(withWhoami.has(fixtureSession)).toBe(true);
    for (const s of everything)
      if (withWhoami.has(s.sessionId)) expect(text.html).toContain(s.sessionId);
      else expect(text.html).not.toContain(`/sessions/${encodeURIComponent(s.sessionId)}"`);
    expect(text.html).toMatch(/<span class="count-total">(\d+)<\/span>/);
    expect(/<span class="count-total">(\d+)<\/span>/.exec(text.html)![1]).toBe(String(withWhoami.size));
    // A viewer gets no text field, and a text filter in the URL is refused, not quietly dropped.
    const viewer = await page('/sessions', 'viewer');
    expect(viewer.html).toContain('name="principal"');
    expect(viewer.html).not.toContain('name="text"');
    expect((await page('/sessions?text=whoami', 'viewer')).status).toBe(403);
  });

  it('groups search hits by session with deep links that open the replay at the hit', async () => {
    const { html } = await page('/search?q=echo%20hello');
    expect(html).toContain('class="hit-group"');
    // The one deep-link format (src/api/deep-link.ts): seconds in tenths, the text URI-encoded.
    const link = /href="(\/sessions\/[^"]+\?at=\d+(?:\.\d)?&amp;cmd=echo%20hello)"/.exec(html)?.[1];
    expect(link).toBeDefined();
    const target = (await page(link!.replaceAll('&amp;', '&'))).html;
    const commands = (await store.commands.listForSession(fixtureSession)).items;
    const index = commands.findIndex((c) => c.text === 'echo hello');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(target).toContain(`data-start="${index}"`);
    expect(target).toMatch(new RegExp(`data-index="${index}" aria-current="true"`));
    expect((await page('/search?q=whoami', 'viewer')).status).toBe(403);
  });

  it('records a search from the search page in the access trail: who, what, when, from where', async () => {
    const before = Date.now();
    const searches = async () =>
      (await store.accessTrail.list({ action: 'search', actor: 'web-test-auditor' })).items;
    const earlier = (await searches()).length;
    const res = await app.request(
      '/search?q=echo%20hello',
      { headers: { Authorization: `Bearer ${TOKENS.auditor}` } },
      { incoming: { socket: { remoteAddress: '::ffff:198.51.100.23' } } },
    );
    expect(res.status).toBe(200);
    const trail = await searches(); // newest first
    expect(trail).toHaveLength(earlier + 1);
    expect(trail[0]).toMatchObject({
      action: 'search',
      actor: 'web-test-auditor',
      role: 'auditor',
      tokenId: 'tok_web_auditor',
      sourceIp: '198.51.100.23',
      subject: null,
      detail: { q: 'echo hello' },
    });
    expect(trail[0]!.at).toBeGreaterThanOrEqual(before);
    expect(trail[0]!.at).toBeLessThanOrEqual(Date.now());
    // A page without a query searches nothing and records nothing; a viewer is refused before any record.
    await page('/search', 'admin');
    expect((await page('/search?q=x', 'viewer')).status).toBe(403);
    expect((await store.accessTrail.list({ action: 'search' })).items.map((e) => e.actor)).not.toContain(
      'web-test-viewer',
    );
    expect((await store.accessTrail.list({ action: 'search', actor: 'web-test-admin' })).items).toEqual([]);
  });

  it('shows the access log to admins only, and serves the player from node_modules', async () => {
    await page(`/sessions/${fixtureSession}`); // nothing recorded yet for a page view
    await app.request(`/api/sessions/${fixtureSession}/cast`, {
      headers: { Authorization: `Bearer ${TOKENS.auditor}` },
    });
    const log = await page('/access-log', 'admin');
    expect(log.status).toBe(200);
    expect(log.html).toContain('replay');
    expect(log.html).toContain('web-test-auditor');
    expect((await page('/access-log', 'auditor')).status).toBe(403);
    const js = await app.request('/assets/player/asciinema-player.min.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    expect((await app.request('/assets/session.js')).status).toBe(200);
    expect((await app.request('/sessions')).status).toBe(303);
    const signin = await app.request('/signin');
    expect(await signin.text()).toContain('action="/signin"');
  });
});

describe('alert badges', () => {
  /** The demo's sessions with an open alert, from the store (the pages must agree with it). */
  async function demoAlerts() {
    const open = (await store.alerts.list({ status: ['open'] }, { limit: 1000 })).items;
    return { open, sessions: new Set(open.map((a) => a.sessionId!).filter(Boolean)) };
  }

  it('the sessions list shows each row’s open alerts and highest level, and filters by alerts', async () => {
    const { sessions } = await demoAlerts();
    expect(sessions.size).toBeGreaterThan(0);
    const { html } = await page('/sessions?alerts=open');
    expect(html).toMatch(/<select name="alerts">.*<option value="open" selected="">open<\/option>/s);
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!).slice(1);
    expect(rows.length).toBe(sessions.size);
    for (const row of rows) {
      const id = /href="\/sessions\/([^"#?]+)" class="mono"/.exec(row)![1]!;
      expect(sessions.has(decodeURIComponent(id))).toBe(true);
      // Styled by level, and the level in words beside the count (not colour alone).
      expect(row).toMatch(
        /<a class="badge alerts-open level-(high|critical|medium|low|informational)" href="\/sessions\/[^"]+#alerts" title="\d+ open alerts?, highest level \1[^"]*">\d+ open · \1<span class="visually-hidden">/,
      );
    }
    const everything = (await page('/sessions')).html;
    expect(everything).toContain('<th scope="col">Alerts</th>');
    expect((everything.match(/class="badge alerts-open/g) ?? []).length).toBeGreaterThan(0);
    const critical = (await page('/sessions?alertLevel=critical')).html;
    const expected = (await store.alerts.list({ status: ['open'], minLevel: 'critical' })).items.length;
    if (expected === 0) expect(critical).toContain('No sessions match.');
    // Viewers see the same badges: they carry no command text.
    const viewer = (await page('/sessions?alerts=open', 'viewer')).html;
    expect((viewer.match(/class="badge alerts-open/g) ?? []).length).toBe(rows.length);
  });

  it('the session page sums up its alerts and marks each command that raised one', async () => {
    const { open } = await demoAlerts();
    const alert = open.find((a) => a.commandText !== null)!;
    expect(alert).toBeDefined();
    const { html } = await page(`/sessions/${encodeURIComponent(alert.sessionId!)}`);
    expect(html).toMatch(
      /<dt>Alerts<\/dt><dd><span id="alert-summary"><a class="badge alerts-open level-\w+" href="#alerts">\d+ open alerts? · \w+<\/a>/,
    );
    const commands = (await store.commands.listForSession(alert.sessionId!)).items;
    const index = commands.findIndex((c) => c.text === alert.commandText);
    const marked = new RegExp(
      `<li class="has-alert"><button type="button" class="cmd" data-index="${index}"[^>]*>.*?</button><ul class="cmd-alerts" aria-label="Alerts this command raised"><li><a href="/alerts/${alert.alertId}"><span class="badge level-${alert.level}">${alert.level}</span> ${alert.ruleTitle}</a>`,
      's',
    );
    expect(html).toMatch(marked);
    expect(html).toContain(`<h2 id="alerts">Alerts</h2>`);
    // Viewers: the summary and the rule, never the command.
    const viewer = (await page(`/sessions/${encodeURIComponent(alert.sessionId!)}`, 'viewer')).html;
    expect(viewer).toContain('id="alert-summary"');
    expect(viewer).toContain(`<a href="/alerts/${alert.alertId}">${alert.ruleTitle}</a>`);
    expect(viewer).not.toContain(alert.commandText!);
    expect(viewer).not.toContain('cmd-alerts');
    const quiet = (await page(`/sessions/${fixtureSession}`)).html;
    expect(quiet).toContain('<dt>Alerts</dt><dd><span class="muted" id="alert-summary">none</span>');
  });

  it('keeps hostile rule titles and commands inert on every alert view, and the alert page per role', async () => {
    const lease = await store.lease.acquire('pages-test');
    await store.alerts.record([
      {
        dedupKey: 'hostile-alert',
        ruleId: 'x"><script>window.__pwned=7</script>',
        ruleTitle: '<img src=x onerror=window.__pwned=8>\u202Egnp.exe',
        ruleAuthor: null,
        level: 'critical',
        tags: ['<b>tag</b>'],
        sessionId: HOSTILE_SESSION,
        commandText: HOSTILE_COMMANDS[0]!,
        commandAt: null,
        commandSeq: 0,
        occurrence: 0,
        user: 'root',
        actor: null,
        target: null,
        detail: null,
        link: 'javascript:window.__pwned=9',
        status: 'open',
        createdAt: Date.now(),
        notify: [],
      },
    ]);
    await lease.release();
    const [hostile] = (await store.alerts.list({ sessionId: HOSTILE_SESSION })).items;
    for (const role of ['viewer', 'auditor', 'admin'] as const) {
      for (const path of [
        '/sessions?alerts=open',
        `/sessions/${HOSTILE_SESSION}`,
        '/alerts',
        `/alerts/${hostile!.alertId}`,
      ]) {
        const { status, html } = await page(path, role);
        expect(status, `${role} ${path}`).toBe(200);
        expectInert(html);
        expect(html).not.toContain('<img src=x');
      }
    }
    const auditor = (await page(`/alerts/${hostile!.alertId}`)).html;
    expect(auditor).toContain('&lt;img src=x onerror=window.__pwned=8&gt;&lt;U+202E&gt;gnp.exe');
    expect(auditor).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(auditor).not.toContain('href="javascript');
    const session = (await page(`/sessions/${HOSTILE_SESSION}`)).html;
    expect(session).toMatch(/<li class="has-alert"><button type="button" class="cmd" data-index="0"/);
    const viewer = (await page(`/alerts/${hostile!.alertId}`, 'viewer')).html;
    expect(viewer).not.toContain('pwned=1');
    expect(viewer).toContain('<span class="badge level-critical">critical</span>');
    expect((await page('/alerts/99999999')).status).toBe(404);
    expect((await page('/alerts/nope')).status).toBe(404);
  });

  it('the alert page’s buttons change its status and come back to it (auditors; viewers 403)', async () => {
    const { open } = await demoAlerts();
    const id = open[0]!.alertId;
    const post = (role: 'viewer' | 'auditor', back: string) =>
      app.request('/alerts', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${TOKENS[role]}`,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost',
        },
        body: `id=${id}&action=ack&back=${encodeURIComponent(back)}`,
      });
    expect((await post('viewer', `/alerts/${id}`)).status).toBe(403);
    const r = await post('auditor', `/alerts/${id}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/alerts/${id}`);
    expect((await store.alerts.get(id))?.status).toBe('acknowledged');
    expect((await post('auditor', 'https://evil.example/')).headers.get('location')).toBe('/alerts');
    const listed = (await page('/sessions?alerts=any')).html;
    expect(listed).toContain(`/sessions/${encodeURIComponent(open[0]!.sessionId!)}#alerts`);
    await store.alerts.setStatus([id], { status: 'open', by: 'test', now: Date.now() });
  });
});
