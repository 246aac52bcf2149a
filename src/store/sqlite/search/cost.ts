/**
 * The cost model behind the plan chooser (plan.ts): the caps that bound every count and probe, and
 * what one candidate row costs per driver. The constants are microseconds per row measured on the
 * 1M-command bench corpus; they only steer the choice, results never depend on them.
 */

import { COUNT_CAP } from '../../search-query.ts';

/** Counts stop here: a bigger answer is reported as "at least COUNT_CAP". */
export { COUNT_CAP };
/** Index-only counts (commands per session, per time range) are cheap enough to go further. */
export const INDEX_COUNT_CAP = 100_000;
/**
 * Trigram phrase matches are read up to here, grams up to COUNT_CAP: a long phrase of common
 * trigrams costs 1-2 us per match to confirm, so a common one (`/etc/nginx/conf.d`, 20,000 hits)
 * is paged from the timeline and reported as "at least TRIGRAM_PROBE_CAP" instead.
 */
export const TRIGRAM_PROBE_CAP = 2_000;
/**
 * Gram rowids are read up to here (enumerating more never beats the timeline); their exact count
 * goes on to COUNT_CAP without reading rows (grams.ts gramCount).
 */
export const GRAM_PROBE_CAP = 4_000;
/** An indexed filter leaving fewer commands than this is read whole (under 1 ms) instead of walking. */
export const FEW_ROWS = 4_000;
/**
 * Text estimated to match fewer commands than this is read in index order and sorted: FTS5 reads a
 * phrase backwards several times slower than forwards (`/etc/shadow`: 1.7 ms newest first, 0.25 ms
 * all 15 forwards), which only a page that fills early repays.
 */
export const RARE_TEXT = 300;
/** A time range with fewer commands than this is paged on (at, text) at once (plan.ts). */
export const TIME_WALK_ROWS = 20_000;
/** Text in at least this share of commands is "common" for session sets (plan.ts textIsCommon). */
export const COMMON_TEXT_SHARE = 1 / 50;
/** How many of the newest commands a sample reads to measure how dense the matches are. */
export const SAMPLE_ROWS = 2_000;
/**
 * Sampling costs about 1.3 ms; below this cost (microseconds) an indexed driver is taken without
 * one, since a timeline page could save less than the sample costs.
 */
export const SAMPLE_WORTH_FROM = 1_200;
/** Below this cap a plain count is cheap enough; above it, counting sessions' seq spans is cheaper. */
export const SPAN_ESTIMATE_FROM = 5_000;

/** A full read of the covering (at, text) index, a fifth of the table's size. */
export const COST_COVERED_SCAN_ROW = 0.05;
/** A newest-first walk that checks the text on the (at, text) index before touching the row. */
export const COST_TIMELINE_TEXT_ROW = 0.08;
/** Extra per FTS candidate when a session filter makes every candidate look up its session. */
export const COST_FTS_SESSION_JOIN = 1.3;
/**
 * Microseconds per candidate row, by driver. The FTS figure is the join, sort and count that
 * remain once the rowids are read (the count already paid for reading them).
 */
export const COST_PER_ROW: Record<Choice['driver'], number> = {
  fts: 0.7,
  // A text test on the (session_id, text) index; a filter-only read is dearer, but then the
  // timeline is nearly always cheaper anyway.
  sessions: 0.1,
  session: 0.1,
  time: 0.25,
  scan: 0.15,
  timeline: 0.35,
};

/**
 * Where enumeration reads its candidates from: a full-text index, the sessions matching the
 * session filters, one session, a time range, or every command.
 */
export type Driver = 'fts' | 'sessions' | 'session' | 'time' | 'scan';

/** Enumerate from a driver, page newest-first along the timeline, or walk the text index. */
export type PlanName = Driver | 'timeline' | 'walk';

/** A candidate plan and its estimated cost in microseconds. */
export interface Choice {
  driver: Driver | 'timeline';
  cost: number;
}
