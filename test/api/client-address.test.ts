/**
 * "From where" in the access trail: the socket peer, unless that peer is a configured trusted proxy,
 * in which case the rightmost `X-Forwarded-For` hop that is not itself trusted. A client that sends
 * the header itself, straight to the server, changes nothing.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/api/client-address.ts';
import { configSchema } from '../../src/config.ts';
import { type Harness, makeHarness } from './harness.ts';

async function addressOf(peer: string, xff: string | undefined, trusted: string[]): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(String(clientAddress(c, trusted))));
  const headers: Record<string, string> = xff === undefined ? {} : { 'x-forwarded-for': xff };
  const res = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: peer } } });
  return res.text();
}

describe('clientAddress', () => {
  const alb = ['10.0.0.0/16', '127.0.0.1', 'fd00::/8'];
  it.each([
    ['no trusted proxies: the socket, header ignored', '10.0.1.5', '203.0.113.9', [], '10.0.1.5'],
    ['an untrusted peer forging the header', '198.51.100.7', '203.0.113.9', alb, '198.51.100.7'],
    ['a trusted peer without the header', '10.0.1.5', undefined, alb, '10.0.1.5'],
    ['the ALB in front of the client', '10.0.1.5', '203.0.113.9', alb, '203.0.113.9'],
    ['a client-forged hop left of the real one', '10.0.1.5', '1.1.1.1, 203.0.113.9', alb, '203.0.113.9'],
    ['two trusted hops', '127.0.0.1', '203.0.113.9, 10.0.2.2', alb, '203.0.113.9'],
    ['every hop trusted: the leftmost', '127.0.0.1', '10.0.3.3, 10.0.2.2', alb, '10.0.3.3'],
    ['an IPv4-mapped peer matches an IPv4 range', '::ffff:10.0.1.5', '203.0.113.9', alb, '203.0.113.9'],
    ['ports are dropped', '10.0.1.5', '203.0.113.9:4711', alb, '203.0.113.9'],
    ['IPv6 hops', 'fd00::1', '[2001:db8::7]:443', alb, '2001:db8::7'],
    ['garbage stops at the last trusted hop', '10.0.1.5', '203.0.113.9, <script>, 10.0.2.2', alb, '10.0.2.2'],
  ])('%s', async (_name, peer, xff, trusted, expected) => {
    expect(await addressOf(peer, xff, trusted)).toBe(expected);
  });

  it('the config refuses what is not an address or range', () => {
    expect(() => configSchema.parse({ server: { trustedProxies: ['10.0.0.0/33'] } })).toThrow(/CIDR/);
    expect(() => configSchema.parse({ server: { trustedProxies: ['alb.example.com'] } })).toThrow(/CIDR/);
    expect(configSchema.parse({}).server.trustedProxies).toEqual([]);
  });
});

describe('the access trail behind a trusted proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness({ config: { trustedProxies: ['10.0.0.0/16'] } });
  });
  afterAll(() => h.close());

  it('says where the user was, not where the proxy was', async () => {
    const search = (peer: string, q: string) =>
      h.app.request(
        `/api/search?q=${q}`,
        { headers: { authorization: `Bearer ${h.tokens.auditor}`, 'x-forwarded-for': '203.0.113.9' } },
        { incoming: { socket: { remoteAddress: peer } } },
      );
    expect((await search('10.0.4.4', 'via-alb')).status).toBe(200);
    expect((await search('198.51.100.7', 'direct')).status).toBe(200);
    const trail = (await h.store.accessTrail.list({ action: 'search' })).items;
    const from = (q: string) => trail.find((e) => JSON.stringify(e.detail).includes(q))?.sourceIp;
    expect(from('via-alb')).toBe('203.0.113.9');
    expect(from('direct')).toBe('198.51.100.7');
  });
});
