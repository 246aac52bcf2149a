/**
 * Chooses how to answer one search so it stays fast at millions of commands without a cache.
 *
 * Two shapes exist. "enumerate" reads every candidate from the smallest index that bounds the answer
 * (trigram FTS for text of 3+ characters, the gram index for 1-2 characters (grams.ts), the session
 * filters, one session, a time range, or, as a last resort, a full scan), checks every condition,
 * keeps the newest page and counts exactly. "timeline" walks commands newest-first on the
 * `commands_at_text` index (text tested on the index, row read only on a text match) and stops after
 * one page: cheap when matches are common (`ls`, `sudo`, `id`), where enumerating would read
 * 100,000 rows to show 50; its total is a capped count, "at least N" beyond the cap. The choice uses
 * capped counts from the indexes and a sample of the newest rows, all of which cost about a
 * millisecond; the cost constants are microseconds per row measured on the bench corpus.
 */
import type Database from 'better-sqlite3';
import {
  type Conditions,
  charLength,
  commandConditions,
  ftsPhrase,
  hasSessionFilters,
  isWordChars,
  merge,
  prepared,
  type SearchFilters,
  sessionConditions,
  sessionSetCondition,
  textCondition,
  whereClause,
} from './filters.ts';
import { GRAM_TABLE, gramCount, gramMatch, trigramCountIsExact } from './grams.ts';

/** Counts stop here: a bigger answer is reported as "at least COUNT_CAP". */
export const COUNT_CAP = 10_000;
/** Index-only counts (commands per session, per time range) are cheap enough to go further. */
const INDEX_COUNT_CAP = 100_000;
/**
 * Trigram phrase matches are read up to here, grams up to COUNT_CAP: a long phrase of common
 * trigrams costs 1-2 us per match to confirm, so a common one (`/etc/nginx/conf.d`, 20,000 hits)
 * is paged from the timeline and reported as "at least TRIGRAM_PROBE_CAP" instead.
 */
const TRIGRAM_PROBE_CAP = 2_000;
/**
 * Gram rowids are read up to here (enumerating more never beats the timeline); their exact count
 * goes on to COUNT_CAP without reading rows (grams.ts gramCount).
 */
const GRAM_PROBE_CAP = 4_000;
const SAMPLE_ROWS = 2_000;
/**
 * Sampling costs about 1.3 ms; below this cost (microseconds) an indexed driver is taken without
 * one, since a timeline page could save less than the sample costs.
 */
const SAMPLE_WORTH_FROM = 1_200;
const COST_COVERED_SCAN_ROW = 0.05;
/** A newest-first walk that checks the text on the (at, text) index before touching the row. */
const COST_TIMELINE_TEXT_ROW = 0.08;
/**
 * Microseconds per candidate row, by driver (measured on the 1M-command bench corpus). The FTS
 * figure is the join, sort and count that remain once the rowids are read (the count already paid
 * for reading them).
 */
/** Extra per FTS candidate when a session filter makes every candidate look up its session. */
const COST_FTS_SESSION_JOIN = 1.3;
const COST_PER_ROW: Record<Driver | 'timeline', number> = {
  fts: 0.7,
  sessions: 0.25,
  session: 0.25,
  time: 0.25,
  scan: 0.15,
  timeline: 0.35,
};

export interface PlanInput {
  needle?: string;
  filters: SearchFilters;
  limit: number;
  offset: number;
  /** Tests only: take this plan whatever it costs (every plan must give the same answer). */
  force?: PlanName;
}

export type PlanName = Driver | 'timeline';

export interface PlanOutcome {
  ids: number[];
  total: number;
  totalExact: boolean;
  plan: string;
}

export type Driver = 'fts' | 'sessions' | 'session' | 'time' | 'scan';

const JOIN_SESSIONS = ' CROSS JOIN sessions s ON s.session_id = c.session_id';

interface FromOptions {
  /** No condition reads a column other than text and at. */
  covered?: boolean;
  /** A text condition exists. */
  withText?: boolean;
  ftsTable?: string;
}

