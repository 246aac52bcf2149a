/**
 * SQLite failures a user can cause or meet (a full disk, a read-only file, a file that is not a
 * database) become one StoreError naming the store and what to do; anything else passes through.
 */
import { ShelltrailError, StoreError } from '../../errors.ts';

/** Maps better-sqlite3's SqliteError codes to StoreError; other errors are returned unchanged. */
export function translateSqliteError(err: unknown, path: string): unknown {
  if (err instanceof ShelltrailError) return err;
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return err;
  if (code === 'SQLITE_FULL')
    return new StoreError('disk_full', `the store ${path} is full (disk full or size limit reached)`, {
      cause: err,
    });
  if (code.startsWith('SQLITE_READONLY'))
    return new StoreError('read_only', `the store ${path} is read-only here; writing needs write access`, {
      cause: err,
    });
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new StoreError('not_a_store', `${path} is not a shelltrail store (not a SQLite database)`, {
      cause: err,
    });
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new StoreError('cannot_open', `cannot open the store ${path} (missing folder or no permission)`, {
      cause: err,
    });
  return err;
}
