/**
 * Starts the HTTP server for an app on host:port and resolves once it answers its health check,
 * so "listening on" is printed only when it is true. `close` stops accepting, ends idle
 * keep-alive connections and resolves when the server is closed.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env.
export async function startServer(app: Hono<any>, host: string, port: number): Promise<RunningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  const res = await fetch(`${url}/healthz`);
  if (!res.ok) throw new Error(`the server does not answer its health check (HTTP ${res.status})`);
  await res.body?.cancel();
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
