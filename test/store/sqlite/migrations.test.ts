import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceSessionCommands } from '../../src/store/commands.ts';
import type { Store } from '../../src/store/open.ts';
import { searchCommands } from '../../src/store/search.ts';
import { extracted, useTempStore } from './helpers.ts';

const T0 = Date.UTC(2025, 0, 1);

let store: Store;
useTempStore('migrations', (s) => {
  store = s;
});

function runMigrationFile(name: string) {
  const sql = readFileSync(join(import.meta.dirname, '../../migrations', name), 'utf8');
  for (const statement of sql.split('--> statement-breakpoint')) store.sqlite.exec(statement);
}

const count = (sql: string) => store.sqlite.prepare(sql).pluck().get() as number;

describe('0005: time-ordered command ids', () => {
  it('empties commands and their indexes, queues every session for extraction, keeps the triggers', () => {
    // Commands as stored before 0005: consecutive ids in insertion order.
    const insert = store.sqlite.prepare(
      `INSERT INTO commands (id, session_id, seq, text, user, executed, at, fidelity) VALUES (?, ?, ?, ?, 'root', 1, ?, 'exact')`,
    );
    ['s-1', 's-2'].forEach((session, s) => {
      for (let seq = 0; seq < 3; seq++)
        insert.run(s * 3 + seq + 1, session, seq, `cat /etc/shadow ${seq}`, T0 + seq);
    });
    expect(searchCommands(store, { text: 'shadow' }).hits).toHaveLength(6);

    runMigrationFile('0005_commands_time_ordered_ids.sql');

    expect(count('SELECT count(*) FROM commands')).toBe(0);
    expect(count('SELECT count(*) FROM commands_fts WHERE commands_fts MATCH \'"shadow"\'')).toBe(0);
    expect(count('SELECT count(*) FROM commands_fts_grams')).toBe(0);
    expect(store.sqlite.prepare('SELECT session_id FROM extract_queue ORDER BY 1').pluck().all()).toEqual([
      's-1',
      's-2',
    ]);
    // Re-extraction stores time-ordered ids, indexed by the recreated triggers, and deletes work.
    const command = (seq: number) =>
      extracted(seq, `cat /etc/shadow ${seq}`, { at: T0 + seq, atPrecision: 'second' });
    replaceSessionCommands(store, 's-1', [command(0), command(1)]);
    expect(searchCommands(store, { text: 'shadow' }).hits.map((h) => h.seq)).toEqual([1, 0]);
    expect(searchCommands(store, { text: 'w' }).hits).toHaveLength(2);
    replaceSessionCommands(store, 's-1', [command(5)]);
    expect(searchCommands(store, { text: 'shadow' }).hits.map((h) => h.seq)).toEqual([5]);
    expect(searchCommands(store, { text: 'w' }).hits.map((h) => h.seq)).toEqual([5]);
    // The indexes themselves hold exactly the one command left (search would hide stale entries).
    expect(count('SELECT count(*) FROM commands_fts WHERE commands_fts MATCH \'"shadow"\'')).toBe(1);
    expect(count("SELECT count(*) FROM commands_words WHERE commands_words MATCH 'shadow'")).toBe(1);
    expect(count('SELECT count(*) FROM commands_fts_grams')).toBe(1);
    const triggers = store.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'commands' ORDER BY 1")
      .pluck()
      .all();
    expect(triggers).toEqual([
      'commands_fts_ad',
      'commands_fts_ai',
      'commands_fts_au',
      'commands_fts_grams_ad',
      'commands_fts_grams_ai',
      'commands_fts_grams_au',
    ]);
  });
});
