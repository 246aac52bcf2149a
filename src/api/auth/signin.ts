/**
 * Browser sign-in: POST /signin with an API token or a one-time sign-in code (the form at GET
 * /signin is the web UI's) sets an HttpOnly, SameSite=Strict cookie (Secure over HTTPS) holding a
 * browser credential of the same role, which expires and dies with its token; GET /signin?code=
 * is the link `serve` prints. POST /signout revokes it. Every attempt goes to the access trail.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { TokenRecord } from '../../store/index.ts';
import { clientAddress } from '../client-address.ts';
import type { ApiDeps, AppEnv } from '../types.ts';
import { SESSION_COOKIE } from './middleware.ts';
import { hashSecret, looksLikeSecret, newSecret, newTokenId } from './secrets.ts';

/** Only a same-site path may follow sign-in (no `//host`, no scheme). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && next.length < 2000 ? next : '/';
}

export function signinRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/signin', async (c, next) => {
    const code = c.req.query('code');
    if (code === undefined) return next();
    return finish(c, await signIn(c, deps, code), '/', false);
  });

  app.post('/signin', async (c) => {
    const json = (c.req.header('content-type') ?? '').includes('application/json');
    const body = json
      ? ((await c.req.json().catch(() => ({}))) as Record<string, unknown>)
      : await c.req.parseBody();
    const secret = typeof body.token === 'string' ? body.token.trim() : '';
    return finish(c, await signIn(c, deps, secret), safeNext(body.next), json);
  });

  app.post('/signout', async (c) => {
    const auth = c.var.auth;
    if (auth?.via === 'cookie' && auth.tokenId) {
      await deps.store.tokens.revoke(auth.tokenId, deps.now());
      await c.var.store.accessTrail.record('signout', auth.tokenId);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/signin?status=signedout', 303);
  });
  return app;
}

/** Checks the secret (token or code), makes the browser credential; undefined when refused. */
async function signIn(c: Context<AppEnv>, deps: ApiDeps, secret: string): Promise<TokenRecord | undefined> {
  const now = deps.now();
  let from: TokenRecord | undefined;
  if (looksLikeSecret(secret, 'api')) from = await deps.store.tokens.authenticate(hashSecret(secret), now);
  else if (looksLikeSecret(secret, 'signin_code'))
    from = await deps.store.tokens.redeemCode(hashSecret(secret), now);
  const sourceIp = clientAddress(c, deps.config.server.trustedProxies);
  if (!from || (from.kind !== 'api' && from.kind !== 'signin_code')) {
    await deps.store.accessTrail.append({
      at: now,
      action: 'signin_failed',
      actor: 'unknown',
      role: null,
      tokenId: null,
      sourceIp,
      subject: null,
      detail: null,
    });
    return undefined;
  }
  const cookie = newSecret('browser');
  const browser = await deps.store.tokens.create({
    tokenId: newTokenId(),
    kind: 'browser',
    name: from.name,
    role: from.role,
    secretHash: hashSecret(cookie),
    createdAt: now,
    expiresAt: now + deps.config.server.signInHours * 3_600_000,
    // A code is used up; a token's sign-ins die with the token.
    parentId: from.kind === 'api' ? from.tokenId : null,
    createdBy: from.name,
  });
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  setCookie(c, SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: https,
    path: '/',
    maxAge: deps.config.server.signInHours * 3600,
  });
  await deps.store.accessTrail.append({
    at: now,
    action: 'signin',
    actor: from.name,
    role: from.role,
    tokenId: browser.tokenId,
    sourceIp,
    subject: from.tokenId,
    detail: { with: from.kind },
  });
  return browser;
}

function finish(c: Context<AppEnv>, made: TokenRecord | undefined, next: string, json: boolean): Response {
  if (json) {
    return made
      ? c.json({ role: made.role, name: made.name })
      : c.json({ error: { code: 'unauthorized', message: 'that token or code is not valid' } }, 401);
  }
  return c.redirect(made ? next : '/signin?error=invalid', 303);
}
