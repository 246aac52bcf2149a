/**
 * The "timeline" strategy: walk commands newest-first on the `commands_at_text` index (text tested
 * on the index, row read only on a text match) and stop after one page. Cheap when matches are
 * common (`ls`, `sudo`, `id`), where enumerating would read 100,000 rows to show 50. Its total is
 * whatever is known for free: exact when the page ran out, else a lower bound ("at least N").
 */

import type Database from 'better-sqlite3';
import { fromClause, type PlanContext } from './context.ts';
import { COUNT_CAP, SAMPLE_ROWS } from './cost.ts';
import { cappedCount, type Sample } from './estimates.ts';
import { ftsPhrase, hasFilters, isWordChars, prepared, whereClause } from './filters.ts';
import { GRAM_TABLE, gramCount, trigramCountIsExact } from './grams.ts';

/** One page of matching ids, newest first. */
export function timeline(p: PlanContext): number[] {
  const sql = `SELECT c.id FROM ${fromClause('time', p.allBySet.joinSessions, { withText: !!p.input.needle })}${whereClause(p.allBySet)} ORDER BY c.at DESC, c.id DESC LIMIT ? OFFSET ?`;
  return prepared(p.sqlite, sql)
    .pluck(true)
    .all(...p.allBySet.params, p.input.limit, p.input.offset) as number[];
}

/** A timeline page reads only what it shows; the total comes from what is known for free. */
export function timelineTotal(
  p: PlanContext,
  ids: number[],
  sampled: Sample | undefined,
  fts: number | undefined,
): { total: number; totalExact: boolean } {
  const { offset, limit, needle, filters } = p.input;
  const textOnlyQuery = !hasFilters(filters);
  if (ids.length > 0 && ids.length < limit) return { total: offset + ids.length, totalExact: true };
  if (ids.length === 0 && offset === 0) return { total: 0, totalExact: true };
  if (sampled && sampled.rows < SAMPLE_ROWS) return { total: sampled.matches, totalExact: true };
  if (textOnlyQuery && needle && p.ftsTable === GRAM_TABLE) {
    // Short terms: the gram index counts exactly without reading a single row.
    const exact = p.gramTotal ?? gramCount(p.sqlite, needle, COUNT_CAP);
    if (exact !== undefined)
      return exact < COUNT_CAP ? { total: exact, totalExact: true } : { total: exact, totalExact: false };
  }
  // A trigram count is the answer only where its case folding provably agrees with ours.
  const ftsExact =
    textOnlyQuery && needle !== undefined && fts !== undefined && trigramCountIsExact(p.sqlite, needle);
  if (ftsExact && fts < p.ftsCap) return { total: fts, totalExact: true };
  const bound = ftsExact
    ? fts
    : textOnlyQuery && needle && fts === undefined
      ? wordPrefixCount(p.sqlite, needle)
      : 0;
  return { total: Math.max(ids.length > 0 ? offset + ids.length : 0, bound), totalExact: false };
}

/** For short word-character needles: rows with a word starting with it, a lower bound of the hits. */
function wordPrefixCount(sqlite: Database.Database, needle: string): number {
  if (!isWordChars(needle)) return 0;
  return cappedCount(sqlite, 'SELECT 1 FROM commands_words WHERE commands_words MATCH ?', [
    `${ftsPhrase(needle)}*`,
  ]);
}
