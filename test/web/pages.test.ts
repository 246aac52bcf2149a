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

  it('groups search hits by session with deep links that open the replay at the hit', async () => {
    const { html } = await page('/search?q=echo%20hello');
    expect(html).toContain('class="hit-group"');
    const link = /href="(\/sessions\/[^"]+\?[^"]*cmd=echo\+hello[^"]*)"/.exec(html)?.[1];
    expect(link).toBeDefined();
    const target = (await page(link!.replaceAll('&amp;', '&'))).html;
    const commands = (await store.commands.listForSession(fixtureSession)).items;
    const index = commands.findIndex((c) => c.text === 'echo hello');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(target).toContain(`data-start="${index}"`);
    expect(target).toMatch(new RegExp(`data-index="${index}" aria-current="true"`));
    expect((await page('/search?q=whoami', 'viewer')).status).toBe(403);
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
