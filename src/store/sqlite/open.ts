import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

/** An open store: the drizzle handle for typed queries and the raw handle for hot paths and FTS5. */
export interface Store {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Opens (creating if needed) the SQLite store and applies committed migrations.
 * WAL lets readers (API, CLI queries) run while one ingest worker writes; the busy timeout turns
 * short write contention into waiting instead of SQLITE_BUSY errors.
 *
 * @example const store = openStore('./data/shelltrail.db'); try { ... } finally { store.close(); }
 */
export function openStore(path: string, options: { readonly?: boolean } = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536'); // 64 MiB page cache
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema });
  if (!options.readonly) migrate(db, { migrationsFolder });
  return { db, sqlite, path, close: () => sqlite.close() };
}
