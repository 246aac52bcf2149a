/**
 * A local stand-in for the API's `createApp` in the web tests only: bearer or cookie sign-in with
 * fixed tokens per role, strict CSP, the cast and transcript routes the session page fetches, and
 * the web routes mounted as the API mounts them. The pages under test are the real ones.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { stream } from 'hono/streaming';
import { sessionCast } from '../../src/analyze/cast.ts';
import { transcriptContent } from '../../src/analyze/readable-text.ts';
import { chooseTranscripts } from '../../src/analyze/transcript-choice.ts';
import type { Store } from '../../src/store/index.ts';
import { ASSET_PATHS, createWebRoutes, type WebEnv, type WebStore } from '../../src/web/index.ts';

export const TOKENS = { viewer: 'viewer-token', auditor: 'auditor-token', admin: 'admin-token' } as const;
type RoleName = keyof typeof TOKENS;

function roleOf(secret: string | undefined): RoleName | undefined {
  return (Object.keys(TOKENS) as RoleName[]).find((r) => TOKENS[r] === secret);
}

export function standInApp(store: Store): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.post('/signin', async (c) => {
    const form = await c.req.parseBody();
    const role = roleOf(String(form.token ?? ''));
    if (!role) return c.redirect('/signin?error=invalid', 303);
    setCookie(c, 'st', TOKENS[role], { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(String(form.next ?? '/'), 303);
  });
  app.use('*', async (c, next) => {
    if (c.req.path === '/signin' || ASSET_PATHS.includes(c.req.path)) return next();
    const bearer = c.req.header('authorization')?.replace(/^Bearer /, '');
    const role = roleOf(bearer ?? getCookie(c, 'st'));
    if (!role)
      return c.req.path.startsWith('/api/') ? c.text('unauthorized', 401) : c.redirect('/signin', 303);
    c.set('auth', { role, name: `${role}-user`, tokenId: role });
    c.set('store', store as WebStore);
    return next();
  });
  app.get('/api/sessions/:id/cast', (c) => {
    if (c.get('auth').role === 'viewer') return c.text('forbidden', 403);
    c.header('Content-Type', 'application/x-asciicast; charset=utf-8');
    return stream(c, async (s) => {
      for await (const line of sessionCast(store, c.req.param('id'))) await s.write(line);
    });
  });
  app.get('/api/sessions/:id/transcript.txt', async (c) => {
    if (c.get('auth').role === 'viewer') return c.text('forbidden', 403);
    const { s3, cloudwatch } = chooseTranscripts(await store.transcripts.list(c.req.param('id')), 'display');
    const chosen = s3 ?? cloudwatch;
    if (!chosen) return c.text('no transcript', 404);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    return stream(c, async (s) => {
      for await (const piece of transcriptContent(store, chosen, 'text'))
        await s.write(typeof piece === 'string' ? piece : new Uint8Array(piece));
    });
  });
  app.route('/', createWebRoutes({}));
  return app;
}
