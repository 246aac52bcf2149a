/**
 * What every part of a search plan shares: the query, its conditions in the two forms the drivers
 * need, which full-text index bounds the text, and the FROM clause each driver reads through.
 */
import type Database from 'better-sqlite3';
import { type Driver, GRAM_PROBE_CAP, type PlanName, TRIGRAM_PROBE_CAP } from './cost.ts';
import {
  type Conditions,
  charLength,
  commandConditions,
  ftsPhrase,
  hasSessionFilters,
  merge,
  type SearchFilters,
  sessionConditions,
  sessionSetCondition,
  textCondition,
} from './filters.ts';
import { GRAM_TABLE, gramMatch } from './grams.ts';

export interface PlanInput {
  needle?: string;
  filters: SearchFilters;
  limit: number;
  offset: number;
  /** Tests only: take this plan whatever it costs (every plan must give the same answer). */
  force?: PlanName;
}

export interface PlanOutcome {
  ids: number[];
  total: number;
  totalExact: boolean;
  plan: string;
}

export interface PlanContext {
  sqlite: Database.Database;
  input: PlanInput;
  all: Conditions;
  /** `all` without the text condition, for candidates already known to contain the text. */
  allButText: Conditions;
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
  /** `ftsRowids` were checked against the exact match rule (rare-trigrams.ts). */
  ftsRowidsExact?: boolean;
  /** The needle is estimated to match fewer than RARE_TEXT commands (plan.ts textIsRare). */
  textIsRare?: boolean;
}

export const NO_CONDITIONS: Conditions = { sql: [], params: [], joinSessions: false };

export function planContext(sqlite: Database.Database, input: PlanInput): PlanContext {
  const f = input.filters;
  const needle = input.needle;
  const allButText = merge(commandConditions(f), sessionConditions(f));
  const all = merge(allButText, needle ? textCondition(sqlite, needle) : NO_CONDITIONS);
  return { sqlite, input, all, allButText, allBySet: bySet(sqlite, f, needle), ...textIndex(needle) };
}

/**
 * The conditions with the session filters as a set test when an index finds the sessions (actor,
 * target); otherwise building the set scans every session, and a lookup per command is cheaper.
 */
function bySet(sqlite: Database.Database, f: SearchFilters, needle: string | undefined): Conditions {
  const indexed = f.actor !== undefined || f.target !== undefined;
  return merge(
    commandConditions(f),
    indexed ? sessionSetCondition(f) : sessionConditions(f),
    needle ? textCondition(sqlite, needle) : NO_CONDITIONS,
  );
}

/** Which full-text index bounds the needle's candidates: trigrams (3+ characters) or grams (1-2). */
function textIndex(needle: string | undefined): { ftsMatch?: string; ftsTable: string; ftsCap: number } {
  const trigrams = { ftsTable: 'commands_fts', ftsCap: TRIGRAM_PROBE_CAP };
  if (!needle) return trigrams;
  const grams = gramMatch(needle);
  if (grams) return { ftsMatch: grams, ftsTable: GRAM_TABLE, ftsCap: GRAM_PROBE_CAP };
  return { ...trigrams, ftsMatch: charLength(needle) >= 3 ? ftsPhrase(needle) : undefined };
}

/** The text condition alone (nothing when there is no text). */
export function textOnly(p: PlanContext): Conditions {
  return p.input.needle ? textCondition(p.sqlite, p.input.needle) : NO_CONDITIONS;
}

export function timeConditions(f: SearchFilters): Conditions {
  return commandConditions({ since: f.since, until: f.until });
}

/** Whether a scan can read only the (text, at) index: no condition on any other column. */
export function scanIsCovered(f: SearchFilters): boolean {
  return (
    !hasSessionFilters(f) && f.sessionId === undefined && f.user === undefined && f.executed === undefined
  );
}

export const JOIN_SESSIONS = ' CROSS JOIN sessions s ON s.session_id = c.session_id';

interface FromOptions {
  /** No condition reads a column other than text and at. */
  covered?: boolean;
  /** A text condition exists. */
  withText?: boolean;
  ftsTable?: string;
}

export function fromClause(driver: Driver, joinSessions: boolean, o: FromOptions = {}): string {
  const join = joinSessions ? JOIN_SESSIONS : '';
  switch (driver) {
    case 'fts':
      return `${o.ftsTable ?? 'commands_fts'} f CROSS JOIN commands c ON c.id = f.rowid${join}`;
    // With text, (session_id, text) tests it on the index and reads only the rows that match.
    case 'sessions':
      return `sessions s CROSS JOIN commands c INDEXED BY ${o.withText ? 'commands_session_text' : 'commands_session_seq'} ON c.session_id = s.session_id`;
    case 'session':
      return `commands c INDEXED BY ${o.withText ? 'commands_session_text' : 'commands_session_seq'}${join}`;
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
