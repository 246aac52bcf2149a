/** The SQLite side of storing commands: the FTS and gram indexes follow, the caller's transaction rules. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.ts';
import { listSessionCommands, replaceSessionCommands } from '../../../src/store/sqlite/commands.ts';
import type { Conn } from '../../../src/store/sqlite/connection.ts';
import { gramCount } from '../../../src/store/sqlite/search/grams.ts';
import { searchCommands } from '../../../src/store/sqlite/search/index.ts';
import { connOf } from '../../../src/store/sqlite/store.ts';
import type { ExtractedCommand } from '../../../src/terminal/types.ts';
import { extracted, putCommands, useTempStore } from '../helpers.ts';

const command = (seq: number, text: string, extra: Partial<ExtractedCommand> = {}): ExtractedCommand =>
  extracted(seq, text, {
    user: 'ssm-user',
    at: Date.UTC(2025, 2, 1, 10, 0, seq),
    atPrecision: 'second',
    cwd: '/home/ssm-user',
    exitCode: null,
    ...extra,
  });

let store: Store;
let conn: Conn;
useTempStore('commands', (s) => {
  store = s;
  conn = connOf(s);
});

const ftsRows = (table: string, match: string) =>
  conn.sqlite.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(match) as number;
const texts = (sessionId: string) => listSessionCommands(conn, sessionId).items.map((c) => c.text);

describe('replaceSessionCommands (SQLite)', () => {
  it('replaces the whole session and keeps the FTS and gram indexes in step', async () => {
    await putCommands(store, 's-1', [command(0, 'cat /etc/shadow'), command(1, 'id')]);
    await putCommands(store, 's-2', [command(0, 'cat /etc/shadow')]);
    expect(ftsRows('commands_fts', '"etc/shad"')).toBe(2);
    expect(gramCount(conn.sqlite, 'ID', 100)).toBe(1);
    expect(gramCount(conn.sqlite, 'w', 100)).toBe(2);
    await putCommands(store, 's-1', [command(0, 'uptime')]);
    expect(texts('s-1')).toEqual(['uptime']);
    expect(ftsRows('commands_fts', '"etc/shad"')).toBe(1);
    expect(ftsRows('commands_words', 'id')).toBe(0);
    expect(ftsRows('commands_fts', '"uptime"')).toBe(1);
    expect(gramCount(conn.sqlite, 'id', 100)).toBe(0);
    expect(gramCount(conn.sqlite, 'pt', 100)).toBe(1);
    conn.sqlite.prepare("UPDATE commands SET text = 'w' WHERE session_id = 's-1'").run();
    expect(gramCount(conn.sqlite, 'pt', 100)).toBe(0);
    expect(gramCount(conn.sqlite, 'W', 100)).toBe(2);
    conn.sqlite.prepare("UPDATE commands SET text = 'uptime' WHERE session_id = 's-1'").run();
    expect(searchCommands(conn, { text: 'shadow' }).hits.map((h) => h.sessionId)).toEqual(['s-2']);
    await putCommands(store, 's-2', []);
    expect(ftsRows('commands_fts', '"shadow"')).toBe(0);
  });

  it("runs inside the caller's transaction: a rollback undoes it", async () => {
    await putCommands(store, 's-1', [command(0, 'ls')]);
    expect(() =>
      conn.sqlite.transaction(() => {
        replaceSessionCommands(conn, 's-1', [command(0, 'rm -rf /')]);
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    expect(texts('s-1')).toEqual(['ls']);
    expect(ftsRows('commands_fts', '"rm -rf"')).toBe(0);
  });

  it('rejects duplicate seq within one session (unique index) without partial writes', async () => {
    await expect(putCommands(store, 's-1', [command(0, 'a b c'), command(0, 'd e f')])).rejects.toThrow(
      /UNIQUE/,
    );
    expect(texts('s-1')).toEqual([]);
    expect(ftsRows('commands_fts', '"a b c"')).toBe(0);
  });
});
