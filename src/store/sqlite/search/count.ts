/**
 * The exact number of matching commands, up to COUNT_CAP. A page (walk.ts) knows only "more than
 * N" once it fills; this reads every match, so it is a separate question a caller asks when it
 * needs the figure (the CLI prints it under the page; a UI can show the page first and the count
 * when it arrives). It reads the cheapest bounded source: the gram index alone for one or two
 * characters, the distinct command texts for longer text alone (text-count.ts), the trigram index
 * alone where its case folding is exact, else the smallest indexed driver with every condition
 * checked.
 */
import type Database from 'better-sqlite3';
import type { CountOutcome } from '../../search-query.ts';
import { type PlanInput, planContext } from './context.ts';
import { type Choice, COST_FTS_SESSION_JOIN, COST_PER_ROW, COUNT_CAP, type Driver } from './cost.ts';
import { driverQuery } from './enumerate.ts';
import { cappedCount, ftsCount, indexedCounts } from './estimates.ts';
import { hasFilters, prepared } from './filters.ts';
import { GRAM_TABLE, gramCount, trigramCountIsExact } from './grams.ts';
import { rarestTrigrams } from './rare-trigrams.ts';
import { distinctTextCount } from './text-count.ts';

const outcome = (n: number): CountOutcome =>
  n >= COUNT_CAP ? { total: COUNT_CAP, exact: false } : { total: n, exact: true };

export function countMatches(
  sqlite: Database.Database,
  input: Omit<PlanInput, 'limit' | 'offset' | 'force'>,
): CountOutcome {
  const p = planContext(sqlite, { ...input, limit: 1, offset: 0 });
  const { needle, filters } = input;
  const textOnly = !hasFilters(filters);
  if (textOnly && needle !== undefined && p.ftsTable === GRAM_TABLE) {
    const n = gramCount(sqlite, needle, COUNT_CAP);
    if (n !== undefined) return outcome(n);
  }
  if (textOnly && needle !== undefined && p.ftsMatch && p.ftsTable !== GRAM_TABLE) {
    const n = distinctTextCount(sqlite, needle, COUNT_CAP);
    if (n !== undefined) return outcome(n);
  }
  if (textOnly && needle !== undefined && p.ftsMatch && trigramCountIsExact(sqlite, needle))
    return outcome(
      cappedCount(sqlite, `SELECT 1 FROM ${p.ftsTable} WHERE ${p.ftsTable} MATCH ?`, [p.ftsMatch]),
    );
  let best: Choice = { driver: 'scan', cost: Number.POSITIVE_INFINITY };
  const fts = ftsCount(p);
  if (fts !== undefined) {
    // A probe that stopped at its cap says only "at least": the rarest trigram's estimate says more.
    const matches =
      fts >= p.ftsCap && needle !== undefined && p.ftsTable !== GRAM_TABLE
        ? Math.max(fts, rarestTrigrams(sqlite, needle).estimate)
        : fts;
    const perRow = COST_PER_ROW.fts + (p.all.joinSessions ? COST_FTS_SESSION_JOIN : 0);
    best = { driver: 'fts', cost: perRow * matches };
  }
  const driver = indexedCounts(p, best, new Map()).driver as Driver;
  const { sql, params } = driverQuery(p, driver, '1');
  return outcome(
    prepared(sqlite, `SELECT count(*) FROM (${sql} LIMIT ${COUNT_CAP})`)
      .pluck(true)
      .get(...params) as number,
  );
}
