/**
 * ALB OIDC: an ES256 JWT in `x-amzn-oidc-data`, checked with the public key for its kid fetched
 * once from a loopback HTTP server standing in for public-keys.auth.elb.<region>.amazonaws.com,
 * mapped to a role by email or group. Forged, expired and unmapped tokens are refused; the header
 * means nothing when OIDC is not configured.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, HOUR, makeHarness, T0 } from './harness.ts';

const NOW = T0 + 72 * HOUR;
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let server: Server;
let fetches = 0;
let h: Harness;
let plain: Harness;

function jwt(claims: Record<string, unknown>, key: KeyObject = keys.privateKey, kid = 'kid-1'): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = part({
    alg: 'ES256',
    kid,
    signer: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x',
    exp: claims.exp,
  });
  const body = part(claims);
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
  return `${head}.${body}.${sig}`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    fetches++;
    if (req.url === '/keys/kid-1') res.end(keys.publicKey.export({ type: 'spki', format: 'pem' }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  h = await makeHarness({
    now: NOW,
    config: {
      oidc: {
        enabled: true,
        region: 'eu-west-1',
        keyUrl: `http://127.0.0.1:${port}/keys/{kid}`,
        emailRoles: { 'Ann@Example.com': 'admin' },
        groupRoles: { auditors: 'auditor' },
        groupsClaim: 'groups',
      },
    },
  });
  plain = await makeHarness({ now: NOW });
});
afterAll(async () => {
  server.close();
  await h.close();
  await plain.close();
});

const exp = Math.floor(NOW / 1000) + 600;
const as = (app: Harness, token: string, path = '/api/access-log') =>
  app.app.request(path, { headers: { 'x-amzn-oidc-data': token } });

it('maps email and group to a role; the key is fetched once per kid', async () => {
  expect((await as(h, jwt({ email: 'ann@example.com', exp }))).status).toBe(200);
  const auditor = jwt({ email: 'bo@example.com', groups: ['auditors'], exp });
  expect((await as(h, auditor)).status).toBe(403);
  expect((await as(h, auditor, '/api/search?q=id')).status).toBe(200);
  expect(fetches).toBe(1);
});

it('refuses forged, expired, unmapped and unknown-kid tokens', async () => {
  expect((await as(h, jwt({ email: 'ann@example.com', exp }, other.privateKey))).status).toBe(401);
  expect((await as(h, jwt({ email: 'ann@example.com', exp: Math.floor(NOW / 1000) - 1 }))).status).toBe(401);
  expect((await as(h, jwt({ email: 'nobody@example.com', exp }))).status).toBe(401);
  expect((await as(h, jwt({ email: 'ann@example.com', exp }, keys.privateKey, 'kid-2'))).status).toBe(401);
  expect((await as(h, 'not.a.jwt')).status).toBe(401);
});

it('the header is ignored when OIDC is not configured', async () => {
  expect((await as(plain, jwt({ email: 'ann@example.com', exp }))).status).toBe(401);
});

it('records an OIDC identity in the access trail on its first request, then once an hour, not per request', async () => {
  const signins = async () =>
    (await h.store.accessTrail.list({ action: 'signin' })).items.filter((e) => e.actor === 'cy@example.com');
  const cy = jwt({ email: 'cy@example.com', groups: ['auditors'], exp: exp + 7200 });
  for (let i = 0; i < 5; i++) expect((await as(h, cy, '/api/sessions')).status).toBe(200);
  const first = await signins();
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({ role: 'auditor', tokenId: null, detail: { via: 'oidc' }, at: NOW });
  // A refused header records nothing.
  await as(h, jwt({ email: 'cy@example.com', groups: ['auditors'], exp }, other.privateKey));
  expect(await signins()).toHaveLength(1);
  const saved = h.deps.now;
  try {
    h.deps.now = () => NOW + 59 * 60_000;
    await as(h, cy, '/api/sessions');
    expect(await signins()).toHaveLength(1);
    h.deps.now = () => NOW + 61 * 60_000;
    await as(h, cy, '/api/sessions');
    expect((await signins()).map((e) => e.at)).toEqual([NOW + 61 * 60_000, NOW]);
  } finally {
    h.deps.now = saved;
  }
});
