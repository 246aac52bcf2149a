/** The web UI mounted in the real app: pages render with a bearer token, redirect without, assets are public. */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/types.ts';
import { createWebRoutes } from '../../src/web/index.ts';
import { type Harness, makeHarness } from './harness.ts';

let h: Harness;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  h = await makeHarness();
  const web = createWebRoutes({}) as unknown as import('hono').Hono<AppEnv>;
  app = createApp({ ...h.deps, log: pino({ level: 'silent' }), webRoutes: web });
});
afterAll(() => h.close());

it('pages: 200 with a bearer token, 303 to /signin without; sign-in form and assets need nothing', async () => {
  const bearer = { authorization: `Bearer ${h.tokens.auditor}` };
  for (const path of [
    '/',
    '/sessions',
    '/sessions/alice-1',
    '/search?q=id',
    '/actors/alice',
    '/findings',
    '/attempts',
  ]) {
    expect((await app.request(path, { headers: bearer })).status, path).toBe(200);
    expect((await app.request(path)).status, path).toBe(303);
  }
  expect((await app.request('/signin')).status).toBe(200);
  expect((await app.request('/assets/app.css')).status).toBe(200);
  expect(
    (await app.request('/search?q=id', { headers: { authorization: `Bearer ${h.tokens.viewer}` } })).status,
  ).toBe(403);
});
