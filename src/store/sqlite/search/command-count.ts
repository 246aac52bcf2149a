/** The number of commands in the store, for the plan chooser's estimates (never for results). */
import type Database from 'better-sqlite3';
import { prepared } from './filters.ts';

const counted = new WeakMap<Database.Database, { version: string; commands: number }>();

/**
 * How many commands the store holds (ids are sparse, so max(id) says nothing). count(*) walks the
 * smallest index, about 0.1 ms per million commands: it is re-read only when the data changed,
 * which `data_version` (other connections' commits) and `total_changes()` (this one's) reveal.
 */
export function commandCount(sqlite: Database.Database): number {
  const version = prepared(sqlite, "SELECT data_version || ':' || total_changes() FROM pragma_data_version()")
    .pluck(true)
    .get() as string;
  const known = counted.get(sqlite);
  if (known?.version === version) return known.commands;
  const commands = prepared(sqlite, 'SELECT count(*) FROM commands').pluck(true).get() as number;
  counted.set(sqlite, { version, commands });
  return commands;
}
