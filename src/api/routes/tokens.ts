/**
 * API tokens for admins: GET /api/tokens (never a secret or its hash), POST /api/tokens (the new
 * token's secret, this once), DELETE /api/tokens/:id (revoke it and the browser sign-ins made with
 * it). The role-scoped store (scoped-tokens.ts) refuses anyone but an admin and writes each change
 * to the access trail; the app's CSRF check (hono/csrf) covers these like every other change.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { TokenRecord } from '../../store/index.ts';
import { newRouter } from '../app.ts';
import { NotFoundError } from '../errors.ts';
import { ErrorSchema, errorResponses, json } from '../schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['viewer', 'auditor', 'admin']),
    createdAt: z.string(),
    createdBy: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'To the minute; null: never used' }),
    revokedAt: z.string().nullable(),
  })
  .openapi('Token');

/** A token as the API shows it: no secret, no hash (the store returns neither anyway). */
export function tokenJson(t: TokenRecord) {
  return {
    id: t.tokenId,
    name: t.name,
    role: t.role,
    createdAt: new Date(t.createdAt).toISOString(),
    createdBy: t.createdBy,
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/tokens',
  summary: 'API tokens, oldest first, revoked ones included (admins)',
  responses: {
    200: json(z.object({ items: z.array(TokenSchema) }).openapi('TokenList'), 'The tokens'),
    ...errorResponses,
  },
});

const createTokenRoute = createRoute({
  method: 'post',
  path: '/tokens',
  summary: 'Create an API token; its secret is in this answer only (admins; access trail)',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            name: z.string().min(1).max(100),
            role: z.enum(['viewer', 'auditor', 'admin']),
          }),
        },
      },
    },
  },
  responses: {
    201: json(
      TokenSchema.extend({
        token: z.string().openapi({ description: 'The secret: shown once, stored only as its SHA-256' }),
      }).openapi('NewToken'),
      'The new token',
    ),
    ...errorResponses,
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  summary: 'Revoke an API token and the browser sign-ins made with it (admins; access trail)',
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: {
    200: json(z.object({ revoked: z.array(TokenSchema) }), 'What was revoked'),
    404: json(ErrorSchema, 'No active API token has this id'),
    ...errorResponses,
  },
});

export function tokenRoutes() {
  const app = newRouter();
  app.openapi(listRoute, async (c) => {
    const tokens = await c.var.store.tokens.list();
    return c.json({ items: tokens.map(tokenJson) }, 200);
  });
  app.openapi(createTokenRoute, async (c) => {
    const { name, role } = c.req.valid('json');
    const { token, record } = await c.var.store.tokens.create({ name, role });
    c.header('Cache-Control', 'no-store');
    return c.json({ ...tokenJson(record), token }, 201);
  });
  app.openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const revoked = await c.var.store.tokens.revoke(id);
    if (revoked.length === 0) throw new NotFoundError('no active API token has this id');
    return c.json({ revoked: revoked.filter((t) => t.kind === 'api').map(tokenJson) }, 200);
  });
  return app;
}
