/**
 * Authentication: every request except the health check, the sign-in form and the static assets
 * must carry a credential: `Authorization: Bearer <token>`, the browser sign-in cookie, or (when
 * configured) the ALB's OIDC header; loopback may be let in anonymously when the config says so.
 * Without one an API route answers 401 and a page redirects (303) to /signin. With one, the
 * caller and the role-scoped store are put on the context: `c.get('auth')`, `c.get('store')`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { TokenRecord } from '../../store/index.ts';
import { clientAddress, isLoopback } from '../client-address.ts';
import type { ApiErrorBody } from '../errors.ts';
import { createScopedStore } from '../scoped-store.ts';
import type { ApiDeps, AppEnv, AuthContext } from '../types.ts';
import { OidcVerifier } from './oidc.ts';
import { hashSecret, looksLikeSecret } from './secrets.ts';

export const SESSION_COOKIE = 'shelltrail_session';

/** Paths anyone may fetch: the health check, the sign-in form and its POST, static assets. */
export function isPublicPath(path: string, deps: ApiDeps): boolean {
  return (
    path === '/healthz' ||
    path === '/signin' ||
    path === '/favicon.ico' ||
    path.startsWith('/assets/') ||
    (path === '/metrics' && deps.config.server.publicMetrics)
  );
}

/** Whether a path answers JSON (401) rather than redirecting to the sign-in page (303). */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path === '/metrics';
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  const oidc = deps.config.server.oidc.enabled
    ? new OidcVerifier(deps.config.server.oidc, deps.fetch)
    : undefined;
  const oidcSignins = new OidcSignins();
  return async function authenticateRequest(c, next) {
    const path = c.req.path;
    const sourceIp = clientAddress(c, deps.config.server.trustedProxies);
    const auth = await identify(c, deps, oidc, sourceIp);
    if (auth) {
      c.set('auth', auth);
      if (auth.via === 'oidc' && oidcSignins.due(auth, sourceIp, deps.now())) {
        await deps.store.accessTrail.append({
          at: deps.now(),
          action: 'signin',
          actor: auth.name,
          role: auth.role,
          tokenId: null,
          sourceIp,
          subject: null,
          detail: { via: 'oidc' },
        });
      }
      c.set('store', createScopedStore(deps.store, { auth, sourceIp, now: deps.now }));
    } else if (path === '/metrics' && deps.config.server.publicMetrics) {
      // Public metrics read row counts only; they get a viewer's store and no caller.
      const metricsReader: AuthContext = { role: 'viewer', name: 'metrics', tokenId: null, via: 'anonymous' };
      c.set('store', createScopedStore(deps.store, { auth: metricsReader, sourceIp: null, now: deps.now }));
    } else if (!isPublicPath(path, deps) && path !== '/signout') {
      if (isApiPath(path)) {
        const body: ApiErrorBody = { error: { code: 'unauthorized', message: 'a valid token is required' } };
        c.header('WWW-Authenticate', 'Bearer');
        return c.json(body, 401);
      }
      const next = `${path}${new URL(c.req.url).search}`;
      return c.redirect(`/signin?status=required&next=${encodeURIComponent(next)}`, 303);
    }
    await next();
  };
}

async function identify(
  c: Context<AppEnv>,
  deps: ApiDeps,
  oidc: OidcVerifier | undefined,
  sourceIp: string | null,
): Promise<AuthContext | undefined> {
  const now = deps.now();
  const header = c.req.header('authorization');
  if (header !== undefined) {
    // A credential that was sent but is wrong never falls back to another way in.
    const m = /^Bearer ([A-Za-z0-9_-]{1,100})$/.exec(header);
    if (!m || !looksLikeSecret(m[1]!, 'api')) return undefined;
    const token = await deps.store.tokens.authenticate(hashSecret(m[1]!), now);
    return token?.kind === 'api' ? fromToken(token, 'bearer') : undefined;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie && looksLikeSecret(cookie, 'browser')) {
    const token = await deps.store.tokens.authenticate(hashSecret(cookie), now);
    if (token?.kind === 'browser') return fromToken(token, 'cookie');
  }
  const oidcData = c.req.header('x-amzn-oidc-data');
  if (oidc && oidcData) {
    const identity = await oidc.verify(oidcData, now);
    return identity ? { role: identity.role, name: identity.email, tokenId: null, via: 'oidc' } : undefined;
  }
  const server = deps.config.server;
  if (server.allowAnonymousLoopback && isLoopback(sourceIp))
    return { role: server.anonymousRole, name: 'anonymous', tokenId: null, via: 'anonymous' };
  return undefined;
}

function fromToken(token: TokenRecord, via: 'bearer' | 'cookie'): AuthContext {
  return { role: token.role, name: token.name, tokenId: token.tokenId, via };
}

/**
 * When an OIDC identity's request counts as a sign-in for the access trail. The ALB signs every
 * request and says nothing of its own sign-ins, so the first request of an identity (email, role)
 * from an address is one, and so is the first after OIDC_SIGNIN_PERIOD_MS without one: a user
 * working all day leaves a line an hour, not one per request. Kept in memory: a restart records
 * each identity once more, which is harmless.
 */
export const OIDC_SIGNIN_PERIOD_MS = 3_600_000;
const MAX_OIDC_IDENTITIES = 10_000;

export class OidcSignins {
  private readonly last = new Map<string, number>();

  /** Whether this request is the identity's sign-in (and if so, remembers it). */
  due(auth: AuthContext, sourceIp: string | null, now: number): boolean {
    const key = `${auth.name}\u0000${auth.role}\u0000${sourceIp ?? ''}`;
    const at = this.last.get(key);
    if (at !== undefined && now - at < OIDC_SIGNIN_PERIOD_MS && now >= at) return false;
    // Oldest first in insertion order: re-inserting keeps the map an LRU, bounded below.
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > MAX_OIDC_IDENTITIES) this.last.delete(this.last.keys().next().value!);
    return true;
  }
}