function fromClause(driver: Driver, joinSessions: boolean, o: FromOptions = {}): string {
  const join = joinSessions ? JOIN_SESSIONS : '';
  switch (driver) {
    case 'fts':
      return `${o.ftsTable ?? 'commands_fts'} f CROSS JOIN commands c ON c.id = f.rowid${join}`;
    case 'sessions':
      return 'sessions s CROSS JOIN commands c ON c.session_id = s.session_id';
    case 'session':
      return `commands c INDEXED BY commands_session_seq${join}`;
    case 'time':
      // (at, text) when the text is tested: SQLite checks it on the index and seeks the row only
      // for commands that pass (deferred seek), several times cheaper than reading every row.
      return `commands c INDEXED BY ${o.withText ? 'commands_at_text' : 'commands_at'}${join}`;
    case 'scan':
      // The covering (at, text) index is a fifth of the table's size: the cheapest full read, as
      // long as no condition needs another column (then reading the table itself is cheaper).
      return o.covered ? 'commands c INDEXED BY commands_at_text' : `commands c NOT INDEXED${join}`;
  }
}

function cappedCount(sqlite: Database.Database, sql: string, params: unknown[], cap = COUNT_CAP): number {
  return prepared(sqlite, `SELECT count(*) FROM (${sql} LIMIT ${cap})`)
    .pluck(true)
    .get(...params) as number;
}

interface Prepared {
  sqlite: Database.Database;
  input: PlanInput;
  all: Conditions;
  /** `all` with the session filters as a session-set test, for drivers that walk commands. */
  allBySet: Conditions;
  ftsMatch?: string;
  /** The index `ftsMatch` runs on: trigrams, or grams for terms of one or two characters. */
  ftsTable: string;
  /** How many FTS rowids are read at most (GRAM_PROBE_CAP or TRIGRAM_PROBE_CAP). */
  ftsCap: number;
  /** Exact matches of a gram needle, up to COUNT_CAP, when the gram index answers it. */
  gramTotal?: number;
  /** Rowids matching the FTS phrase, read once while counting (at most `ftsCap`). */
  ftsRowids?: number[];
}

function timeConditions(f: SearchFilters): Conditions {
  return commandConditions({ since: f.since, until: f.until });
}

/** Matches among the newest SAMPLE_ROWS commands of the time range, and how many rows that was. */
function sample(p: Prepared): { rows: number; matches: number } {
  const f = p.input.filters;
  const t = timeConditions(f);
  const sessions =
    f.actor !== undefined || f.target !== undefined ? sessionSetCondition(f) : sessionConditions(f);
  const rest = merge(commandConditions(f, { time: false }), sessions, textOnly(p));
  const covered = scanIsCovered(f) && p.input.needle !== undefined;
  const columns = covered ? 'c.id, c.text, c.at' : 'c.id, c.session_id, c.text, c.user, c.executed, c.at';
  const inner = `SELECT ${columns} FROM commands c INDEXED BY ${covered ? 'commands_at_text' : 'commands_at'}${whereClause(t)} ORDER BY c.at DESC, c.id DESC LIMIT ${SAMPLE_ROWS}`;
  const row = prepared(
    p.sqlite,
    `SELECT count(*) AS rows, coalesce(sum(${rest.sql.length ? rest.sql.join(' AND ') : '1'}), 0) AS matches FROM (${inner}) c${rest.joinSessions ? ' LEFT JOIN sessions s ON s.session_id = c.session_id' : ''}`,
  )
    .pluck(false)
    .get(...t.params, ...rest.params) as { rows: number; matches: number };
  return row;
}

const empty: Conditions = { sql: [], params: [], joinSessions: false };
/**
 * The conditions with the session filters as a set test when an index finds the sessions (actor,
 * target); otherwise building the set scans every session, and a lookup per command is cheaper.
 */
function bySet(sqlite: Database.Database, f: SearchFilters, needle: string | undefined): Conditions {
  const indexed = f.actor !== undefined || f.target !== undefined;
  return merge(
    commandConditions(f),
    indexed ? sessionSetCondition(f) : sessionConditions(f),
    needle ? textCondition(sqlite, needle) : empty,
  );
}
function textOnly(p: Prepared): Conditions {
  return p.input.needle ? textCondition(p.sqlite, p.input.needle) : empty;
}

/** Whether a scan can read only the (text, at) index: no condition on any other column. */
function scanIsCovered(f: SearchFilters): boolean {
  return (
    !hasSessionFilters(f) && f.sessionId === undefined && f.user === undefined && f.executed === undefined
  );
}

interface Choice {
  driver: Driver | 'timeline';
  cost: number;
}

