/** Where a request came from, for the access trail and the loopback check. */
import type { Context } from 'hono';

/** The socket's remote address under @hono/node-server; null in `app.request()` tests. */
export function clientAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
