/**
 * The "walk" strategy: command ids are ordered by time (../command-ids.ts), so the text index
 * (trigram FTS, or the gram index for 1-2 characters), whose rowid is the command id, can be read
 * newest first and stopped as soon as one page of commands meets every condition. A page of `sudo`
 * reads about 51 index entries whether 50 or 500,000 commands match. A time range narrows the walk
 * to its id range.
 *
 * Its total is what the walk saw: exact when the index ran out before the page filled, else a lower
 * bound ("more than offset + limit"). The exact count is a separate, slower question (count.ts).
 *
 * The walk gives up after WALK_BUDGET candidates without a full page (a common text with a rare
 * filter), and the plan chooser (plan.ts) takes over with its estimates.
 */

import { firstIdAt, idBelowAfter } from '../../command-ids.ts';
import { JOIN_SESSIONS, type PlanContext, type PlanOutcome } from './context.ts';
import { cappedCount } from './estimates.ts';
import { ftsPhrase, prepared } from './filters.ts';
import { GRAM_TABLE } from './grams.ts';
import { rarestTrigrams, trigramsOf } from './rare-trigrams.ts';

/**
 * Candidates read at most (1-2 us each) before leaving the query to the plan chooser (or four per
 * wanted match, for deep pages).
 */
export const WALK_BUDGET = 3_000;

/**
 * The id range a time range maps to: [from, below), undefined ends open. Exact, because every
 * command's id lies in the slot of its stored time (../command-ids.ts).
 */
function idRange(since: number | undefined, until: number | undefined): { from?: number; below?: number } {
  return {
    from: since === undefined ? undefined : firstIdAt(since),
    below: until === undefined ? undefined : idBelowAfter(until),
  };
}

/**
 * One page newest first from the text index, or undefined when the budget ran out first. A phrase
 * is walked through its rarest trigram, each candidate checked against the exact match rule:
 * FTS5 reads a phrase backwards by loading every trigram's doclist (`rm -rf /tmp`, nine trigrams:
 * 1 ms for a page), one trigram costs a tenth of that. When that trigram is mostly in other
 * commands the budget runs out and the phrase itself is walked.
 */
export function walk(p: PlanContext): PlanOutcome | undefined {
  if (!p.ftsMatch) return undefined;
  const needle = p.input.needle;
  if (p.ftsTable !== GRAM_TABLE && needle !== undefined && trigramsOf(needle).length > 1) {
    const rarest = rarestTrigrams(p.sqlite, needle).terms[0];
    const viaTrigram = rarest === undefined ? undefined : walkMatching(p, ftsPhrase(rarest));
    if (viaTrigram) return viaTrigram;
  }
  return walkMatching(p, p.ftsMatch);
}

function walkMatching(p: PlanContext, match: string): PlanOutcome | undefined {
  const { offset, limit, filters } = p.input;
  const want = offset + limit + 1;
  const c = p.allBySet;
  const range = idRange(filters.since, filters.until);
  const bounds: string[] = [];
  const boundParams: number[] = [];
  if (range.from !== undefined) {
    bounds.push('f.rowid >= ?');
    boundParams.push(range.from);
  }
  if (range.below !== undefined) {
    bounds.push('f.rowid < ?');
    boundParams.push(range.below);
  }
  const ok = c.sql.length ? c.sql.join(' AND ') : '1';
  const where = [`f.${p.ftsTable} MATCH ?`, ...bounds].join(' AND ');
  // The inner query yields candidates newest first as the outer one asks for them (a co-routine:
  // FTS5 delivers rowid order itself), so SQLite stops at `want` matches or `budget` candidates
  // without a row crossing into JavaScript that is not on the page.
  const budget = Math.max(WALK_BUDGET, 4 * want);
  const candidates =
    `SELECT c.id AS id, ${ok} AS ok FROM ${p.ftsTable} f CROSS JOIN commands c ON c.id = f.rowid` +
    `${c.joinSessions ? JOIN_SESSIONS : ''} WHERE ${where} ORDER BY f.rowid DESC LIMIT ${budget}`;
  const found = prepared(p.sqlite, `SELECT id FROM (${candidates}) WHERE ok LIMIT ?`)
    .pluck(true)
    .all(...c.params, match, ...boundParams, want) as number[];
  const ids = found.slice(offset, offset + limit);
  if (found.length === want) return { ids, total: want, totalExact: false, plan: 'walk' };
  // Fewer matches than asked: either every candidate was seen (the total is exact) or the budget
  // cut the walk short, which only the number of candidates (index only) tells apart.
  const seen = cappedCount(
    p.sqlite,
    `SELECT 1 FROM ${p.ftsTable} f WHERE ${where}`,
    [match, ...boundParams],
    budget + 1,
  );
  if (seen > budget) return undefined;
  return { ids, total: found.length, totalExact: true, plan: 'walk' };
}
