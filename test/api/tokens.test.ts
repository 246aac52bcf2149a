/**
 * Token management over the API: admins only (viewers and auditors 403, no token 401), never a
 * secret or hash in a listing, the secret once on creation, revocation that takes effect, last use
 * recorded, each change in the access trail (who, what, when, from where), the CSRF check on
 * cross-site form posts, and the routes in the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, HOUR, makeHarness, ROLES, T0 } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const PEER = { incoming: { socket: { remoteAddress: '203.0.113.40' } } };

function call(method: string, path: string, role?: keyof Harness['tokens'], body?: unknown, headers = {}) {
  return h.app.request(
    path,
    {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${h.tokens[role]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        // What a browser sends with any same-origin change (the CSRF check wants it on a bodiless DELETE).
        ...(method === 'GET' ? {} : { origin: 'http://localhost' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    PEER,
  );
}

describe('/api/tokens', () => {
  it('answers admins only: 401 without a token, 403 for viewers and auditors', async () => {
    const requests = [
      ['GET', '/api/tokens', undefined],
      ['POST', '/api/tokens', { name: 'x', role: 'viewer' }],
      ['DELETE', '/api/tokens/tok_nope', undefined],
    ] as const;
    for (const [method, path, body] of requests) {
      expect((await call(method, path, undefined, body)).status, `${method} none`).toBe(401);
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const res = await call(method, path, role, body);
        expect(res.status, `${method} ${role}`).toBe(403);
        expect((await res.json()).error.code).toBe('role_not_admin');
      }
    }
    expect((await call('GET', '/api/tokens', 'admin')).status).toBe(200);
    // Nothing was made or revoked by the refused calls.
    const names = (await h.store.tokens.list()).map((t) => t.name);
    expect(names).not.toContain('x');
    expect((await h.store.accessTrail.list({ action: 'token_create' })).items).toEqual([]);
  });

  it('lists without secrets, creates once, records last use, revokes, and trails each change', async () => {
    const listed = await (await call('GET', '/api/tokens', 'admin')).json();
    expect(listed.items.map((t: { name: string }) => t.name).sort()).toEqual([
      'admin-1',
      'auditor-1',
      'viewer-1',
    ]);
    for (const t of listed.items) {
      expect(Object.keys(t).sort()).toEqual(
        ['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role'].sort(),
      );
      expect(JSON.stringify(t)).not.toMatch(/sht_|[0-9a-f]{64}/);
    }
    // The admin's own token was used for these requests (at the harness's clock).
    expect(listed.items.find((t: { name: string }) => t.name === 'admin-1').lastUsedAt).toBe(
      new Date(T0 + 72 * HOUR).toISOString(),
    );
    expect(listed.items.find((t: { name: string }) => t.name === 'viewer-1').lastUsedAt).not.toBeNull();

    const made = await call('POST', '/api/tokens', 'admin', { name: 'ci-reader', role: 'auditor' });
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const created = await made.json();
    expect(created).toMatchObject({ name: 'ci-reader', role: 'auditor', revokedAt: null, lastUsedAt: null });
    expect(created.token).toMatch(/^sht_/);
    // The secret works, and is never shown again.
    const use = await h.app.request('/api/sessions', {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(use.status).toBe(200);
    const after = await (await call('GET', '/api/tokens', 'admin')).text();
    expect(after).not.toContain(created.token);
    expect(
      JSON.parse(after).items.find((t: { id: string }) => t.id === created.id).lastUsedAt,
    ).not.toBeNull();
    // Names stay unique among active tokens; bad input is 400.
    expect((await call('POST', '/api/tokens', 'admin', { name: 'ci-reader', role: 'viewer' })).status).toBe(
      400,
    );
    expect((await call('POST', '/api/tokens', 'admin', { name: 'y', role: 'root' })).status).toBe(400);
    expect((await call('POST', '/api/tokens', 'admin', { name: '', role: 'viewer' })).status).toBe(400);

    const revoked = await call('DELETE', `/api/tokens/${created.id}`, 'admin');
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revoked.map((t: { id: string }) => t.id)).toEqual([created.id]);
    const refused = await h.app.request('/api/sessions', {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(refused.status).toBe(401);
    expect((await call('DELETE', `/api/tokens/${created.id}`, 'admin')).status).toBe(404);
    const shown = (await (await call('GET', '/api/tokens', 'admin')).json()).items.find(
      (t: { id: string }) => t.id === created.id,
    );
    expect(shown.revokedAt).toBe(new Date(T0 + 72 * HOUR).toISOString());

    const trail = (await h.store.accessTrail.list()).items.filter((e) => e.action.startsWith('token_'));
    expect(trail.map((e) => [e.action, e.subject])).toEqual([
      ['token_revoke', 'ci-reader'],
      ['token_create', 'ci-reader'],
    ]);
    for (const e of trail)
      expect(e).toMatchObject({
        actor: 'admin-1',
        role: 'admin',
        sourceIp: '203.0.113.40',
        at: T0 + 72 * HOUR,
      });
    expect(trail[1]!.detail).toMatchObject({ role: 'auditor', tokenId: created.id });
  });

  it('refuses a cross-site form post or delete (CSRF), as every other change', async () => {
    const evil = { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' };
    const post = await h.app.request(
      '/api/tokens',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${h.tokens.admin}`, ...evil },
        body: 'name=z&role=admin',
      },
      PEER,
    );
    expect(post.status).toBe(403);
    const del = await h.app.request(
      '/api/tokens/tok_any',
      { method: 'DELETE', headers: { authorization: `Bearer ${h.tokens.admin}`, ...evil }, body: 'x=1' },
      PEER,
    );
    expect(del.status).toBe(403);
    expect((await h.store.tokens.list()).map((t) => t.name)).not.toContain('z');
  });

  it('is in the OpenAPI document, and its answers match it', async () => {
    const doc = await (await call('GET', '/api/openapi.json', 'admin')).json();
    expect(Object.keys(doc.paths['/api/tokens'])).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/tokens/{id}'])).toEqual(['delete']);
    const token = doc.components.schemas.Token;
    expect(Object.keys(token.properties).sort()).toEqual(
      ['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role'].sort(),
    );
    expect(JSON.stringify(doc.paths['/api/tokens'].post.responses['201'])).toContain('NewToken');
    expect(JSON.stringify(doc.components.schemas.NewToken)).toContain('"token"');
  });
});
