import { describe, expect, it } from 'vitest';
import { listSessionCommands, replaceSessionCommands } from '../../src/store/commands.ts';
import type { Store } from '../../src/store/open.ts';
import { gramCount } from '../../src/store/search/grams.ts';
import { searchCommands } from '../../src/store/search.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';
import { extracted, useTempStore } from './helpers.ts';

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
useTempStore('commands', (s) => {
  store = s;
});

const ftsRows = (table: string, match: string) =>
  store.sqlite.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(match) as number;

describe('replaceSessionCommands / listSessionCommands', () => {
  it('round-trips every field in seq order', () => {
    const commands = [
      command(1, 'sudo su -', {
        executed: false,
        exitCode: 130,
        fidelity: 'lossy',
        output: 'x',
        atPrecision: 'approximate',
      }),
      command(0, 'id', { user: 'root', cwd: null, at: null, atPrecision: null }),
    ];
    store.sqlite.transaction(() => replaceSessionCommands(store, 's-1', commands))();
    const listed = listSessionCommands(store, 's-1');
    expect(listed.map(({ id: _id, sessionId, ...rest }) => ({ sessionId, ...rest }))).toEqual([
      { sessionId: 's-1', ...commands[1] },
      { sessionId: 's-1', ...commands[0] },
    ]);
    expect(listSessionCommands(store, 'other')).toEqual([]);
  });

  it('replaces the whole session and keeps the FTS and gram indexes in step', () => {
    replaceSessionCommands(store, 's-1', [command(0, 'cat /etc/shadow'), command(1, 'id')]);
    replaceSessionCommands(store, 's-2', [command(0, 'cat /etc/shadow')]);
    expect(ftsRows('commands_fts', '"etc/shad"')).toBe(2);
    expect(gramCount(store.sqlite, 'ID', 100)).toBe(1);
    expect(gramCount(store.sqlite, 'w', 100)).toBe(2);
    replaceSessionCommands(store, 's-1', [command(0, 'uptime')]);
    expect(listSessionCommands(store, 's-1').map((c) => c.text)).toEqual(['uptime']);
    expect(ftsRows('commands_fts', '"etc/shad"')).toBe(1);
    expect(ftsRows('commands_words', 'id')).toBe(0);
    expect(ftsRows('commands_fts', '"uptime"')).toBe(1);
    expect(gramCount(store.sqlite, 'id', 100)).toBe(0);
    expect(gramCount(store.sqlite, 'pt', 100)).toBe(1);
    store.sqlite.prepare("UPDATE commands SET text = 'w' WHERE session_id = 's-1'").run();
    expect(gramCount(store.sqlite, 'pt', 100)).toBe(0);
    expect(gramCount(store.sqlite, 'W', 100)).toBe(2);
    store.sqlite.prepare("UPDATE commands SET text = 'uptime' WHERE session_id = 's-1'").run();
    expect(searchCommands(store, { text: 'shadow' }).hits.map((h) => h.sessionId)).toEqual(['s-2']);
    replaceSessionCommands(store, 's-2', []);
    expect(ftsRows('commands_fts', '"shadow"')).toBe(0);
  });

  it("runs inside the caller's transaction: a rollback undoes it", () => {
    replaceSessionCommands(store, 's-1', [command(0, 'ls')]);
    expect(() =>
      store.sqlite.transaction(() => {
        replaceSessionCommands(store, 's-1', [command(0, 'rm -rf /')]);
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    expect(listSessionCommands(store, 's-1').map((c) => c.text)).toEqual(['ls']);
    expect(ftsRows('commands_fts', '"rm -rf"')).toBe(0);
  });

  it('rejects duplicate seq within one session (unique index) without partial writes', () => {
    expect(() =>
      store.sqlite.transaction(() =>
        replaceSessionCommands(store, 's-1', [command(0, 'a b c'), command(0, 'd e f')]),
      )(),
    ).toThrow(/UNIQUE/);
    expect(listSessionCommands(store, 's-1')).toEqual([]);
  });
});
