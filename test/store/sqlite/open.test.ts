/**
 * Opening a SQLite store: the store marker (application_id), refusal of other applications' files
 * and of stores a newer build migrated, and the SQLite failures a user meets (full disk, read-only
 * store) arriving as one StoreError each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.ts';
import { compressChunk } from '../../../src/store/chunks.ts';
import { openStore } from '../../../src/store/index.ts';
import { APPLICATION_ID } from '../../../src/store/sqlite/open.ts';
import { connOf } from '../../../src/store/sqlite/store.ts';
import { openWritable } from '../helpers.ts';
import { settings } from '../projection-settings.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The StoreError reason `promise` rejects with (fails the test when it resolves or throws otherwise). */
async function storeErrorOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return (err as StoreError).reason;
}

function tablesOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

const applicationId = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('application_id', { simple: true });
  } finally {
    db.close();
  }
};

/** A store made and closed, for tests that change it behind shelltrail's back. */
async function madeStore(name = 'store.db'): Promise<string> {
  const path = join(dir, name);
  await (await openStore(path)).close();
  return path;
}

describe('the store marker', () => {
  it("refuses another application's SQLite database and adds no table to it", async () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')",
    );
    other.close();
    const before = readFileSync(path);
    expect(await storeErrorOf(openStore(path))).toBe('not_a_store');
    expect(await storeErrorOf(openStore(path, { readonly: true }))).toBe('not_a_store');
    expect(tablesOf(path)).toEqual(['notes']);
    expect(applicationId(path)).toBe(0);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite, leaving it as it was', async () => {
    const path = join(dir, 'notes.txt');
    const text = 'not a database, just notes\n'.repeat(200);
    writeFileSync(path, text);
    expect(await storeErrorOf(openStore(path))).toBe('not_a_store');
    expect(await storeErrorOf(openStore(path, { readonly: true }))).toBe('not_a_store');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('marks a new store, and opens it again', async () => {
    const path = await madeStore();
    expect(applicationId(path)).toBe(APPLICATION_ID);
    const again = await openStore(path, { readonly: true });
    expect((await again.sessions.list()).items).toEqual([]);
    await again.close();
  });

  it('opens a store made before the marker (our tables, application_id 0) and marks it', async () => {
    const path = await madeStore();
    const raw = new Database(path);
    raw.pragma('application_id = 0');
    raw.close();
    expect(applicationId(path)).toBe(0);
    const readOnly = await openStore(path, { readonly: true });
    await readOnly.close();
    expect(applicationId(path)).toBe(0); // a read-only open writes nothing, the marker included
    const store = await openStore(path);
    expect((await store.sessions.list()).items).toEqual([]);
    await store.close();
    expect(applicationId(path)).toBe(APPLICATION_ID);
  });

  it('refuses a store migrated by a newer build (a migration newer than the newest it knows)', async () => {
    const path = await madeStore();
    const raw = new Database(path);
    const newest = raw.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get() as number;
    raw
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('from-the-future', newest + 1);
    raw.close();
    expect(await storeErrorOf(openStore(path))).toBe('too_new');
    expect(await storeErrorOf(openStore(path, { readonly: true }))).toBe('too_new');
    // Refused before migrating: nothing was added or marked differently.
    const check = new Database(path, { readonly: true });
    expect(
      check.prepare('SELECT count(*) FROM __drizzle_migrations WHERE created_at > ?').pluck().get(newest),
    ).toBe(1);
    check.close();
  });

  it('refuses a read-only open of a store that does not exist', async () => {
    expect(await storeErrorOf(openStore(join(dir, 'absent.db'), { readonly: true }))).toBe('cannot_open');
  });
});

describe('SQLite failures as StoreError', () => {
  it('a full disk (the page limit reached) makes a write throw disk_full, and the store stays usable', async () => {
    const store = await openWritable(join(dir, 'store.db'));
    try {
      const sqlite = connOf(store).sqlite;
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      sqlite.pragma(`max_page_count = ${pages + 2}`);
      // 1 MiB of random bytes does not compress: far more than two free pages.
      const raw = randomBytes(1 << 20);
      const batch = {
        sourceId: 't',
        transcriptChunks: [{ transcriptId: 'x', seq: 0, rawSize: raw.length, data: compressChunk(raw) }],
      };
      expect(await storeErrorOf(store.evidence.writeBatch(batch, settings))).toBe('disk_full');
      // The failed transaction left nothing behind, and small reads and writes still work.
      expect(await store.transcripts.storedChunkBytes('x')).toBe(0);
      sqlite.pragma('max_page_count = 1073741823');
      await store.evidence.writeBatch(batch, settings);
      expect(await store.transcripts.storedChunkBytes('x')).toBe(raw.length);
    } finally {
      await store.close();
    }
  });

  it('a read-only open makes a write throw read_only', async () => {
    const path = await madeStore();
    const store = await openStore(path, { readonly: true });
    try {
      // Taking the writer lease is the first write any writer makes.
      expect(await storeErrorOf(store.lease.acquire('test'))).toBe('read_only');
      expect((await store.sessions.list()).items).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
