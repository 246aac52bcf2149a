import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstIdAt } from '../../../src/store/command-ids.ts';
import type { Store } from '../../../src/store/index.ts';
import type { Conn } from '../../../src/store/sqlite/connection.ts';
import { APPLICATION_ID } from '../../../src/store/sqlite/open.ts';
import { gramCount } from '../../../src/store/sqlite/search/grams.ts';
import { runPlan } from '../../../src/store/sqlite/search/plan.ts';
import { connOf } from '../../../src/store/sqlite/store.ts';
import { extracted, openWritable, putCommands, useTempStore } from '../helpers.ts';

const T0 = Date.UTC(2025, 0, 1);
const MIGRATIONS = join(import.meta.dirname, '../../../migrations');

let store: Store;
let conn: Conn;
useTempStore('migrations', (s) => {
  store = s;
  conn = connOf(s);
});

function runMigrationFile(name: string) {
  const sql = readFileSync(join(MIGRATIONS, name), 'utf8');
  for (const statement of sql.split('--> statement-breakpoint')) conn.sqlite.exec(statement);
}

const count = (sqlite: Database.Database, sql: string, ...params: unknown[]) =>
  sqlite
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const searchSeqs = async (s: Store, text: string) =>
  (await s.commands.search({ text, limit: 1000 })).hits.map((h) => h.seq);

describe('0005: time-ordered command ids', () => {
  it('empties commands and their indexes, queues every session for extraction, keeps the triggers', async () => {
    // Commands as stored before 0005: consecutive ids in insertion order.
    const insert = conn.sqlite.prepare(
      `INSERT INTO commands (id, session_id, seq, text, user, executed, at, fidelity) VALUES (?, ?, ?, ?, 'root', 1, ?, 'exact')`,
    );
    ['s-1', 's-2'].forEach((session, s) => {
      for (let seq = 0; seq < 3; seq++)
        insert.run(s * 3 + seq + 1, session, seq, `cat /etc/shadow ${seq}`, T0 + seq);
    });
    expect(await searchSeqs(store, 'shadow')).toHaveLength(6);

    runMigrationFile('0005_commands_time_ordered_ids.sql');

    expect(count(conn.sqlite, 'SELECT count(*) FROM commands')).toBe(0);
    expect(
      count(conn.sqlite, 'SELECT count(*) FROM commands_fts WHERE commands_fts MATCH \'"shadow"\''),
    ).toBe(0);
    expect(count(conn.sqlite, 'SELECT count(*) FROM commands_fts_grams')).toBe(0);
    expect(await store.extractQueue.next('', 10)).toEqual(['s-1', 's-2']);
    // Re-extraction stores time-ordered ids, indexed by the recreated triggers, and deletes work.
    const command = (seq: number) =>
      extracted(seq, `cat /etc/shadow ${seq}`, { at: T0 + seq, atPrecision: 'second' });
    await putCommands(store, 's-1', [command(0), command(1)]);
    expect(await searchSeqs(store, 'shadow')).toEqual([1, 0]);
    expect(await searchSeqs(store, 'w')).toHaveLength(2);
    await putCommands(store, 's-1', [command(5)]);
    expect(await searchSeqs(store, 'shadow')).toEqual([5]);
    expect(await searchSeqs(store, 'w')).toEqual([5]);
    // The indexes themselves hold exactly the one command left (search would hide stale entries).
    expect(
      count(conn.sqlite, 'SELECT count(*) FROM commands_fts WHERE commands_fts MATCH \'"shadow"\''),
    ).toBe(1);
    expect(
      count(conn.sqlite, "SELECT count(*) FROM commands_words WHERE commands_words MATCH 'shadow'"),
    ).toBe(1);
    expect(count(conn.sqlite, 'SELECT count(*) FROM commands_fts_grams')).toBe(1);
    const triggers = conn.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'commands' ORDER BY 1")
      .pluck()
      .all();
    expect(triggers).toEqual([
      'command_texts_ad',
      'command_texts_ai',
      'command_texts_au',
      'commands_fts_ad',
      'commands_fts_ai',
      'commands_fts_au',
      'commands_fts_grams_ad',
      'commands_fts_grams_ai',
      'commands_fts_grams_au',
    ]);
  });
});

