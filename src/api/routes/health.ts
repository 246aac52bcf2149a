/** GET /healthz (no token: load balancers ask it) and GET /metrics (Prometheus text). */
import { Hono } from 'hono';
import { AccessDeniedError } from '../errors.ts';
import type { ApiMetrics } from '../metrics.ts';
import type { ApiDeps, AppEnv } from '../types.ts';

export function healthRoutes(deps: ApiDeps, metrics: ApiMetrics): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/metrics', async (c) => {
    // Public only when configured; otherwise the auth middleware has already required a token.
    const scoped = c.var.store;
    if (!scoped) throw new AccessDeniedError('unauthorized', 'a valid token is required');
    const rows = await scoped.stats.tableRows();
    // Ingest in another process (`serve --no-ingest` beside `shelltrail ingest`): what its worker
    // recorded in the store.
    const stored = metrics.ingestsHere ? [] : await scoped.stats.sourcePolls();
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(metrics.render(rows, deps.now(), stored));
  });
  return app;
}
