/** The SQLite side of the time-ordered command id scheme (store/command-ids.ts): the allocator. */
import type Database from 'better-sqlite3';
import { BadInputError } from '../../errors.ts';
import { FIRST_UNTIMED_ID, MAX_SLOT, ORDER_EPOCH_MS, SLOT_SIZE, storableAt } from '../command-ids.ts';

/**
 * Hands out ids for inserts within one transaction. It remembers the next free id of every slot it
 * has used, so a session's commands cost one index lookup per distinct millisecond; nothing else
 * may insert commands while it is in use (the writer lease and the transaction guarantee that).
 */
export class CommandIdAllocator {
  private readonly nextInSlot = new Map<number, number>();
  private nextUntimed: number | undefined;
  private readonly lastInRange: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.lastInRange = sqlite.prepare('SELECT max(id) FROM commands WHERE id >= ? AND id < ?').pluck(true);
  }

  /** The id for a command at `at`, and the time to store with it (see the module comment). */
  next(at: number | null): { id: number; at: number | null } {
    if (at === null || !Number.isFinite(at)) return { id: this.untimed(), at: null };
    for (let slot = storableAt(at) - ORDER_EPOCH_MS; slot <= MAX_SLOT; slot++) {
      const base = slot * SLOT_SIZE;
      let next = this.nextInSlot.get(slot);
      if (next === undefined) {
        const last = this.lastInRange.get(base, base + SLOT_SIZE) as number | null;
        next = last === null ? base : last + 1;
      }
      if (next < base + SLOT_SIZE) {
        this.nextInSlot.set(slot, next + 1);
        return { id: next, at: ORDER_EPOCH_MS + slot };
      }
      this.nextInSlot.set(slot, next);
    }
    throw new BadInputError(
      'command_ids_exhausted',
      'more commands at the latest storable time than ids left',
    );
  }

  private untimed(): number {
    if (this.nextUntimed === undefined) {
      const last = this.sqlite.prepare('SELECT max(id) FROM commands WHERE id < 0').pluck(true).get() as
        | number
        | null;
      this.nextUntimed = last === null ? FIRST_UNTIMED_ID : last + 1;
    }
    if (this.nextUntimed >= 0)
      throw new BadInputError('command_ids_exhausted', 'no id left for commands without a time');
    return this.nextUntimed++;
  }
}
