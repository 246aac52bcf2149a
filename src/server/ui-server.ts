/**
 * The API and web UI over one store, listening: what `serve` and `demo` share. Builds the app
 * from its deps (createApp never listens), starts the HTTP server, waits until it answers, and
 * makes the one-time sign-in link. The caller prints the two lines and closes it.
 */
import type { Logger } from 'pino';
import { createApp } from '../api/app.ts';
import { ApiMetrics } from '../api/metrics.ts';
import type { AppEnv } from '../api/types.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/index.ts';
import { createWebRoutes } from '../web/index.ts';
import { signInLink } from './signin-code.ts';
import { startServer } from './start.ts';

export interface UiServer {
  /** `http://HOST:PORT`, as the server actually bound it. */
  url: string;
  /** `<url>/signin?code=shc_...`: signs one browser in as admin, once, within 15 minutes. */
  signInLink: string;
  metrics: ApiMetrics;
  close(): Promise<void>;
}

export interface UiServerOptions {
  host: string;
  port: number;
  log: Logger;
  metrics?: ApiMetrics;
}

/**
 * Serves the API and the web UI over `store` on host:port.
 *
 * @example const ui = await startUiServer(store, config, { host: '127.0.0.1', port: 0, log }); console.log(ui.url);
 */
export async function startUiServer(
  store: Store,
  config: Config,
  options: UiServerOptions,
): Promise<UiServer> {
  const metrics = options.metrics ?? new ApiMetrics();
  const app = createApp({
    store,
    config,
    now: Date.now,
    log: options.log,
    metrics,
    webRoutes: createWebRoutes<AppEnv>({ config }),
  });
  const server = await startServer(app, options.host, options.port);
  try {
    return { url: server.url, signInLink: await signInLink(store, server.url), metrics, close: server.close };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Resolves when `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
