/**
 * Static assets, all same-origin and all from this package or its installed dependencies (no
 * CDN): asciinema-player's bundle from node_modules, our stylesheet and the session page's script.
 * Read once at first use and kept in memory (a few hundred KB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);

const FILES: Record<string, { path: () => string; type: string }> = {
  '/assets/player/asciinema-player.min.js': {
    path: () => require.resolve('asciinema-player/dist/bundle/asciinema-player.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/assets/player/asciinema-player.css': {
    path: () => require.resolve('asciinema-player/dist/bundle/asciinema-player.css'),
    type: 'text/css; charset=utf-8',
  },
  '/assets/app.css': { path: () => own('app.css'), type: 'text/css; charset=utf-8' },
  '/assets/session.js': { path: () => own('session.js'), type: 'text/javascript; charset=utf-8' },
  '/favicon.ico': { path: () => own('favicon.svg'), type: 'image/svg+xml' },
  '/assets/favicon.svg': { path: () => own('favicon.svg'), type: 'image/svg+xml' },
};

function own(name: string): string {
  return fileURLToPath(new URL(`./static/${name}`, import.meta.url));
}

const cache = new Map<string, Buffer>();

/** Routes serving the assets; they need no sign-in (nothing in them is evidence). */
export function assetRoutes(): Hono {
  const app = new Hono();
  for (const [route, file] of Object.entries(FILES)) {
    app.get(route, (c) => {
      let body = cache.get(route);
      if (!body) {
        body = readFileSync(file.path());
        cache.set(route, body);
      }
      c.header('Content-Type', file.type);
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(new Uint8Array(body));
    });
  }
  return app;
}

/** The asset paths, for the API's auth middleware to let through without a sign-in. */
export const ASSET_PATHS = Object.keys(FILES);
