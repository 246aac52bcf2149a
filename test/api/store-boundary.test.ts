/**
 * Roles are enforced in one layer (src/api/scoped-store.ts): a route module or page that reached
 * the store another way could bypass them. Fails when a file under src/api/routes or src/web
 * imports anything but types from the store, opens one, or uses the app's unscoped `deps.store`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Why a module's source reaches the store other than through `c.get('store')`, or null. */
function storeBypass(source: string): string | null {
  for (const m of source.matchAll(/^import\s+(?!type\b)([^;]*?)from\s+'([^']+)'/gms)) {
    const [, what, from] = m as unknown as [string, string, string];
    if (/(^|\/)store(\/|\.ts$|$)/.test(from) && !/^\{\s*(type\s+[\w]+\s*,?\s*)+\}\s*$/.test(what.trim()))
      return `imports ${from}`;
  }
  if (/\bopenStore\s*\(/.test(source)) return 'opens a store';
  if (/\bdeps\.store\b/.test(source)) return 'uses deps.store (unscoped)';
  if (/better-sqlite3|drizzle-orm/.test(source)) return 'talks to SQLite';
  return null;
}

it('the check itself catches a bypass', () => {
  expect(storeBypass("import { openStore } from '../../store/index.ts';")).toMatch(/imports/);
  expect(storeBypass("import type { Store } from '../../store/index.ts';")).toBeNull();
  expect(storeBypass("import { type Store } from '../../store/index.ts';")).toBeNull();
  expect(storeBypass('const rows = await deps.store.sessions.list();')).toMatch(/unscoped/);
  expect(storeBypass("import Database from 'better-sqlite3';")).toMatch(/SQLite/);
});

it('no route module or page reaches the store except through the role-scoped layer', () => {
  const files = [...filesUnder(join(ROOT, 'src/api/routes')), ...filesUnder(join(ROOT, 'src/web'))];
  expect(files.length).toBeGreaterThan(5);
  const offenders = files
    .map((f) => [f.slice(ROOT.length + 1), storeBypass(readFileSync(f, 'utf8'))])
    .filter(([, why]) => why !== null);
  expect(offenders).toEqual([]);
});
