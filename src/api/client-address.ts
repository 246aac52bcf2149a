/**
 * Where a request came from, for the access trail and the loopback check. Behind a load balancer
 * or reverse proxy the socket peer is the proxy, so the client is taken from `X-Forwarded-For`,
 * but only when the peer is one the config trusts (`server.trustedProxies`): anyone can send the
 * header, and only a trusted proxy's word about who it talked to is evidence.
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/** Hops read from the right of `X-Forwarded-For`; a longer chain is a forgery or a loop. */
const MAX_HOPS = 32;

/** The socket's remote address under @hono/node-server; null in `app.request()` tests. */
export function socketAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  return address ? unmapped(address) : null;
}

/**
 * The client's address: the socket peer, or, when that peer is a trusted proxy, the rightmost
 * `X-Forwarded-For` hop that is not itself trusted (each trusted proxy appends the address it saw,
 * so everything left of the first untrusted hop was written by the client and proves nothing).
 * When every hop is trusted, the leftmost. A hop that is not an IP address ends the walk at the
 * last trusted one.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[] = []): string | null {
  const peer = socketAddress(c);
  if (!peer || trustedProxies.length === 0) return peer;
  const trusted = trustList(trustedProxies);
  if (!isTrusted(trusted, peer)) return peer;
  const header = c.req.header('x-forwarded-for');
  if (!header) return peer;
  const hops = header.split(',').slice(-MAX_HOPS);
  let last = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i]!);
    if (!hop) return last;
    if (!isTrusted(trusted, hop)) return hop;
    last = hop;
  }
  return last;
}

export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const lists = new WeakMap<readonly string[], BlockList>();

/** The config's list as a BlockList, built once per list (the config object lives as long as the app). */
function trustList(entries: readonly string[]): BlockList {
  let list = lists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address, bits] = entry.split('/') as [string, string | undefined];
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    lists.set(entries, list);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** One `X-Forwarded-For` entry as an address: spaces and a port (`1.2.3.4:5`, `[::1]:5`) removed. */
function hopAddress(raw: string): string | null {
  let hop = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) hop = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(hop)) hop = hop.slice(0, hop.lastIndexOf(':'));
  return isIP(hop) ? unmapped(hop) : null;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`, so IPv4 ranges match it. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
