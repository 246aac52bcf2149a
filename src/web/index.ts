/**
 * The web UI: server-rendered pages (hono/jsx) over the role-scoped store the API puts on the
 * context. The API's `createApp` mounts this app after its own routes and in front of it runs
 * authentication (pages without a sign-in redirect to `/signin`), security headers (strict CSP: no
 * inline script, so every script here is a static file) and the access trail.
 *
 * @example app.route('/', createWebRoutes({}));
 */
import { type Context, Hono } from 'hono';
import { type Config, configSchema } from '../config.ts';
import { assetRoutes } from './assets.ts';
import { seesContent, type WebEnv } from './env.ts';
import { alertPage } from './pages/alert.tsx';
import { alertsAction, alertsPage } from './pages/alerts.tsx';
import { deliveriesPage, retryDeliveriesAction } from './pages/deliveries.tsx';
import { accessLogPage, attemptsPage, findingsPage } from './pages/lists.tsx';
import { overviewPage } from './pages/overview.tsx';
import { rulesAction, rulesPage } from './pages/rules.tsx';
import { searchPage } from './pages/search.tsx';
import { sessionPage } from './pages/session.tsx';
import { sessionsPage } from './pages/sessions.tsx';
import { signinPage, signoutPage } from './pages/signin.tsx';
import {
  createSuppressionAction,
  newSuppressionPage,
  removeSuppressionAction,
  suppressionsPage,
} from './pages/suppressions.tsx';
import { timelinePage } from './pages/timeline.tsx';
import { confirmRevokePage, createTokenAction, revokeTokenAction, tokensPage } from './pages/tokens.tsx';
import { ruleCatalogOnce } from './rules-catalog.ts';

export { ASSET_PATHS } from './assets.ts';
export type { WebAuth, WebEnv, WebStore } from './env.ts';

/** What the pages need beyond the request: the configuration (rules, channels) and the clock. */
export interface WebContext {
  /**
   * The configuration `serve` runs with: which rules load (rules and suppressions pages) and which
   * channels exist (deliveries). Absent: the defaults (the built-in rules, no channels).
   */
  config?: Config;
  /** The clock (ms); tests move it. Default Date.now. */
  now?: () => number;
}

/**
 * The pages and their assets as one Hono app. Generic over the mounting app's environment, which
 * must carry at least `auth` and a store with the methods of WebStore (the API's AppEnv does).
 */
export function createWebRoutes<E extends WebEnv = WebEnv>(ctx: WebContext = {}): Hono<E> {
  const config = ctx.config ?? configSchema.parse({});
  const now = ctx.now ?? Date.now;
  const catalog = ruleCatalogOnce(config);
  const channels = () => config.alerts.channels.map((ch) => ({ name: ch.name, type: ch.type }));
  const web = new Hono<WebEnv>();
  web.route('/', assetRoutes());
  web.get('/signin', signinPage);
  web.get('/signout', signoutPage);
  web.get('/', overviewPage);
  web.get('/sessions', sessionsPage);
  web.get('/sessions/:id', sessionPage);
  web.get('/search', (c) => (seesContent(c.get('auth')) ? searchPage(c) : forbidden(c)));
  web.get('/actors/:actor', timelinePage('actor'));
  web.get('/targets/:target', timelinePage('target'));
  web.get('/findings', findingsPage);
  web.get('/attempts', attemptsPage);
  web.get('/access-log', accessLogPage);
  web.get('/alerts', alertsPage);
  web.post('/alerts', alertsAction);
  web.get('/alerts/:id', alertPage);
  web.get('/rules', rulesPage(catalog, now));
  web.post('/rules', rulesAction(catalog));
  web.get('/suppressions', suppressionsPage(catalog, now));
  web.get('/suppressions/new', newSuppressionPage(catalog, now));
  web.post('/suppressions', createSuppressionAction(catalog, now));
  web.post('/suppressions/:id/remove', removeSuppressionAction);
  web.get('/deliveries', deliveriesPage(channels, now));
  web.post('/deliveries/retry', retryDeliveriesAction);
  const tokens = (c: Context<WebEnv>) => c.get('store').tokens;
  web.get('/tokens', tokensPage(tokens));
  web.post('/tokens', createTokenAction(tokens));
  web.get('/tokens/:id/revoke', confirmRevokePage(tokens));
  web.post('/tokens/:id/revoke', revokeTokenAction(tokens));
  // The handlers read only what WebEnv declares, which E extends.
  return web as unknown as Hono<E>;
}

function forbidden(c: { status(code: 403): void; text(body: string): Response }) {
  c.status(403);
  return c.text('Your role does not show command text.');
}
