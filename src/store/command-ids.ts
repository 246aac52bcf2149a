/**
 * Command ids are ordered by time: `id = slot(at) * SLOT_SIZE + k`, where the slot is the command's
 * millisecond (counted from ORDER_EPOCH_MS) and k its place among the commands stored for that
 * millisecond. So "newest first" is simply "id descending", and every index keyed by command id
 * (the table itself, and the FTS5 indexes, whose rowid is the command id) can be walked newest
 * first and stopped after one page of results: a search for `sudo` reads 50 index entries, not
 * 50,000 (src/store/search/walk.ts).
 *
 * Ids stay below 2^53, so JavaScript numbers hold them exactly: 41 bits of milliseconds (2010 to
 * 2079) times 12 bits for commands sharing a millisecond. Commands without a time sort oldest
 * (slot 0); times outside the range are clamped to its ends. More than SLOT_SIZE commands in one
 * millisecond (only approximate times, spread over a very short session, could do that) spill into
 * the following milliseconds' slots: ids stay unique and nearly in time order.
 */
import type Database from 'better-sqlite3';
import { BadInputError } from '../errors.ts';

export const SLOT_BITS = 12;
export const SLOT_SIZE = 2 ** SLOT_BITS;
/** 2010-01-01T00:00:00Z: slot 1. */
export const ORDER_EPOCH_MS = Date.UTC(2010, 0, 1);
/** The last millisecond slot; ids of slot MAX_SLOT + 1 would pass Number.MAX_SAFE_INTEGER. */
export const MAX_SLOT = 2 ** (53 - SLOT_BITS) - 1;

/** The millisecond slot of a command time (0 for unknown). */
export function slotOf(at: number | null): number {
  if (at === null || !Number.isFinite(at)) return 0;
  return Math.min(Math.max(Math.floor(at - ORDER_EPOCH_MS), 0), MAX_SLOT - 1) + 1;
}

/** The smallest id a command at `at` (or later) can have: a bound for time-range walks. */
export function firstIdAt(at: number): number {
  return slotOf(at) * SLOT_SIZE;
}

/**
 * Hands out ids for inserts within one transaction. It remembers the next free id of every slot it
 * has used, so a session's commands cost one index lookup per distinct millisecond; nothing else
 * may insert commands while it is in use (the writer lease and the transaction guarantee that).
 */
export class CommandIdAllocator {
  private readonly nextInSlot = new Map<number, number>();
  private readonly lastInSlot: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.lastInSlot = sqlite.prepare('SELECT max(id) FROM commands WHERE id >= ? AND id < ?').pluck(true);
  }

  next(at: number | null): number {
    let slot = slotOf(at);
    for (;;) {
      if (slot > MAX_SLOT)
        throw new BadInputError('command_ids_exhausted', 'no command id left at the end of the time range');
      let next = this.nextInSlot.get(slot);
      if (next === undefined) {
        const base = slot * SLOT_SIZE;
        const last = this.lastInSlot.get(base, base + SLOT_SIZE) as number | null;
        next = last === null ? base : last + 1;
      }
      if (next < (slot + 1) * SLOT_SIZE) {
        this.nextInSlot.set(slot, next + 1);
        return next;
      }
      this.nextInSlot.set(slot, next);
      slot++;
    }
  }
}
