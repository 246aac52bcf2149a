/**
 * `createApp(deps)`: the HTTP API and (when given) the web UI as one Hono app. It never listens and
 * never reads process.env: `shelltrail serve` builds the deps from config and starts the server,
 * tests call `app.request()`. Order: security headers, request log, size limit, CSRF check,
 * authentication (caller + role-scoped store on the context), then the routes; one onError.
 *
 * @example const app = createApp({ store, config, now: Date.now, log }); await app.request('/healthz');
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { csrf } from 'hono/csrf';
import { authenticate } from './auth/middleware.ts';
import { signinRoutes } from './auth/signin.ts';
import { type ApiErrorBody, onApiError, onNotFound } from './errors.ts';
import { ApiMetrics } from './metrics.ts';
import { requestLog } from './request-log.ts';
import { alertRoutes } from './routes/alerts.ts';
import { healthRoutes } from './routes/health.ts';
import { listRoutes } from './routes/lists.ts';
import { searchRoutes } from './routes/search.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { timelineRoutes } from './routes/timelines.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { requestSizeLimit, securityHeaders } from './security.ts';
import type { ApiDeps, AppEnv } from './types.ts';

export const OPENAPI_PATH = '/api/openapi.json';

/** Answers zod validation failures as our 400 shape. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.join('.') || 'request';
        const body: ApiErrorBody = {
          error: { code: 'bad_request', message: `${where}: ${issue?.message ?? 'invalid'}` },
        };
        return c.json(body, 400);
      }
    },
  });
}

export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const metrics = deps.metrics ?? new ApiMetrics();
  const app = newRouter();
  app.use('*', securityHeaders());
  app.use('*', requestLog(deps.log, metrics));
  app.use('*', requestSizeLimit());
  app.use('*', csrf());
  app.use('*', authenticate(deps));
  app.route('/', signinRoutes(deps));
  app.route('/', healthRoutes(deps, metrics));
  app.route('/api', sessionRoutes(deps));
  app.route('/api', searchRoutes(deps));
  app.route('/api', listRoutes(deps));
  app.route('/api', timelineRoutes());
  app.route('/api', alertRoutes(deps));
  app.route('/api', tokenRoutes());
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: { title: 'shelltrail API', version: '1' },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  if (deps.webRoutes) app.route('/', deps.webRoutes);
  app.onError(onApiError(deps.log));
  app.notFound(onNotFound);
  return app;
}
