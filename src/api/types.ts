/**
 * What every API route and web page shares: the deps `createApp` is built from, the signed-in
 * caller (`c.get('auth')`) and the role-scoped store (`c.get('store')`), the only way a route or
 * page reaches data (test/api/store-boundary.test.ts fails otherwise).
 */
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Role, Store } from '../store/index.ts';
import type { ApiMetrics } from './metrics.ts';
import type { ScopedStore } from './scoped-store.ts';

export type { Role } from '../store/index.ts';

/** Who is calling, as the auth middleware established it. */
export interface AuthContext {
  role: Role;
  /** Token name, OIDC email, or `anonymous`. */
  name: string;
  /** The credential used (a browser sign-in's id for cookies); null for OIDC and anonymous. */
  tokenId: string | null;
  via: 'bearer' | 'cookie' | 'oidc' | 'anonymous';
}

/** Hono's environment for the whole app: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    auth: AuthContext;
    store: ScopedStore;
  };
}

/** Everything the app needs; `createApp` never reads process.env or opens anything itself. */
export interface ApiDeps {
  store: Store;
  config: Config;
  /** The clock (ms): tests move it. */
  now: () => number;
  log: Logger;
  /** The web UI (src/web `createWebRoutes`), mounted at `/` after the API when present. */
  webRoutes?: Hono<AppEnv>;
  /** Request and ingest figures for /metrics; one is made when absent. */
  metrics?: ApiMetrics;
  /** Fetches an OIDC public key (tests point it at a loopback server); default global fetch. */
  fetch?: typeof fetch;
}
