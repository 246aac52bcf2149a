/** The number of commands in the store, for the plan chooser's estimates (never for results). */
import type Database from 'better-sqlite3';
import { prepared } from './filters.ts';

/**
 * How long a count stays good enough for estimates after the data changed. count(*) walks the
 * smallest index (10 ms at a million commands); the API appends to the access trail on every
 * search, so recounting on every change would add that to every request.
 */
export const COUNT_FRESH_MS = 2_000;

const counted = new WeakMap<Database.Database, { version: string; commands: number; at: number }>();

/**
 * How many commands the store holds (ids are sparse, so max(id) says nothing). Re-read when the
 * data changed, which `data_version` (other connections' commits) and `total_changes()` (this
 * one's) reveal, at most once per COUNT_FRESH_MS; a count of zero is always re-read, since an empty
 * store answers every search at once.
 */
export function commandCount(sqlite: Database.Database): number {
  const version = prepared(sqlite, "SELECT data_version || ':' || total_changes() FROM pragma_data_version()")
    .pluck(true)
    .get() as string;
  const known = counted.get(sqlite);
  const now = performance.now();
  if (known && (known.version === version || (known.commands > 0 && now - known.at < COUNT_FRESH_MS)))
    return known.commands;
  const commands = prepared(sqlite, 'SELECT count(*) FROM commands').pluck(true).get() as number;
  counted.set(sqlite, { version, commands, at: now });
  return commands;
}
