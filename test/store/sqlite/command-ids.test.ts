import { describe, expect, it } from 'vitest';
import {
  firstIdAt,
  idBelowAfter,
  LATEST_AT,
  MAX_SLOT,
  ORDER_EPOCH_MS,
  SLOT_SIZE,
  storableAt,
} from '../../../src/store/command-ids.ts';
import type { Store } from '../../../src/store/index.ts';
import { CommandIdAllocator } from '../../../src/store/sqlite/command-ids.ts';
import type { Conn } from '../../../src/store/sqlite/connection.ts';
import { countCommands, searchCommands } from '../../../src/store/sqlite/search/index.ts';
import { runPlan } from '../../../src/store/sqlite/search/plan.ts';
import { connOf } from '../../../src/store/sqlite/store.ts';
import { extracted, putCommands, useTempStore } from '../helpers.ts';

const T0 = Date.UTC(2025, 5, 1);

const command = (seq: number, at: number | null, text = `echo ${seq}`) =>
  extracted(seq, text, { at, atPrecision: at === null ? null : 'approximate' });

let store: Store;
let conn: Conn;
useTempStore('ids', (s) => {
  store = s;
  conn = connOf(s);
});

const ids = (sessionId: string) =>
  conn.sqlite.prepare('SELECT id, at FROM commands WHERE session_id = ? ORDER BY seq').all(sessionId) as {
    id: number;
    at: number | null;
  }[];