/** Reads the FTS rowids (at most COUNT_CAP): they give the text's count and drive enumeration. */
function ftsCount(p: Prepared): number | undefined {
  if (!p.ftsMatch) return undefined;
  if (p.ftsTable === GRAM_TABLE && p.input.needle !== undefined) {
    // Counting grams is index-only and exact: count first, read rowids only when few enough to use.
    p.gramTotal = gramCount(p.sqlite, p.input.needle, COUNT_CAP);
    if (p.gramTotal !== undefined && p.gramTotal >= p.ftsCap) return p.gramTotal;
  }
  p.ftsRowids = prepared(
    p.sqlite,
    `SELECT rowid FROM ${p.ftsTable} WHERE ${p.ftsTable} MATCH ? LIMIT ${p.ftsCap}`,
  )
    .pluck(true)
    .all(p.ftsMatch) as number[];
  return p.ftsRowids.length;
}

/**
 * Counts commands under the filters that have an index (one session, the session filters, a time
 * range), each stopped as soon as it could no longer beat `best`: counting costs like reading.
 */
function indexedCounts(p: Prepared, best: Choice, counts: Map<Driver, number>): Choice {
  const f = p.input.filters;
  const candidates: [Driver, string, unknown[]][] = [];
  if (f.sessionId !== undefined)
    candidates.push(['session', 'SELECT 1 FROM commands WHERE session_id = ?', [f.sessionId]]);
  if (hasSessionFilters(f)) {
    const s = sessionConditions(f);
    candidates.push(['sessions', `SELECT 1 FROM ${fromClause('sessions', true)}${whereClause(s)}`, s.params]);
  }
  if (f.since !== undefined || f.until !== undefined) {
    const t = timeConditions(f);
    candidates.push(['time', `SELECT 1 FROM commands c INDEXED BY commands_at${whereClause(t)}`, t.params]);
  }
  for (const [driver, sql, params] of candidates) {
    const cap = Math.min(INDEX_COUNT_CAP, Math.ceil(best.cost / COST_PER_ROW[driver]));
    const count =
      driver === 'sessions' && cap > SPAN_ESTIMATE_FROM
        ? sessionSpanCount(p.sqlite, sessionConditions(f), cap)
        : cappedCount(p.sqlite, sql, params, cap);
    counts.set(driver, count);
    if (count < cap && COST_PER_ROW[driver] * count < best.cost)
      best = { driver, cost: COST_PER_ROW[driver] * count };
  }
  return best;
}

/** Below this cap a plain count is cheap enough; above it, counting sessions' seq spans is cheaper. */
const SPAN_ESTIMATE_FROM = 5_000;

/**
 * An upper bound of the commands in the filtered sessions, stopping at `cap`: per session, the span
 * of its seq numbers (unique per session, so at least its command count), two index seeks a session
 * instead of one index step a command (a large actor's 40,000 commands cost 2 ms to count and
 * about 0.3 ms to bound). It only steers the plan: results never depend on it.
 */
function sessionSpanCount(sqlite: Database.Database, s: Conditions, cap: number): number {
  const span =
    '(SELECT max(seq) FROM commands WHERE session_id = s.session_id) - (SELECT min(seq) FROM commands WHERE session_id = s.session_id) + 1';
  const row = prepared(
    sqlite,
    `SELECT count(*) AS sessions, coalesce(sum(span), 0) AS commands FROM (SELECT ${span} AS span FROM sessions s${whereClause(s)} LIMIT ${cap})`,
  )
    .pluck(false)
    .get(...s.params) as { sessions: number; commands: number };
  // Sessions without commands add nothing, so `cap` sessions may still sum below cap.
  return row.sessions >= cap ? cap : Math.min(cap, row.commands);
}

/** Which full-text index bounds the needle's candidates: trigrams (3+ characters) or grams (1-2). */
function textIndex(needle: string | undefined): { ftsMatch?: string; ftsTable: string; ftsCap: number } {
  const trigrams = { ftsTable: 'commands_fts', ftsCap: TRIGRAM_PROBE_CAP };
  if (!needle) return trigrams;
  const grams = gramMatch(needle);
  if (grams) return { ftsMatch: grams, ftsTable: GRAM_TABLE, ftsCap: GRAM_PROBE_CAP };
  return { ...trigrams, ftsMatch: charLength(needle) >= 3 ? ftsPhrase(needle) : undefined };
}

