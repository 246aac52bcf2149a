/**
 * Exact counts of a text from the distinct-text table (migrations/0012_command_texts.sql): the
 * distinct texts that contain the needle, found through their own trigram index and each checked
 * against the exact match rule, summed by how many commands have them. A frequent path such as
 * `/var/log/app/auth.log` (4,000 commands, 20 trigrams) costs 60 ms as a phrase over every command
 * and well under a millisecond here, since it is one of a few dozen distinct texts.
 */
import type Database from 'better-sqlite3';
import { ftsPhrase, prepared, textCondition } from './filters.ts';

/**
 * Distinct texts read at most: past this many the needle is in so many different commands that
 * the other counting paths are no dearer (and the work per request stays bounded).
 */
export const DISTINCT_TEXT_CAP = 5_000;

/**
 * How many commands contain `needle` (3+ characters), stopping once `cap` is reached; undefined
 * when more than DISTINCT_TEXT_CAP distinct texts are candidates and the first of them hold fewer
 * than `cap` commands.
 */
export function distinctTextCount(
  sqlite: Database.Database,
  needle: string,
  cap: number,
): number | undefined {
  const exact = textCondition(sqlite, needle);
  const candidates = `SELECT c.commands AS n, ${exact.sql.join(' AND ')} AS ok FROM command_texts_fts f
    CROSS JOIN command_texts c ON c.id = f.rowid WHERE f.command_texts_fts MATCH ? LIMIT ${DISTINCT_TEXT_CAP + 1}`;
  const row = prepared(
    sqlite,
    `SELECT count(*) AS seen, coalesce(sum(n * ok), 0) AS total FROM (${candidates})`,
  ).get(...exact.params, ftsPhrase(needle)) as { seen: number; total: number };
  // The texts read so far may already hold `cap` commands: then the rest need not be known.
  if (row.total >= cap) return cap;
  if (row.seen > DISTINCT_TEXT_CAP) return undefined;
  return row.total;
}
