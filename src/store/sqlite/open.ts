/**
 * Opening a SQLite store: refuse what is not ours, refuse what is newer than this build, migrate
 * what is ours and older. A shelltrail store is marked with SQLite's `application_id` header field
 * (stores made before the marker are recognised by their tables and marked on their next writable
 * open), so pointing `--db` at another application's database never adds our tables to it.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { StoreError } from '../../errors.ts';
import type { OpenOptions, Store } from '../index.ts';
import type { Conn } from './connection.ts';
import { translateSqliteError } from './errors.ts';
import { backfillRecordDigests } from './evidence.ts';
import * as schema from './schema.ts';
import { sqliteStore } from './store.ts';

/** 'SHTL' in the database header's application_id field. */
export const APPLICATION_ID = 0x5348544c;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens (creating if needed) the SQLite store and applies committed migrations. WAL lets readers
 * (API, CLI queries) run while one ingest worker writes; the busy timeout turns short write
 * contention into waiting instead of SQLITE_BUSY errors.
 */
export async function openSqliteStore(path: string, options: OpenOptions = {}): Promise<Store> {
  const memory = path === ':memory:';
  const fresh = memory || !existsSync(path) || statSync(path).size === 0;
  if (options.readonly && fresh && !memory)
    throw new StoreError('cannot_open', `no shelltrail store at ${path} (run import or ingest first)`);
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: options.readonly ?? false });
  } catch (err) {
    throw translateSqliteError(err, path);
  }
  try {
    checkOwnership(sqlite, path, fresh);
    if (!options.readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('cache_size = -65536'); // 64 MiB page cache
    sqlite.pragma('temp_store = MEMORY');
    const db = drizzle(sqlite, { schema });
    const upToDate = checkNotNewer(sqlite, path);
    if (!options.readonly) {
      // The migrator (and the reading of every migration file) is loaded only when there is
      // something to apply: a command run on a current store does not pay for it at start-up.
      if (!upToDate) {
        const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
        migrate(db, { migrationsFolder });
      }
      sqlite.pragma(`application_id = ${APPLICATION_ID}`);
    }
    const conn: Conn = { sqlite, db, path, lease: null };
    if (!options.readonly) backfillRecordDigests(conn);
    return sqliteStore(conn);
  } catch (err) {
    sqlite.close();
    throw translateSqliteError(err, path);
  }
}

/** Refuses a database that is not a shelltrail store (another application's, or not SQLite). */
function checkOwnership(sqlite: Database.Database, path: string, fresh: boolean): void {
  const id = sqlite.pragma('application_id', { simple: true }) as number;
  if (id === APPLICATION_ID || fresh) return;
  const tables = new Set(
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  if (tables.size === 0 && id === 0) return; // an empty database: ours to initialise
  // Stores made before the marker: they have our migration journal and our core tables.
  const ours = ['__drizzle_migrations', 'ct_events', 'sessions', 'writer_lease'].every((t) => tables.has(t));
  if (id === 0 && ours) return;
  throw new StoreError(
    'not_a_store',
    `${path} is not a shelltrail store (it is another application's SQLite database); refusing to touch it`,
  );
}

interface JournalEntry {
  when: number;
  tag: string;
}

/**
 * Refuses a store migrated by a newer build: this one would misread tables it does not know.
 * Returns whether the store already has every migration this build knows: drizzle's migrator
 * applies exactly the migrations newer than the latest applied one, so there is nothing to run.
 */
function checkNotNewer(sqlite: Database.Database, path: string): boolean {
  const hasJournal = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!hasJournal) return false;
  const applied = sqlite.prepare('SELECT max(created_at) AS latest FROM __drizzle_migrations').get() as {
    latest: number | null;
  };
  const known = (
    JSON.parse(readFileSync(resolve(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
      entries: JournalEntry[];
    }
  ).entries;
  const newest = Math.max(...known.map((e) => e.when));
  if (applied.latest !== null && Number(applied.latest) > newest) {
    throw new StoreError(
      'too_new',
      `${path} was migrated by a newer shelltrail (migration of ${new Date(Number(applied.latest)).toISOString()}, ` +
        `this build knows up to ${known.at(-1)?.tag}); upgrade shelltrail to open it`,
    );
  }
  return applied.latest !== null && Number(applied.latest) >= newest;
}