describe('0007: executed nullable, sessions gain the extractor version', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelltrail-0007-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A store as a build that knew migrations 0000-0006 made it (the first 7 journal entries). */
  function storeAt0006(path: string): Database.Database {
    const folder = join(dir, 'migrations-0006');
    mkdirSync(join(folder, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    const entries = journal.entries.slice(0, 7);
    expect(entries.at(-1)?.tag).toBe('0006_commands_session_text');
    for (const e of entries) copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: folder });
    return sqlite;
  }

  /** Index and trigger definitions on commands, to compare an upgraded store with a new one. */
  const commandsSchema = (sqlite: Database.Database) =>
    sqlite
      .prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'commands' AND type IN ('index', 'trigger') ORDER BY name",
      )
      .all();

  it('keeps command ids and text, and every FTS index follows inserts, updates and deletes after it', async () => {
    const path = join(dir, 'old.db');
    const old = storeAt0006(path);
    // executed was NOT NULL before 0007.
    const notNull = old.prepare(
      "SELECT \"notnull\" FROM pragma_table_info('commands') WHERE name = 'executed'",
    );
    expect(notNull.pluck().get()).toBe(1);
    const insert = old.prepare(
      `INSERT INTO commands (id, session_id, seq, text, user, executed, at, at_precision, fidelity)
       VALUES (?, ?, ?, ?, 'root', ?, ?, 'second', 'exact')`,
    );
    const before = [
      [firstIdAt(T0), 's-1', 0, 'cat /etc/shadow', 1, T0],
      [firstIdAt(T0) + 1, 's-1', 1, 'id', 0, T0],
      [firstIdAt(T0 + 1000), 's-2', 0, 'sudo systemctl restart nginx', 1, T0 + 1000],
    ] as const;
    for (const row of before) insert.run(...row);
    old.close();

    const upgraded = await openWritable(path);
    try {
      const c = connOf(upgraded);
      expect(
        c.sqlite
          .prepare('SELECT id, session_id, seq, text, executed, at FROM commands ORDER BY id')
          .raw()
          .all(),
      ).toEqual(before.map((r) => [...r]));
      expect(
        c.sqlite
          .prepare("SELECT \"notnull\" FROM pragma_table_info('commands') WHERE name = 'executed'")
          .pluck()
          .get(),
      ).toBe(0);
      // The old rows are still found through all three indexes: trigrams, words and grams.
      const [shadowId, idId, nginxId] = before.map((r) => r[0]);
      const ftsIds = (table: string, match: string) =>
        c.sqlite
          .prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`)
          .pluck()
          .all(match);
      expect(ftsIds('commands_fts', '"etc/shad"')).toEqual([shadowId]);
      expect(ftsIds('commands_words', 'nginx')).toEqual([nginxId]);
      expect(gramCount(c.sqlite, 'id', 100)).toBe(1);
      expect(await searchSeqs(upgraded, 'shadow')).toEqual([0]);
      // 0012 counted the commands already stored by their distinct texts.
      expect(count(c.sqlite, 'SELECT sum(commands) FROM command_texts')).toBe(3);
      expect(await upgraded.commands.count({ text: 'ETC/SHAD' })).toEqual({ total: 1, exact: true });
      expect((await upgraded.commands.search({ text: 'id' })).hits.map((h) => h.commandId)).toEqual([idId]);
      expect((await upgraded.commands.search({ text: 'nginx' })).hits.map((h) => h.commandId)).toEqual([
        nginxId,
      ]);

      // New commands after the upgrade (one whose execution is unknown) reach every index: the
      // insert triggers were re-created after the table was rebuilt.
      await putCommands(upgraded, 's-3', [
        extracted(0, 'tail -f /var/log/syslog', {
          at: T0 + 5000,
          atPrecision: 'second',
          executed: null,
          fidelity: 'uncertain',
        }),
        extracted(1, 'w', { at: T0 + 6000, atPrecision: 'second' }),
      ]);
      const [tail, w] = (await upgraded.commands.listForSession('s-3')).items;
      expect(tail).toMatchObject({ executed: null, fidelity: 'uncertain' });
      expect(ftsIds('commands_fts', '"var/log/sys"')).toEqual([tail!.id]);
      expect(ftsIds('commands_words', 'syslog')).toEqual([tail!.id]);
      expect(gramCount(c.sqlite, 'w', 100)).toBe(2); // "w" and "cat /etc/shadow"
      expect((await upgraded.commands.search({ text: 'syslog' })).hits).toEqual([
        expect.objectContaining({ commandId: tail!.id, executed: null }),
      ]);
      expect(await searchSeqs(upgraded, 'w')).toEqual([1, 0]);
      for (const force of ['fts', 'timeline', 'scan', 'walk'] as const) {
        const out = runPlan(c.sqlite, { needle: 'syslog', filters: {}, limit: 10, offset: 0, force });
        expect(out.ids, force).toEqual([tail!.id]);
      }
      expect(
        runPlan(c.sqlite, { needle: 'w', filters: {}, limit: 10, offset: 0, force: 'fts' }),
      ).toMatchObject({
        plan: 'grams',
        ids: [w!.id, shadowId],
      });

      // Update and delete triggers: a changed text leaves no stale entry, a replaced session none at all.
      c.sqlite.prepare('UPDATE commands SET text = ? WHERE id = ?').run('cat /etc/gshadow', shadowId);
      expect(ftsIds('commands_fts', '"etc/shad"')).toEqual([]);
      expect(ftsIds('commands_fts', '"etc/gshad"')).toEqual([shadowId]);
      expect(ftsIds('commands_words', 'gshadow')).toEqual([shadowId]);
      await putCommands(upgraded, 's-2', []);
      await putCommands(upgraded, 's-3', []);
      expect(ftsIds('commands_words', 'nginx')).toEqual([]);
      expect(ftsIds('commands_fts', '"var/log/sys"')).toEqual([]);
      expect(gramCount(c.sqlite, 'w', 100)).toBe(1); // "cat /etc/gshadow"
      expect(gramCount(c.sqlite, 'sy', 100)).toBe(0);
      expect(count(c.sqlite, 'SELECT count(*) FROM commands_fts_grams')).toBe(2);

      // The upgraded store has the same indexes and triggers on commands as a new one.
      const fresh = await openWritable(join(dir, 'fresh.db'));
      try {
        expect(commandsSchema(c.sqlite)).toEqual(commandsSchema(connOf(fresh).sqlite));
      } finally {
        await fresh.close();
      }
      expect(await upgraded.sessions.get('s-1')).toBeUndefined(); // commands only: no evidence rows
      expect(c.sqlite.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    } finally {
      await upgraded.close();
    }
  });
});
