/**
 * SQL fragments for command search. Every value is a bound parameter; user text never becomes SQL
 * or FTS5 syntax (FTS5 strings are double-quoted with embedded quotes doubled).
 */
import type Database from 'better-sqlite3';
import { foldCase, isAscii } from '../../fold.ts';
import type { SearchFilters } from '../../search-query.ts';

export type { SearchFilters };

/** A conjunction of SQL conditions over `commands c` (and `sessions s` when `joinSessions`). */
export interface Conditions {
  sql: string[];
  params: unknown[];
  joinSessions: boolean;
}

const sessionColumns = {
  actor: 's.actor',
  principal: 's.principal_arn',
  target: 's.target',
  account: 's.account_id',
  region: 's.region',
  kind: 's.kind',
} as const;

/** Whether any filter is set (text aside): a text-only query can be answered from its index alone. */
export function hasFilters(f: SearchFilters): boolean {
  return Object.values(f).some((v) => v !== undefined);
}

export function hasSessionFilters(f: SearchFilters): boolean {
  return Object.keys(sessionColumns).some((k) => f[k as keyof typeof sessionColumns] !== undefined);
}

/** Conditions on the session projection: actor, principal, target, account, region, kind. */
export function sessionConditions(f: SearchFilters): Conditions {
  const out: Conditions = { sql: [], params: [], joinSessions: false };
  for (const [key, column] of Object.entries(sessionColumns)) {
    const value = f[key as keyof typeof sessionColumns];
    if (value === undefined) continue;
    out.sql.push(`${column} = ?`);
    out.params.push(value);
    out.joinSessions = true;
  }
  return out;
}

/**
 * The session conditions as one test on the command row: `c.session_id IN (matching sessions)`.
 * SQLite builds the (small) session set once, so a walk over commands checks membership instead
 * of looking up every command's session: a third faster on the timeline.
 */
export function sessionSetCondition(f: SearchFilters): Conditions {
  const s = sessionConditions(f);
  if (s.sql.length === 0) return s;
  return {
    sql: [`c.session_id IN (SELECT s.session_id FROM sessions s${whereClause(s)})`],
    params: s.params,
    joinSessions: false,
  };
}

/** Conditions on the command row itself; time bounds are inclusive. */
export function commandConditions(f: SearchFilters, options: { time?: boolean } = {}): Conditions {
  const out: Conditions = { sql: [], params: [], joinSessions: false };
  const add = (sql: string, value: unknown) => {
    out.sql.push(sql);
    out.params.push(value);
  };
  if (f.sessionId !== undefined) add('c.session_id = ?', f.sessionId);
  if (f.user !== undefined) add('c.user = ?', f.user);
  if (f.executed !== undefined) add('c.executed = ?', f.executed ? 1 : 0);
  if (options.time !== false) {
    if (f.since !== undefined) add('c.at >= ?', f.since);
    if (f.until !== undefined) add('c.at <= ?', f.until);
  }
  return out;
}

const CONTAINS_FN = 'shelltrail_contains';
const registered = new WeakSet<Database.Database>();

/**
 * The exact match rule as SQL. When every character of the query is ASCII or has no case (CJK,
 * digits, punctuation), `LIKE` is exact: it folds ASCII letters only, which is all foldCase changes
 * for such a query. Other queries (e.g. `Ärger`) call foldCase itself through a JS function.
 */
export function textCondition(sqlite: Database.Database, needle: string): Conditions {
  const folded = foldCase(needle);
  if (likeIsExact(folded)) {
    const pattern = `%${folded.replace(/[\\%_]/g, '\\$&')}%`;
    return { sql: ["c.text LIKE ? ESCAPE '\\'"], params: [pattern], joinSessions: false };
  }
  if (!registered.has(sqlite)) {
    sqlite.function(CONTAINS_FN, { deterministic: true }, (text: unknown, n: unknown) =>
      typeof text === 'string' && typeof n === 'string' && foldCase(text).includes(n) ? 1 : 0,
    );
    registered.add(sqlite);
  }
  return { sql: [`${CONTAINS_FN}(c.text, ?) = 1`], params: [folded], joinSessions: false };
}

/** Whether `LIKE` (which folds ASCII letters only) states the match rule exactly for this folded text. */
export function likeIsExact(text: string): boolean {
  if (isAscii(text)) return true;
  for (const ch of text) if (ch.charCodeAt(0) >= 0x80 && ch.toLowerCase() !== ch.toUpperCase()) return false;
  return true;
}

export function merge(...parts: Conditions[]): Conditions {
  return {
    sql: parts.flatMap((p) => p.sql),
    params: parts.flatMap((p) => p.params),
    joinSessions: parts.some((p) => p.joinSessions),
  };
}

export function whereClause(c: Conditions, extra: string[] = []): string {
  const all = [...extra, ...c.sql];
  return all.length ? ` WHERE ${all.join(' AND ')}` : '';
}

/** An FTS5 string literal: the text is one phrase, never query syntax. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Characters the trigram tokenizer sees (code points, not UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Whether every character is a unicode61 token character (so every occurrence sits in one word). */
export function isWordChars(text: string): boolean {
  return /^[\p{L}\p{N}\p{Co}]+$/u.test(text);
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared statements are reused per connection: search runs the same few shapes over and over. */
export function prepared(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCache.set(sqlite, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size > 256) cache.clear();
    stmt = sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
