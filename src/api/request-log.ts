/**
 * One structured log line per request: method, route, path without its query string (search text
 * is evidence; sign-in codes travel in queries), status, duration, role. Never headers, tokens,
 * cookies or bodies.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { ApiMetrics } from './metrics.ts';
import type { AppEnv } from './types.ts';

export function requestLog(log: Logger, metrics: ApiMetrics): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routePath(c, -1) || c.req.path;
      metrics.observe(route, c.res.status, seconds);
      log.info(
        {
          method: c.req.method,
          route,
          path: c.req.path.length > 300 ? `${c.req.path.slice(0, 300)}…` : c.req.path,
          status: c.res.status,
          ms: Math.round(seconds * 10_000) / 10,
          role: c.var.auth?.role ?? null,
        },
        'request',
      );
    }
  };
}
