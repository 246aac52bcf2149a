import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CommandIdAllocator,
  firstIdAt,
  MAX_SLOT,
  ORDER_EPOCH_MS,
  SLOT_SIZE,
  slotOf,
} from '../../src/store/command-ids.ts';
import { replaceSessionCommands } from '../../src/store/commands.ts';
import { openStore, type Store } from '../../src/store/open.ts';
import { idRange } from '../../src/store/search/walk.ts';
import { countCommands, searchCommands } from '../../src/store/search.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';

const T0 = Date.UTC(2025, 5, 1);

function command(seq: number, at: number | null, text = `echo ${seq}`): ExtractedCommand {
  return {
    seq,
    text,
    user: 'root',
    executed: true,
    at,
    atPrecision: at === null ? null : 'approximate',
    cwd: null,
    exitCode: 0,
    fidelity: 'exact',
    output: null,
  };
}

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-ids-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (sessionId: string) =>
  store.sqlite.prepare('SELECT id, at FROM commands WHERE session_id = ? ORDER BY seq').all(sessionId) as {
    id: number;
    at: number | null;
  }[];

describe('time-ordered command ids', () => {
  it('maps times to millisecond slots inside the safe-integer range', () => {
    expect(slotOf(null)).toBe(0);
    expect(slotOf(ORDER_EPOCH_MS - 5)).toBe(1);
    expect(slotOf(ORDER_EPOCH_MS)).toBe(1);
    expect(slotOf(ORDER_EPOCH_MS + 1)).toBe(2);
    expect(slotOf(8.64e15)).toBe(MAX_SLOT);
    expect(MAX_SLOT * SLOT_SIZE + SLOT_SIZE - 1).toBe(Number.MAX_SAFE_INTEGER);
    expect(firstIdAt(T0 + 1)).toBe(firstIdAt(T0) + SLOT_SIZE);
  });

  it('orders ids by time across sessions inserted in any order, unknown times oldest', () => {
    replaceSessionCommands(store, 'late', [command(0, T0 + 5000), command(1, T0 + 9000)]);
    replaceSessionCommands(store, 'early', [command(0, T0 + 1000), command(1, T0 + 5000), command(2, null)]);
    const rows = [...ids('late'), ...ids('early')].sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.at)).toEqual([null, T0 + 1000, T0 + 5000, T0 + 5000, T0 + 9000]);
    // Same millisecond: the one stored first has the smaller id.
    expect(ids('late')[0]!.id).toBeLessThan(ids('early')[1]!.id);
  });

  it('spills a full millisecond into the next slots, keeping ids unique, and search still finds all', () => {
    const many = Array.from({ length: SLOT_SIZE + 10 }, (_, i) => command(i, T0, `same ms ${i}`));
    replaceSessionCommands(store, 'burst', many);
    replaceSessionCommands(store, 'next', [command(0, T0 + 1, 'next ms')]);
    const burst = ids('burst');
    expect(new Set(burst.map((r) => r.id)).size).toBe(SLOT_SIZE + 10);
    expect(burst[SLOT_SIZE - 1]!.id).toBe(firstIdAt(T0) + SLOT_SIZE - 1);
    expect(burst[SLOT_SIZE]!.id).toBe(firstIdAt(T0 + 1));
    expect(ids('next')[0]!.id).toBe(firstIdAt(T0 + 1) + 10);
    // A full slot makes the upper id bound of a time range unsafe: it is dropped.
    expect(idRange(store.sqlite, T0, T0).below).toBeUndefined();
    expect(idRange(store.sqlite, T0, T0 + 1).below).toBe(firstIdAt(T0 + 2));
    const query = { text: 'same ms', since: T0, until: T0 };
    expect(countCommands(store, query)).toEqual({ total: SLOT_SIZE + 10, exact: true });
    const newest = searchCommands(store, { ...query, limit: 20 }).hits.map((h) => h.seq);
    expect(newest).toEqual(Array.from({ length: 20 }, (_, i) => SLOT_SIZE + 9 - i));
  });

  it('re-extracting a session reuses no id of another session', () => {
    replaceSessionCommands(store, 'a', [command(0, T0), command(1, T0)]);
    replaceSessionCommands(store, 'b', [command(0, T0)]);
    replaceSessionCommands(store, 'a', [command(0, T0), command(1, T0), command(2, T0)]);
    const all = [...ids('a'), ...ids('b')].map((r) => r.id);
    expect(new Set(all).size).toBe(4);
  });

  it('one allocator hands out consecutive ids within a slot without asking the store again', () => {
    const allocator = new CommandIdAllocator(store.sqlite);
    expect([allocator.next(T0), allocator.next(T0), allocator.next(null)]).toEqual([
      firstIdAt(T0),
      firstIdAt(T0) + 1,
      0,
    ]);
  });
});
