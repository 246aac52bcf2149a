/**
 * Every API route with every role and with no token, through `app.request()`: 401 without a
 * token, 403 for a role that lacks the right, 200 otherwise; pages redirect (303) to /signin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/store/index.ts';
import { type Harness, makeHarness, ROLES } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

/** Each API route and the roles that may use it. */
const ROUTES: { path: string; roles: Role[] }[] = [
  { path: '/api/sessions', roles: ROLES },
  { path: '/api/sessions?kind=shell&since=2026-11-01', roles: ROLES },
  { path: '/api/sessions?text=iptables', roles: ['auditor', 'admin'] },
  { path: '/api/sessions?alerts=open&alertLevel=high', roles: ROLES },
  { path: '/api/sessions/alice-1', roles: ROLES },
  { path: '/api/sessions/alice-1?raw=1', roles: ROLES },
  { path: '/api/sessions/alice-1/transcript.txt', roles: ['auditor', 'admin'] },
  { path: '/api/sessions/alice-1/raw', roles: ['auditor', 'admin'] },
  { path: '/api/sessions/alice-1/cast', roles: ['auditor', 'admin'] },
  { path: '/api/search?q=iptables', roles: ['auditor', 'admin'] },
  { path: '/api/search?q=iptables&format=csv', roles: ['auditor', 'admin'] },
  { path: '/api/search?q=id&format=ndjson', roles: ['auditor', 'admin'] },
  { path: '/api/attempts', roles: ROLES },
  { path: '/api/findings', roles: ROLES },
  { path: '/api/stats', roles: ROLES },
  { path: '/api/actors/alice/timeline', roles: ROLES },
  { path: '/api/targets/i-0aa11bb22cc33dd44/timeline', roles: ROLES },
  { path: '/api/access-log', roles: ['admin'] },
  { path: '/api/openapi.json', roles: ROLES },
  { path: '/metrics', roles: ROLES },
];

describe('API routes × roles', () => {
  for (const route of ROUTES) {
    it(`${route.path}: 401 without a token`, async () => {
      const res = await h.get(route.path);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    });
    for (const role of ROLES) {
      const allowed = route.roles.includes(role);
      it(`${route.path}: ${role} gets ${allowed ? 200 : 403}`, async () => {
        const res = await h.get(route.path, role);
        expect(res.status).toBe(allowed ? 200 : 403);
        if (!allowed) expect((await res.json()).error.code).toMatch(/^role_/);
      });
    }
  }

  it('a wrong token is 401 and never falls back to anonymous', async () => {
    const res = await h.app.request('/api/sessions', { headers: { authorization: 'Bearer sht_nope' } });
    expect(res.status).toBe(401);
  });

  it('/healthz needs no token', async () => {
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('an unknown session is 404 JSON', async () => {
    const res = await h.get('/api/sessions/nope', 'auditor');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('a bad parameter is 400 JSON without a stack', async () => {
    const res = await h.get('/api/sessions?limit=100000', 'auditor');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('bad_request');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('pages', () => {
  it('redirect (303) to /signin without a cookie or token', async () => {
    for (const path of ['/', '/sessions', '/sessions/alice-1', '/search?q=x', '/access-log']) {
      const res = await h.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/signin\?/);
    }
  });
});

describe('what each role sees', () => {
  it('a session lists like `sessions --json`; a viewer gets no commands and no command parameters', async () => {
    const list = await (await h.get('/api/sessions', 'viewer')).json();
    expect(list.items.map((s: { sessionId: string }) => s.sessionId).sort()).toEqual([
      'alice-1',
      'bob-2',
      'eve-3',
    ]);
    const bob = list.items.find((s: { sessionId: string }) => s.sessionId === 'bob-2');
    expect(JSON.stringify(bob)).not.toContain('shadow');
    const viewer = await (await h.get('/api/sessions/alice-1?raw=1', 'viewer')).json();
    expect(viewer).not.toHaveProperty('commands');
    const bobRaw = await (await h.get('/api/sessions/bob-2?raw=1', 'viewer')).text();
    expect(bobRaw).not.toContain('shadow');
    const auditor = await (await h.get('/api/sessions/alice-1', 'auditor')).json();
    expect(auditor.commands.map((c: { text: string }) => c.text)).toContain('sudo iptables -F');
    expect(auditor.commands[2].link).toBe('/sessions/alice-1?at=3&cmd=sudo%20iptables%20-F');
    expect(auditor.nearbyAttempts.map((a: { eventId: string }) => a.eventId)).toEqual(['denied-1']);
  });

  it("a viewer's timeline has sessions only; an auditor's has the commands", async () => {
    const viewer = await (await h.get('/api/actors/alice/timeline', 'viewer')).json();
    expect(viewer.items.map((e: { type: string }) => e.type)).toEqual(['session']);
    const auditor = await (await h.get('/api/actors/alice/timeline', 'auditor')).json();
    expect(auditor.items.map((e: { type: string }) => e.type)).toEqual([
      'session',
      'command',
      'command',
      'command',
    ]);
  });

  it('search pages carry snippets, exact counts and deep links; CSV exports neutralise formulas', async () => {
    const res = await (await h.get('/api/search?q=iptables', 'auditor')).json();
    expect(res).toMatchObject({ total: 1, totalExact: true, page: 1 });
    expect(res.hits[0].snippet).toContain('«iptables»');
    expect(res.hits[0].link).toBe('/sessions/alice-1?at=3&cmd=sudo%20iptables%20-F');
    // The session start a hit carries for its link is not part of the hit's JSON.
    expect(Object.keys(res.hits[0]).sort()).toEqual(
      [
        'accountId',
        'actor',
        'at',
        'atPrecision',
        'commandId',
        'cwd',
        'executed',
        'exitCode',
        'identityVerified',
        'kind',
        'link',
        'principalArn',
        'region',
        'seq',
        'sessionId',
        'snippet',
        'target',
        'text',
        'user',
      ].sort(),
    );
    const csv = await (await h.get('/api/search?q=echo&format=csv', 'auditor')).text();
    expect(csv.split('\r\n')[0]).toBe('at,sessionId,actor,target,accountId,region,user,executed,text,link');
  });

  it('searches, exports, downloads and replays land in the access trail', async () => {
    await h.get('/api/search?q=needle-for-trail', 'auditor');
    await h.get('/api/sessions/alice-1/raw', 'auditor');
    const log = await (await h.get('/api/access-log?limit=500', 'admin')).json();
    const actions = log.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['search', 'export', 'transcript', 'replay']));
    const search = log.items.find(
      (e: { detail: { q?: string } | null }) => e.detail?.q === 'needle-for-trail',
    );
    expect(search).toMatchObject({ actor: 'auditor-1', role: 'auditor' });
  });
});