describe('time-ordered command ids', () => {
  it('maps times to millisecond slots inside the safe-integer range, clamping the rest', async () => {
    expect(storableAt(ORDER_EPOCH_MS - 5)).toBe(ORDER_EPOCH_MS);
    expect(storableAt(8.64e15)).toBe(LATEST_AT);
    expect(firstIdAt(ORDER_EPOCH_MS)).toBe(0);
    expect(firstIdAt(T0 + 1)).toBe(firstIdAt(T0) + SLOT_SIZE);
    expect(idBelowAfter(T0)).toBe(firstIdAt(T0 + 1));
    expect(idBelowAfter(LATEST_AT)).toBeUndefined();
    expect(firstIdAt(LATEST_AT) + SLOT_SIZE - 1).toBe(Number.MAX_SAFE_INTEGER);
    expect(MAX_SLOT).toBe(LATEST_AT - ORDER_EPOCH_MS);
  });

  it('orders ids by time across sessions stored in any order; unknown times are negative and oldest', async () => {
    await putCommands(store, 'late', [command(0, T0 + 5000), command(1, T0 + 9000)]);
    await putCommands(store, 'early', [command(0, T0 + 1000), command(1, T0 + 5000), command(2, null)]);
    const rows = [...ids('late'), ...ids('early')].sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.at)).toEqual([null, T0 + 1000, T0 + 5000, T0 + 5000, T0 + 9000]);
    expect(rows[0]!.id).toBeLessThan(0);
    // Same millisecond: the one stored first has the smaller id.
    expect(ids('late')[0]!.id).toBeLessThan(ids('early')[1]!.id);
  });

  it('stores times outside the id range clamped, so their order agrees with their ids', async () => {
    await putCommands(store, 'clock', [
      command(0, Date.UTC(1970, 0, 1)),
      command(1, Date.UTC(2005, 0, 1)),
      command(2, 8.64e15),
    ]);
    expect(ids('clock').map((r) => r.at)).toEqual([ORDER_EPOCH_MS, ORDER_EPOCH_MS, LATEST_AT]);
  });

  it('moves commands past a full millisecond to the next free one, time included', async () => {
    await putCommands(store, 'next', [command(0, T0 + 1, 'next ms')]);
    const many = Array.from({ length: SLOT_SIZE + 10 }, (_, i) => command(i, T0, `same ms ${i}`));
    await putCommands(store, 'burst', many);
    const burst = ids('burst');
    expect(new Set(burst.map((r) => r.id)).size).toBe(SLOT_SIZE + 10);
    expect(burst[SLOT_SIZE - 1]).toEqual({ id: firstIdAt(T0) + SLOT_SIZE - 1, at: T0 });
    // Slot T0 + 1 already held one command: the overflow follows it, with its time.
    expect(burst[SLOT_SIZE]).toEqual({ id: firstIdAt(T0 + 1) + 1, at: T0 + 1 });
    // Every id lies in the slot of its stored time: what time-range walks rely on.
    for (const r of [...burst, ...ids('next')]) expect(r.id - firstIdAt(r.at!)).toBeLessThan(SLOT_SIZE);
    const atT0 = { text: 'same ms', since: T0, until: T0 };
    expect(countCommands(conn, atT0)).toEqual({ total: SLOT_SIZE, exact: true });
    const newest = searchCommands(conn, { text: 'ms', limit: 12 }).hits.map((h) => h.seq);
    expect(newest).toEqual([...Array.from({ length: 10 }, (_, i) => SLOT_SIZE + 9 - i), 0, SLOT_SIZE - 1]);
  });

  it('gives every search plan the same newest-first order over clamped, untimed and moved commands', async () => {
    await putCommands(store, 'odd', [
      command(0, Date.UTC(1999, 0, 1), 'echo a'),
      command(1, null, 'echo b'),
      command(2, Date.UTC(2005, 0, 1), 'echo c'),
      command(3, null, 'echo d'),
      command(4, 8.64e15, 'echo e'),
    ]);
    await putCommands(store, 'next', [command(0, T0 + 1, 'echo next')]);
    await putCommands(
      store,
      'burst',
      Array.from({ length: SLOT_SIZE + 3 }, (_, i) => command(i, T0, `echo burst ${i}`)),
    );
    const all = conn.sqlite.prepare('SELECT id, at, text FROM commands').all() as {
      id: number;
      at: number | null;
      text: string;
    }[];
    const byTime = (a: (typeof all)[number], b: (typeof all)[number]) =>
      (b.at ?? Number.NEGATIVE_INFINITY) - (a.at ?? Number.NEGATIVE_INFINITY) || b.id - a.id;
    for (const [needle, filters] of [
      ['echo', {}],
      ['echo', { until: T0 }],
      ['echo', { since: ORDER_EPOCH_MS, until: T0 + 1 }],
    ] as const) {
      const expected = all
        .filter((r) => r.text.includes(needle))
        .filter((r) => !('since' in filters) || (r.at !== null && r.at >= filters.since))
        .filter((r) => !('until' in filters) || (r.at !== null && r.at <= filters.until))
        .sort(byTime)
        .map((r) => r.id);
      expect(expected).toEqual([...expected].sort((a, b) => b - a));
      for (const force of ['walk', 'fts', 'scan', 'timeline', 'time'] as const) {
        if (force === 'time' && !('until' in filters)) continue;
        for (const [offset, limit] of [
          [0, 7],
          [SLOT_SIZE - 2, 9],
        ] as const) {
          const out = runPlan(conn.sqlite, { needle, filters, limit, offset, force });
          expect(out.ids, `${force} ${JSON.stringify(filters)} ${offset}`).toEqual(
            expected.slice(offset, offset + limit),
          );
        }
      }
    }
  });

  it('re-extracting a session reuses no id of another session', async () => {
    await putCommands(store, 'a', [command(0, T0), command(1, T0)]);
    await putCommands(store, 'b', [command(0, T0)]);
    await putCommands(store, 'a', [command(0, T0), command(1, T0), command(2, T0)]);
    const all = [...ids('a'), ...ids('b')].map((r) => r.id);
    expect(new Set(all).size).toBe(4);
  });

  it('one allocator hands out consecutive ids within a slot and counts untimed ids up from the bottom', async () => {
    const allocator = new CommandIdAllocator(conn.sqlite);
    expect([allocator.next(T0), allocator.next(T0), allocator.next(null), allocator.next(null)]).toEqual([
      { id: firstIdAt(T0), at: T0 },
      { id: firstIdAt(T0) + 1, at: T0 },
      { id: -Number.MAX_SAFE_INTEGER, at: null },
      { id: -Number.MAX_SAFE_INTEGER + 1, at: null },
    ]);
  });
});
