/**
 * The gram index (migrations/0003_commands_grams.sql) answers search terms of one or two characters,
 * which the trigram index cannot. Every command is indexed as `\1c\1d\1...` over its ASCII-lowercased
 * text, so the term `c` is the single trigram `\1c\1` and the term `cd` is `c\1d`. For terms whose
 * match rule LIKE states exactly (ASCII, or characters without case: see filters.ts textCondition),
 * the posting list *is* the answer: no row needs to be read to know it matches, and counting is a
 * walk over rowids (about 6 ms for 125,000 hits). Rows indexed only by the sentinel (text longer than
 * GRAM_MAX_TEXT) are candidates to check.
 */
import type Database from 'better-sqlite3';
import { foldCase } from '../../fold.ts';
import { charLength, ftsPhrase, likeIsExact, prepared } from './filters.ts';

/** Longest text the gram trigger indexes character by character (see the migration). */
export const GRAM_MAX_TEXT = 4096;
export const GRAM_TABLE = 'commands_fts_grams';
const SEP = '\u0001';
const SENTINEL_MATCH = ftsPhrase('\u0002\u0002\u0002');

/**
 * The FTS5 query for the rows that may contain `needle` (its exact hits plus the unindexed long
 * texts), or undefined when the gram index does not answer this needle exactly.
 */
export function gramMatch(needle: string): string | undefined {
  const phrase = gramPhrase(needle);
  return phrase && `${phrase} OR ${SENTINEL_MATCH}`;
}

/** The single-token phrase whose posting list is exactly the commands containing `needle`. */
export function gramPhrase(needle: string): string | undefined {
  const folded = foldCase(needle);
  const length = charLength(folded);
  if (length < 1 || length > 2 || !likeIsExact(folded) || /[\u0000-\u0002]/.test(folded)) return undefined;
  const chars = Array.from(folded);
  return ftsPhrase(length === 1 ? `${SEP}${chars[0]}${SEP}` : chars.join(SEP));
}

function capped(sql: string, cap: number): string {
  return `SELECT count(*) FROM (${sql} LIMIT ${cap})`;
}

/**
 * Exact number of commands containing `needle` (no other condition), stopping at `cap`; undefined
 * when the gram index does not answer it. Index-only except for the rare sentinel rows.
 */
export function gramCount(sqlite: Database.Database, needle: string, cap: number): number | undefined {
  const phrase = gramPhrase(needle);
  if (!phrase) return undefined;
  const indexed = prepared(sqlite, capped(`SELECT 1 FROM ${GRAM_TABLE} WHERE ${GRAM_TABLE} MATCH ?`, cap))
    .pluck(true)
    .get(phrase) as number;
  if (indexed >= cap) return indexed;
  const folded = foldCase(needle);
  const long = prepared(
    sqlite,
    capped(
      `SELECT 1 FROM ${GRAM_TABLE} g CROSS JOIN commands c ON c.id = g.rowid WHERE g.${GRAM_TABLE} MATCH ? AND c.text LIKE ? ESCAPE '\\'`,
      cap - indexed,
    ),
  )
    .pluck(true)
    .get(SENTINEL_MATCH, `%${folded.replace(/[\\%_]/g, '\\$&')}%`) as number;
  return indexed + long;
}

/**
 * Whether the trigram index's count for `needle` is exactly the number of matches. Its case folding
 * agrees with ours on ASCII except for two characters it folds to ASCII letters (KELVIN SIGN to
 * `k`, LONG S to `s`; foldCase keeps them). So the count is exact unless the needle has a k or an s
 * and some command contains one of those two characters (looked up in the gram index, where they
 * are unigrams of their own, together with the unindexed long texts).
 */
export function trigramCountIsExact(sqlite: Database.Database, needle: string): boolean {
  const folded = foldCase(needle);
  if (!/^[\x00-\x7f]*$/.test(folded)) return false;
  if (!/[ks]/.test(folded)) return true;
  const suspects = `${ftsPhrase(`${SEP}\u212a${SEP}`)} OR ${ftsPhrase(`${SEP}\u017f${SEP}`)} OR ${SENTINEL_MATCH}`;
  return (
    prepared(sqlite, `SELECT count(*) FROM (SELECT 1 FROM ${GRAM_TABLE} WHERE ${GRAM_TABLE} MATCH ? LIMIT 1)`)
      .pluck(true)
      .get(suspects) === 0
  );
}
