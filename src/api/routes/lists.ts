/** GET /api/attempts, /api/findings, /api/stats and (admins) /api/access-log. */
import { createRoute, z } from '@hono/zod-openapi';
import { attemptJson, findingJson, isoOrNull } from '../../analyze/shapes.ts';
import type { FindingKind } from '../../store/index.ts';
import { newRouter } from '../app.ts';
import {
  AccessEntrySchema,
  AttemptSchema,
  errorResponses,
  FindingSchema,
  json,
  PageQuery,
  pageOf,
} from '../schemas.ts';
import type { ApiDeps } from '../types.ts';
import { timeParam } from './params.ts';

const attemptsRoute = createRoute({
  method: 'get',
  path: '/attempts',
  summary: 'Denied or failed StartSession calls, newest first',
  request: {
    query: z.object({
      actor: z.string().max(500).optional(),
      target: z.string().max(500).optional(),
      account: z.string().max(20).optional(),
      region: z.string().max(50).optional(),
      since: timeParam,
      until: timeParam,
      ...PageQuery,
    }),
  },
  responses: { 200: json(pageOf(AttemptSchema, 'AttemptPage'), 'A page of attempts'), ...errorResponses },
});

const findingsRoute = createRoute({
  method: 'get',
  path: '/findings',
  summary: 'Audit findings',
  request: {
    query: z.object({
      kind: z.enum(['missing', 'partial', 'integrity']).optional(),
      session: z.string().max(500).optional(),
      ...PageQuery,
    }),
  },
  responses: { 200: json(pageOf(FindingSchema, 'FindingPage'), 'A page of findings'), ...errorResponses },
});

const statsRoute = createRoute({
  method: 'get',
  path: '/stats',
  summary: 'Sessions per day, top actors and targets, coverage totals',
  request: { query: z.object({ since: timeParam, until: timeParam }) },
  responses: {
    200: json(
      z
        .object({
          sessionsPerDay: z.array(z.object({ day: z.string(), sessions: z.number() })),
          topActors: z.array(z.object({ actor: z.string(), sessions: z.number() })),
          topTargets: z.array(z.object({ target: z.string(), sessions: z.number() })),
          coverage: z.record(z.string(), z.number()),
          sessions: z.number(),
          attempts: z.number(),
        })
        .openapi('Stats'),
      'Summary figures',
    ),
    ...errorResponses,
  },
});

const accessLogRoute = createRoute({
  method: 'get',
  path: '/access-log',
  summary: 'The access trail, newest first (admins)',
  request: {
    query: z.object({
      action: z.string().max(50).optional(),
      actor: z.string().max(500).optional(),
      ...PageQuery,
    }),
  },
  responses: {
    200: json(pageOf(AccessEntrySchema, 'AccessPage'), 'A page of the access trail'),
    ...errorResponses,
  },
});

export function listRoutes(_deps: ApiDeps) {
  const app = newRouter();
  app.openapi(attemptsRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.sessions.listAttempts(
      {
        actor: q.actor,
        target: q.target,
        accountId: q.account,
        region: q.region,
        since: q.since,
        until: q.until,
      },
      { limit: q.limit ?? 50, cursor: q.cursor },
    );
    return c.json({ items: page.items.map(attemptJson), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(findingsRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.findings.list(
      { kinds: q.kind ? [q.kind as FindingKind] : undefined, sessionId: q.session },
      { limit: q.limit ?? 50, cursor: q.cursor },
    );
    return c.json({ items: page.items.map(findingJson), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(statsRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(await c.var.store.stats.overview({ since: q.since, until: q.until }), 200);
  });
  app.openapi(accessLogRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.accessTrail.list(
      { action: q.action, actor: q.actor },
      { limit: q.limit ?? 100, cursor: q.cursor },
    );
    return c.json(
      { items: page.items.map((e) => ({ ...e, at: isoOrNull(e.at) })), nextCursor: page.nextCursor },
      200,
    );
  });
  return app;
}
