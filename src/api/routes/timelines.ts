/**
 * GET /api/actors/:actor/timeline and /api/targets/:target/timeline: every session and command of
 * one person or one node in time order, across sessions and accounts (incident reconstruction).
 * A viewer's timeline lists sessions only (the scoped store leaves commands out).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { commandJson, isoOrNull, sessionJson } from '../../analyze/shapes.ts';
import type { TimelineSubject } from '../../store/index.ts';
import { newRouter } from '../app.ts';
import { CommandSchema, errorResponses, json, PageQuery, SessionSchema } from '../schemas.ts';
import type { AppEnv } from '../types.ts';
import { timeParam } from './params.ts';

const EntrySchema = z
  .object({
    type: z.enum(['session', 'command']),
    at: z.string(),
    session: SessionSchema.optional(),
    sessionId: z.string().optional(),
    command: CommandSchema.omit({ link: true }).optional(),
  })
  .openapi('TimelineEntry');

const TimelineSchema = z
  .object({ items: z.array(EntrySchema), nextCursor: z.string().nullable() })
  .openapi('Timeline');

const query = z.object({ since: timeParam, until: timeParam, ...PageQuery });

const actorRoute = createRoute({
  method: 'get',
  path: '/actors/{actor}/timeline',
  summary: "One actor's sessions and commands in time order",
  request: { params: z.object({ actor: z.string().max(500) }), query },
  responses: { 200: json(TimelineSchema, 'The timeline'), ...errorResponses },
});

const targetRoute = createRoute({
  method: 'get',
  path: '/targets/{target}/timeline',
  summary: "One node's sessions and commands in time order",
  request: { params: z.object({ target: z.string().max(500) }), query },
  responses: { 200: json(TimelineSchema, 'The timeline'), ...errorResponses },
});

export function timelineRoutes() {
  const app = newRouter();
  app.openapi(actorRoute, async (c) =>
    c.json(await timeline(c, { actor: c.req.valid('param').actor }, c.req.valid('query')), 200),
  );
  app.openapi(targetRoute, async (c) =>
    c.json(await timeline(c, { target: c.req.valid('param').target }, c.req.valid('query')), 200),
  );
  return app;
}

async function timeline(
  c: Context<AppEnv>,
  subject: TimelineSubject,
  q: { since?: number; until?: number; limit?: number; cursor?: string },
) {
  const page = await c.var.store.timelines.list(
    subject,
    { since: q.since, until: q.until },
    { limit: q.limit ?? 200, cursor: q.cursor },
  );
  return {
    items: page.items.map((e) =>
      e.type === 'session'
        ? { type: 'session' as const, at: isoOrNull(e.at)!, session: sessionJson(e.session) }
        : {
            type: 'command' as const,
            at: isoOrNull(e.at)!,
            sessionId: e.command.sessionId,
            command: commandJson(e.command),
          },
    ),
    nextCursor: page.nextCursor,
  };
}
