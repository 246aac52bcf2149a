/**
 * Command ids are ordered by time: `id = slot * SLOT_SIZE + k`, where the slot is the command's
 * millisecond counted from ORDER_EPOCH_MS and k its place among the commands stored for that
 * millisecond. So "newest first" (time descending, then id descending) is simply "id descending",
 * and every index keyed by command id (the table itself, and the FTS5 indexes, whose rowid is the
 * command id) can be walked newest first and stopped after one page of results: a search for
 * `sudo` reads 50 index entries, not 50,000 (src/store/sqlite/search/walk.ts).
 *
 * The invariant every search plan relies on: a command's id lies in the slot of its stored time.
 * Three cases keep it:
 * - Ids stay below 2^53 (JavaScript numbers hold them exactly): 49 bits of milliseconds from 2010
 *   on, times 4 bits. A time outside that range is stored clamped to its nearest end (Session
 *   Manager did not exist before 2018; a time thousands of years ahead is forged).
 * - A command without a time gets a negative id: older than every timed command, in the order
 *   stored, and as many as there are (sessions whose end is unknown have many).
 * - More than SLOT_SIZE commands in one millisecond (a paste under second-precision CloudWatch
 *   times, or approximate times over a zero-length session) move on to the next free millisecond,
 *   and their stored time moves with them: a 1,000-line paste spreads over 63 ms of a time that
 *   was only second-precise anyway.
 *
 * Why so few per millisecond: FTS5 stores each index entry's rowid as a varint of the difference to
 * the previous one, so every bit of spacing between ids costs index size (12 bits made the gram
 * index three times as large as dense ids did; 4 bits cost about one byte an entry).
 */
export const SLOT_BITS = 4;
export const SLOT_SIZE = 2 ** SLOT_BITS;
/** 2010-01-01T00:00:00Z: slot 0. */
export const ORDER_EPOCH_MS = Date.UTC(2010, 0, 1);
/** The last millisecond slot: its last id is Number.MAX_SAFE_INTEGER. */
export const MAX_SLOT = 2 ** (53 - SLOT_BITS) - 1;
/** The latest storable time (in the year 19,850). */
export const LATEST_AT = ORDER_EPOCH_MS + MAX_SLOT;
/** Ids of commands without a time count up from here. */
export const FIRST_UNTIMED_ID = -Number.MAX_SAFE_INTEGER;

/** The time a command is stored with: inside [ORDER_EPOCH_MS, LATEST_AT]. */
export function storableAt(at: number): number {
  return Math.min(Math.max(Math.floor(at), ORDER_EPOCH_MS), LATEST_AT);
}

/** The smallest id a command stored at `at` or later can have: a bound for time-range walks. */
export function firstIdAt(at: number): number {
  return (storableAt(at) - ORDER_EPOCH_MS) * SLOT_SIZE;
}

/** One past the largest id a command stored at `at` or earlier can have (undefined: no bound). */
export function idBelowAfter(at: number): number | undefined {
  return at >= LATEST_AT ? undefined : firstIdAt(at) + SLOT_SIZE;
}
