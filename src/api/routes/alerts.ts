/**
 * Alerts API: GET /api/alerts (filters, paged), GET /api/alerts/{id}, POST /api/alerts/status
 * (bulk acknowledge / resolve / suppress / reopen), GET /api/rules (loaded rules with enabled state
 * and alert counts), POST /api/rules/{id}/enabled (admins), GET|POST /api/suppressions,
 * DELETE /api/suppressions/{id}, GET /api/deliveries (the delivery log), POST /api/deliveries/retry
 * (dead deliveries back to pending). Roles: scoped-alerts.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { loadScheduledRules } from '../../alerts/correlation/rules.ts';
import { ALERT_LEVELS, ALERT_STATUSES, alertJson } from '../../alerts/json.ts';
import { loadRules } from '../../detect/sigma/index.ts';
import { newRouter } from '../app.ts';
import { AlertSchema, errorResponses, json, PageQuery } from '../schemas.ts';
import type { ApiDeps } from '../types.ts';
import { timeParam } from './params.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/alerts',
  summary: 'Alerts raised by rules, newest first (viewers: without command text)',
  request: {
    query: z.object({
      status: z.enum(ALERT_STATUSES).optional(),
      level: z.enum(ALERT_LEVELS).optional(),
      rule: z.string().max(200).optional(),
      session: z.string().max(500).optional(),
      actor: z.string().max(500).optional(),
      target: z.string().max(500).optional(),
      since: timeParam,
      until: timeParam,
      ...PageQuery,
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(AlertSchema), nextCursor: z.string().nullable() }).openapi('AlertPage'),
      'A page of alerts',
    ),
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/alerts/{id}',
  summary: 'One alert',
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: {
    200: json(AlertSchema, 'The alert'),
    404: json(z.object({ error: z.string() }), 'No such alert'),
    ...errorResponses,
  },
});

const statusRoute = createRoute({
  method: 'post',
  path: '/alerts/status',
  summary: 'Acknowledge, resolve, suppress or reopen alerts in bulk (auditors and admins; access trail)',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            ids: z.array(z.number().int().min(1)).min(1).max(1000),
            status: z.enum(ALERT_STATUSES),
            reason: z.string().max(500).optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: json(z.object({ changed: z.array(AlertSchema) }), 'The alerts that changed'),
    ...errorResponses,
  },
});

const Rule = z
  .object({
    id: z.string(),
    title: z.string(),
    level: z.string(),
    kind: z.string(),
    enabled: z.boolean(),
    alerts: z.number(),
  })
  .openapi('Rule');

const rulesRoute = createRoute({
  method: 'get',
  path: '/rules',
  summary: 'Loaded rules (command and scheduled) with enabled state and alert counts, and the load report',
  responses: {
    200: json(
      z.object({
        rules: z.array(Rule),
        report: z.object({ loaded: z.number(), skipped: z.number(), notApplicable: z.number() }),
      }),
      'Rules',
    ),
    ...errorResponses,
  },
});

const enableRoute = createRoute({
  method: 'post',
  path: '/rules/{id}/enabled',
  summary: 'Turn a rule on or off (admins; access trail)',
  request: {
    params: z.object({ id: z.string().max(200) }),
    body: { content: { 'application/json': { schema: z.object({ enabled: z.boolean() }) } } },
  },
  responses: {
    200: json(z.object({ ruleId: z.string(), enabled: z.boolean() }), 'The new state'),
    ...errorResponses,
  },
});

const Suppression = z
  .object({
    suppressionId: z.number(),
    ruleId: z.string().nullable(),
    actor: z.string().nullable(),
    target: z.string().nullable(),
    command: z.string().nullable(),
    reason: z.string(),
    expiresAt: z.number().nullable(),
    createdAt: z.number(),
    createdBy: z.string(),
    removedAt: z.number().nullable(),
  })
  .openapi('Suppression');

const suppressionsRoute = createRoute({
  method: 'get',
  path: '/suppressions',
  summary: 'Active suppressions (auditors and admins)',
  responses: { 200: json(z.object({ items: z.array(Suppression) }), 'Suppressions'), ...errorResponses },
});

const createSuppressionRoute = createRoute({
  method: 'post',
  path: '/suppressions',
  summary:
    'Suppress future alerts of a rule (or any) for actor/target/command patterns (auditors and admins)',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            ruleId: z.string().max(200).nullable().optional(),
            actor: z.string().max(500).nullable().optional(),
            target: z.string().max(500).nullable().optional(),
            command: z.string().max(2000).nullable().optional(),
            reason: z.string().min(1).max(500),
            expiresAt: z.number().int().nullable().optional(),
          }),
        },
      },
    },
  },
  responses: { 200: json(Suppression, 'The suppression'), ...errorResponses },
});

const removeSuppressionRoute = createRoute({
  method: 'delete',
  path: '/suppressions/{id}',
  summary: 'Remove a suppression (auditors and admins)',
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: { 200: json(z.object({ removed: z.boolean() }), 'Whether it was removed'), ...errorResponses },
});

const DeliverySchema = z.object({
  deliveryId: z.number(),
  alertId: z.number(),
  channel: z.string(),
  status: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
});

const deliveriesRoute = createRoute({
  method: 'get',
  path: '/deliveries',
  summary: 'The notification delivery log, newest first (auditors and admins)',
  request: {
    query: z.object({
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
      alert: z.coerce.number().int().min(1).optional(),
      ...PageQuery,
    }),
  },
  responses: {
    200: json(
      z.object({
        items: z.array(DeliverySchema),
        nextCursor: z.string().nullable(),
      }),
      'A page of deliveries',
    ),
    ...errorResponses,
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/deliveries/retry',
  summary:
    'Send dead deliveries again: these ids, or all: true (auditors and admins; access trail). Each gets a fresh series of attempts',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              ids: z.array(z.number().int().min(1)).min(1).max(1000).optional(),
              all: z.literal(true).optional(),
            })
            .refine((b) => (b.ids === undefined) !== (b.all === undefined), 'give either ids or all: true'),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({ retried: z.array(DeliverySchema) }),
      'The deliveries that were dead and are pending now',
    ),
    ...errorResponses,
  },
});

export function alertRoutes(deps: ApiDeps) {
  const app = newRouter();
  // Rule files are read once, on the first request that needs them.
  let loaded:
    | {
        rules: { id: string; title: string; level: string; kind: string }[];
        report: { loaded: number; skipped: number; notApplicable: number };
      }
    | undefined;
  function configuredRules() {
    if (!loaded) {
      const { rules, report } = loadRules({
        builtin: deps.config.detection.builtin,
        dirs: deps.config.detection.ruleDirs,
      });
      const scheduled = loadScheduledRules({
        builtin: deps.config.alerts.scheduledBuiltin,
        dirs: deps.config.alerts.scheduledRuleDirs,
      });
      loaded = {
        rules: [
          ...rules.map((r) => ({ id: r.id, title: r.title, level: r.level, kind: r.kind as string })),
          ...scheduled.rules.map((r) => ({
            id: r.id,
            title: r.title,
            level: r.level as string,
            kind: 'scheduled',
          })),
        ],
        report: {
          loaded: report.loaded,
          skipped: report.skipped.length,
          notApplicable: report.notApplicable.length,
        },
      };
    }
    return loaded;
  }
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.alerts.list(
      {
        ...(q.status ? { status: [q.status] } : {}),
        ...(q.level ? { minLevel: q.level } : {}),
        ruleId: q.rule,
        sessionId: q.session,
        actor: q.actor,
        target: q.target,
        since: q.since,
        until: q.until,
      },
      { limit: q.limit ?? 50, cursor: q.cursor },
    );
    return c.json({ items: page.items.map(alertJson), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(getRoute, async (c) => {
    const alert = await c.var.store.alerts.get(c.req.valid('param').id);
    if (!alert) return c.json({ error: 'not_found' }, 404);
    return c.json(alertJson(alert), 200);
  });
  app.openapi(statusRoute, async (c) => {
    const body = c.req.valid('json');
    const changed = await c.var.store.alerts.setStatus(body.ids, body.status, body.reason ?? null);
    return c.json({ changed: changed.map(alertJson) }, 200);
  });
  app.openapi(rulesRoute, async (c) => {
    const { rules, report } = configuredRules();
    const disabled = new Set(deps.config.detection.disabledRules);
    for (const s of await c.var.store.ruleStates.list()) if (!s.enabled) disabled.add(s.ruleId);
    const counts = await c.var.store.alerts.countByRule();
    return c.json(
      {
        rules: rules.map((r) => ({ ...r, enabled: !disabled.has(r.id), alerts: counts[r.id] ?? 0 })),
        report,
      },
      200,
    );
  });
  app.openapi(enableRoute, async (c) => {
    const state = await c.var.store.ruleStates.setEnabled(
      c.req.valid('param').id,
      c.req.valid('json').enabled,
    );
    return c.json({ ruleId: state.ruleId, enabled: state.enabled }, 200);
  });
  app.openapi(suppressionsRoute, async (c) => {
    return c.json({ items: await c.var.store.suppressions.list({ activeAt: deps.now() }) }, 200);
  });
  app.openapi(createSuppressionRoute, async (c) => {
    const b = c.req.valid('json');
    const made = await c.var.store.suppressions.create({
      ruleId: b.ruleId ?? null,
      actor: b.actor ?? null,
      target: b.target ?? null,
      command: b.command ?? null,
      reason: b.reason,
      expiresAt: b.expiresAt ?? null,
    });
    return c.json(made, 200);
  });
  app.openapi(removeSuppressionRoute, async (c) => {
    return c.json({ removed: await c.var.store.suppressions.remove(c.req.valid('param').id) }, 200);
  });
  app.openapi(deliveriesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.deliveries.list(
      { ...(q.status ? { status: q.status } : {}), ...(q.alert ? { alertId: q.alert } : {}) },
      { limit: q.limit ?? 50, cursor: q.cursor },
    );
    return c.json(page, 200);
  });
  app.openapi(retryRoute, async (c) => {
    const b = c.req.valid('json');
    const retried = await c.var.store.deliveries.retryDead(b.all ? 'all' : (b.ids ?? []));
    return c.json({ retried }, 200);
  });
  return app;
}
