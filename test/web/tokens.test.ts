/**
 * /tokens through the real app (createApp with the web routes, the API test harness's store): admins
 * only; a new token is shown once (never cached, never in a URL) and opens the API with its role;
 * revoking asks first and then shuts it out; both are in the access trail; forms are CSRF-checked.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/types.ts';
import { createWebRoutes } from '../../src/web/index.ts';
import { type Harness, makeHarness } from '../api/harness.ts';

let h: Harness;
let web: ReturnType<typeof createApp>;
beforeAll(async () => {
  h = await makeHarness({ now: Date.now() });
  web = createApp({
    ...h.deps,
    webRoutes: createWebRoutes({ config: h.deps.config, now: h.deps.now }) as unknown as Hono<AppEnv>,
  });
});
afterAll(() => h.close());

type Role = 'viewer' | 'auditor' | 'admin';
const get = (path: string, role: Role) =>
  web.request(path, { headers: { authorization: `Bearer ${h.tokens[role]}` } });
const post = (path: string, role: Role, fields: Record<string, string>, origin = 'http://localhost') =>
  web.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${h.tokens[role]}`,
      'content-type': 'application/x-www-form-urlencoded',
      origin,
    },
    body: new URLSearchParams(fields).toString(),
  });

describe('/tokens', () => {
  it('is for admins only, in the navigation and on the page', async () => {
    for (const role of ['viewer', 'auditor'] as const) {
      expect((await get('/tokens', role)).status, role).toBe(403);
      expect((await post('/tokens', role, { name: 'x', role: 'admin' })).status, role).toBe(403);
      expect(await (await get('/alerts', role)).text()).not.toContain('href="/tokens"');
    }
    const res = await get('/tokens', 'admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="/tokens" aria-current="page">Tokens</a>');
    for (const role of ['viewer', 'auditor', 'admin']) expect(html).toContain(`>${role}-1</bdi>`);
  });

  it('makes a token, shows it once, and the token opens the API with its role', async () => {
    const before = (await h.store.tokens.list()).length;
    const res = await post('/tokens', 'admin', { name: 'siem-export <b>', role: 'auditor' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const token = /<input id="new-token" type="text" readonly="" value="(sht_[A-Za-z0-9_-]{43})"/.exec(
      html,
    )?.[1];
    expect(token).toBeDefined();
    expect(html).toContain('shown only this once');
    expect(html).toContain('siem-export &lt;b&gt;');
    const made = (await h.store.tokens.list()).find((t) => t.name === 'siem-export <b>')!;
    expect(made).toMatchObject({ role: 'auditor', createdBy: 'admin-1', revokedAt: null });
    expect((await h.store.tokens.list()).length).toBe(before + 1);
    // The secret works, with the role it was given, and is nowhere afterwards.
    const api = await web.request('/api/alerts', { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const again = await (await get('/tokens', 'admin')).text();
    expect(again).not.toContain(token!);
    expect(again).toContain(made.tokenId);
    const trail = (await h.store.accessTrail.list({ action: 'token_create' })).items;
    expect(trail.map((e) => [e.subject, e.actor, e.detail])).toEqual([
      ['siem-export <b>', 'admin-1', { role: 'auditor', tokenId: made.tokenId }],
    ]);
    expect(JSON.stringify(trail)).not.toContain(token!);
  });

  it('shows errors beside the fields: a missing name, a taken name, no role', async () => {
    const empty = await post('/tokens', 'admin', { name: '', role: '' });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('<span class="error" id="e-name">give the token a name');
    expect(html).toContain('<span class="error" id="e-role">');
    expect(html).not.toContain('id="new-token"');
    const taken = await post('/tokens', 'admin', { name: 'viewer-1', role: 'viewer' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('an active token already has this name');
    expect((await h.store.tokens.list()).filter((t) => t.name === 'viewer-1')).toHaveLength(1);
    // A cross-site form makes nothing.
    expect(
      (await post('/tokens', 'admin', { name: 'evil', role: 'admin' }, 'https://evil.example')).status,
    ).toBe(403);
    expect((await h.store.tokens.list()).some((t) => t.name === 'evil')).toBe(false);
  });

  it('revokes after a confirmation page; the token stops working; the trail records it', async () => {
    const { record } = await (async () => {
      const res = await post('/tokens', 'admin', { name: 'short-lived', role: 'viewer' });
      const token = /value="(sht_[A-Za-z0-9_-]{43})"/.exec(await res.text())![1]!;
      return { token, record: (await h.store.tokens.list()).find((t) => t.name === 'short-lived')! };
    })();
    const list = await (await get('/tokens', 'admin')).text();
    expect(list).toContain(`href="/tokens/${record.tokenId}/revoke"`);
    const confirm = await get(`/tokens/${record.tokenId}/revoke`, 'admin');
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain('Revoke token <bdi class="ident">short-lived</bdi>?');
    expect(page).toContain(`<form method="post" action="/tokens/${record.tokenId}/revoke">`);
    // Looking at the confirmation revokes nothing; a viewer cannot post it.
    expect((await h.store.tokens.list()).find((t) => t.tokenId === record.tokenId)?.revokedAt).toBeNull();
    expect((await post(`/tokens/${record.tokenId}/revoke`, 'viewer', {})).status).toBe(403);
    const done = await post(`/tokens/${record.tokenId}/revoke`, 'admin', {});
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/tokens?revoked=${record.tokenId}`);
    expect((await h.store.tokens.list()).find((t) => t.tokenId === record.tokenId)?.revokedAt).not.toBeNull();
    expect((await h.store.accessTrail.list({ action: 'token_revoke' })).items.map((e) => e.subject)).toEqual([
      'short-lived',
    ]);
    const after = await (await get(`/tokens?revoked=${record.tokenId}`, 'admin')).text();
    expect(after).toContain(`Token ${record.tokenId} revoked.`);
    expect(after).not.toContain(`href="/tokens/${record.tokenId}/revoke"`);
    expect((await get(`/tokens/${record.tokenId}/revoke`, 'admin')).status).toBe(404);
  });
});