export function runPlan(sqlite: Database.Database, input: PlanInput): PlanOutcome {
  const f = input.filters;
  const needle = input.needle;
  const all = merge(
    commandConditions(f),
    sessionConditions(f),
    needle ? textCondition(sqlite, needle) : empty,
  );
  const p: Prepared = { sqlite, input, all, allBySet: bySet(sqlite, f, needle), ...textIndex(needle) };
  const n = (prepared(sqlite, 'SELECT coalesce(max(id), 0) FROM commands').pluck(true).get() as number) || 0;
  if (n === 0) return { ids: [], total: 0, totalExact: true, plan: 'empty' };

  const page = input.offset + input.limit;
  const counts = new Map<Driver, number>();
  let best: Choice = {
    driver: 'scan',
    cost: (scanIsCovered(f) ? COST_COVERED_SCAN_ROW : COST_PER_ROW.scan) * n,
  };
  const fts = ftsCount(p);
  if (fts !== undefined) {
    counts.set('fts', fts);
    const perRow = COST_PER_ROW.fts + (all.joinSessions ? COST_FTS_SESSION_JOIN : 0);
    if (fts < p.ftsCap && perRow * fts < best.cost) best = { driver: 'fts', cost: perRow * fts };
  }
  let sampled: { rows: number; matches: number } | undefined;
  const noFilters = Object.values(f).every((v) => v === undefined);
  if (fts !== undefined && noFilters) {
    // Text and nothing else: the index says how many rows may match (at least ftsCap when it
    // stopped there), so a page is found within about page * n / fts newest rows. That is the
    // density a sample would measure, known here without reading a row.
    const cost = COST_TIMELINE_TEXT_ROW * Math.min(n, (page * n) / Math.max(fts, 1));
    if (cost < best.cost) best = { driver: 'timeline', cost };
  }
  // An indexed filter cheap enough that no timeline could save the cost of sampling wins at once.
  const quickCap = Math.min(best.cost, SAMPLE_WORTH_FROM);
  const quick = indexedCounts(p, { driver: best.driver, cost: quickCap }, counts);
  const indexedWins = quick.cost < quickCap;
  if (indexedWins) best = quick;
  else if ((noFilters && fts !== undefined) || best.cost <= quickCap) {
    // Nothing to sample, or the counts above already ran against the best cost there is.
  } else {
    sampled = sample(p);
    const expectedRows = sampled.matches > 0 ? (page * sampled.rows) / sampled.matches : n;
    const perRow = needle ? COST_TIMELINE_TEXT_ROW : COST_PER_ROW.timeline;
    const cost = sampled.rows < SAMPLE_ROWS ? 0 : perRow * Math.min(n, expectedRows);
    if (cost < best.cost) best = { driver: 'timeline', cost };
  }
  if (sampled) best = indexedCounts(p, best, counts);
  if (input.force) best = { driver: input.force, cost: 0 };
  if (best.driver !== 'timeline')
    return {
      ...enumerate(p, best.driver),
      plan: best.driver === 'fts' && p.ftsTable === GRAM_TABLE ? 'grams' : best.driver,
    };

  const ids = timeline(p);
  return { ids, ...timelineTotal(p, ids, sampled, fts), plan: 'timeline' };
}

/** A timeline page reads only what it shows; the total comes from what is known for free. */
function timelineTotal(
  p: Prepared,
  ids: number[],
  sampled: { rows: number; matches: number } | undefined,
  fts: number | undefined,
): { total: number; totalExact: boolean } {
  const { offset, limit, needle, filters } = p.input;
  const textOnlyQuery = Object.values(filters).every((v) => v === undefined);
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

function driverQuery(p: Prepared, driver: Driver, select: string): { sql: string; params: unknown[] } {
  // Drivers that walk many commands test each one's session against the set of matching sessions
  // (when an index finds it), cheaper than a lookup per command; FTS candidates are too few to
  // repay building the set, and the sessions driver reads sessions first anyway.
  const c = driver === 'sessions' || driver === 'fts' ? p.all : p.allBySet;
  const joinSessions = driver !== 'sessions' && c.joinSessions;
  if (driver === 'fts' && p.ftsRowids && p.ftsRowids.length < p.ftsCap) {
    // Reuse the rowids the count already read instead of running the phrase query twice.
    return {
      sql: `SELECT ${select} FROM json_each(?) j CROSS JOIN commands c ON c.id = j.value${joinSessions ? JOIN_SESSIONS : ''}${whereClause(c)}`,
      params: [JSON.stringify(p.ftsRowids), ...c.params],
    };
  }
  const extra = driver === 'fts' ? [`f.${p.ftsTable} MATCH ?`] : [];
  return {
    sql: `SELECT ${select} FROM ${fromClause(driver, joinSessions, { covered: scanIsCovered(p.input.filters), withText: !!p.input.needle, ftsTable: p.ftsTable })}${whereClause(c, extra)}`,
    params: driver === 'fts' ? [p.ftsMatch, ...c.params] : c.params,
  };
}

/** Reads every candidate, keeps the newest `offset + limit`, counts all of them. */
function enumerate(p: Prepared, driver: Driver): Omit<PlanOutcome, 'plan'> {
  if (driver === 'scan') return enumerateInJs(p, driver);
  // Bounded drivers (at most INDEX_COUNT_CAP candidates): SQLite sorts and counts in one pass, so
  // only the page crosses into JS; returning every candidate's (id, at) costs about twice as much.
  const { sql, params } = driverQuery(p, driver, 'c.id, count(*) OVER () AS total');
  const { offset, limit } = p.input;
  const rows = prepared(p.sqlite, `${sql} ORDER BY c.at DESC, c.id DESC LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...params, limit, offset) as [number, number][];
  if (rows.length > 0) return { ids: rows.map((r) => r[0]), total: rows[0]![1], totalExact: true };
  // A page past the end carries no window row: count on its own.
  const count = driverQuery(p, driver, 'count(*)');
  const total = prepared(p.sqlite, count.sql)
    .pluck(true)
    .get(...count.params) as number;
  return { ids: [], total, totalExact: true };
}

/** A full scan streams rows and keeps only the newest page in memory. */
function enumerateInJs(p: Prepared, driver: Driver): Omit<PlanOutcome, 'plan'> {
  const { sql, params } = driverQuery(p, driver, 'c.id, c.at');
  const keep = p.input.offset + p.input.limit;
  let rows: [number, number | null][] = [];
  let total = 0;
  const newestFirst = (a: [number, number | null], b: [number, number | null]) =>
    (b[1] ?? Number.NEGATIVE_INFINITY) - (a[1] ?? Number.NEGATIVE_INFINITY) || b[0] - a[0];
  for (const row of prepared(p.sqlite, sql)
    .raw(true)
    .iterate(...params) as Iterable<[number, number | null]>) {
    total++;
    rows.push(row);
    if (rows.length >= 2 * keep + 1024) rows = rows.sort(newestFirst).slice(0, keep);
  }
  rows.sort(newestFirst);
  return { ids: rows.slice(p.input.offset, keep).map((r) => r[0]), total, totalExact: true };
}

function timeline(p: Prepared): number[] {
  const sql = `SELECT c.id FROM ${fromClause('time', p.allBySet.joinSessions, { withText: !!p.input.needle })}${whereClause(p.allBySet)} ORDER BY c.at DESC, c.id DESC LIMIT ? OFFSET ?`;
  return prepared(p.sqlite, sql)
    .pluck(true)
    .all(...p.allBySet.params, p.input.limit, p.input.offset) as number[];
}

/** Every session with at least one matching command (for "which sessions ran X"). */
export function matchingSessionIds(
  sqlite: Database.Database,
  input: Omit<PlanInput, 'limit' | 'offset'>,
): string[] {
  const f = input.filters;
  const needle = input.needle;
  const all = merge(
    commandConditions(f),
    sessionConditions(f),
    needle ? textCondition(sqlite, needle) : empty,
  );
  const p: Prepared = {
    sqlite,
    input: { ...input, limit: 0, offset: 0 },
    all,
    allBySet: bySet(sqlite, f, needle),
    ...textIndex(needle),
  };
  const counts = new Map<Driver, number>();
  const fts = ftsCount(p);
  let best: Choice = { driver: 'scan', cost: Number.POSITIVE_INFINITY };
  if (fts !== undefined) best = { driver: 'fts', cost: COST_PER_ROW.fts * fts };
  const driver = indexedCounts(p, best, counts).driver as Driver;
  const { sql, params } = driverQuery(p, driver, 'DISTINCT c.session_id');
  return prepared(sqlite, sql)
    .pluck(true)
    .all(...params) as string[];
}
