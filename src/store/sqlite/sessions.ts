/**
 * Read queries over sessions and denied attempts, for the CLI and the API. Readers never take the
 * writer lease: WAL lets them run while ingestion writes. Lists are keyset-paged (the cursor is the
 * last row's sort key), so a page costs the same however deep it is and never skips or repeats a
 * row when ingestion inserts between two pages.
 */
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { COVERAGE_STATES } from '../../domain.ts';
import { InvalidRequestError } from '../../errors.ts';
import type {
  AttemptFilters,
  AttemptRow,
  Page,
  PageRequest,
  RecordConflict,
  SessionCount,
  SessionCounts,
  SessionFilters,
  SessionRow,
} from '../types.ts';
import { type Conn, readTransaction } from './connection.ts';
import { ctEvents, sessions } from './schema.ts';
import { searchSessionIds } from './search/index.ts';
import { sessionsWithAlerts } from './session-alerts.ts';
import { statementCache } from './statements.ts';

export const SESSION_PAGE = { default: 500, max: 5000 };

/**
 * Sessions matching every given filter, newest first (sessions with no known start last). Every
 * filter, `text` and the alert filters included, is a condition of the same keyset-ordered read.
 *
 * @example listSessions(conn, { actor: '*@example.com', kind: 'shell' }, { limit: 20 })
 */
export function listSessions(
  conn: Conn,
  filters: SessionFilters = {},
  page: PageRequest = {},
): Page<SessionRow> {
  const limit = pageLimit(page, SESSION_PAGE);
  const after = page.cursor ? decodeKey(page.cursor) : undefined;
  const { where, params, shape: filterShape, text } = sessionConditions(filters);
  const star = filters.actor?.includes('*') ?? false;
  const afterMode = !after ? 'none' : after[0] === null ? 'untimed' : 'timed';
  if (after) [params.afterTime, params.afterId] = after;
  // The statements depend only on which filters are set: prepared once per shape and store, since
  // building and preparing them cost as much as running them.
  const shape = `${filterShape}|${star}|${afterMode}`;
  const cache = listStatements(conn);
  let statements = cache.get(shape);
  if (!statements) {
    if (cache.size >= 128) cache.clear();
    statements = prepareList(conn, where, star, afterMode);
    cache.set(shape, statements);
  }
  const { timed, untimed } = statements;
  // Two range reads instead of one ORDER BY over `started_at IS NULL`: that expression made
  // SQLite sort the whole table for every page (40 ms at 10,000 sessions); each part below walks
  // an index in order and stops at the page's end.
  return readTransaction(conn, () => {
    if (text !== undefined && !bindTextIds(conn, text, params)) return { items: [], nextCursor: null };
    const rows: (typeof sessions.$inferSelect)[] = [];
    if (timed) rows.push(...timed.all({ ...params, limit: limit + 1 }));
    if (rows.length <= limit) rows.push(...untimed.all({ ...params, limit: limit + 1 - rows.length }));
    return paged(rows.map(toSessionRow), limit, (r) => [r.startedAt, r.sessionId]);
  });
}

/**
 * The conditions of every session filter, with named placeholders (`params` holds their values) so
 * a statement built from them serves every call with the same filters set (`shape`). `text` is
 * bound per call by bindTextIds.
 */
function sessionConditions(filters: SessionFilters) {
  const params: Record<string, unknown> = {};
  const bind = (name: string, value: unknown) => {
    params[name] = value;
    return sql.placeholder(name);
  };
  const where = conditions(
    filters,
    sessions.startedAt,
    {
      actor: sessions.actor,
      target: sessions.target,
      accountId: sessions.accountId,
      region: sessions.region,
    },
    bind,
  );
  if (filters.kind) where.push(eq(sessions.kind, bind('kind', filters.kind)));
  if (filters.principal) where.push(eq(sessions.principalArn, bind('principal', filters.principal)));
  if (filters.coverage) where.push(eq(sessions.coverage, bind('coverage', filters.coverage)));
  // `alertLevel` alone means open alerts of that level: what an analyst filtering by level wants.
  const alerts = filters.alerts ?? (filters.alertLevel ? 'open' : undefined);
  const alertShape = alerts ? `${alerts}:${filters.alertLevel ?? ''}` : '';
  if (alerts)
    where.push(sql`${sessions.sessionId} IN (${sql.raw(sessionsWithAlerts(alerts, filters.alertLevel))})`);
  // Sessions with a command containing the text: the set the search planner finds (its indexes,
  // its cost choices), read in the same transaction as the list and joined by id, so the list
  // keeps its keyset order and cursors whatever the other filters are.
  const text = filters.text ? filters.text : undefined;
  if (text !== undefined)
    where.push(sql`${sessions.sessionId} IN (SELECT value FROM json_each(${bind('textIds', '[]')}))`);
  return { where, params, text, shape: `${Object.keys(params).join(',')}|${alertShape}` };
}

/** Binds the ids of the sessions with a command containing `text`; false when there are none. */
function bindTextIds(conn: Conn, text: string, params: Record<string, unknown>): boolean {
  const ids = searchSessionIds(conn, { text });
  params.textIds = JSON.stringify(ids);
  return ids.length > 0;
}

/** Counts are exact up to this by default, and can be asked exact up to SESSION_COUNT_MAX_CAP. */
export const SESSION_COUNT_CAP = 1000;
export const SESSION_COUNT_MAX_CAP = 100_000;

/**
 * How many sessions match `filters` (exact up to `cap`, else `cap` and not exact), and as many for
 * each coverage state with the filters' coverage replaced by it. Each count reads at most `cap`
 * + 1 index entries or rows (LIMIT inside the count), so a page can show them for any filters.
 *
 * @example countSessions(conn, { actor: 'alice' }) // { total: { count: 12, exact: true }, coverage: { complete: ... } }
 */
export function countSessions(
  conn: Conn,
  filters: SessionFilters = {},
  options: { cap?: number } = {},
): SessionCounts {
  const cap = options.cap ?? SESSION_COUNT_CAP;
  if (!Number.isInteger(cap) || cap < 1 || cap > SESSION_COUNT_MAX_CAP)
    throw new InvalidRequestError('bad_cap', `cap must be an integer from 1 to ${SESSION_COUNT_MAX_CAP}`);
  const text = filters.text ? filters.text : undefined;
  const zero = { count: 0, exact: true };
  return readTransaction(conn, () => {
    // The text's session ids once for all the counts (the search planner is the costly part).
    const textIds = text === undefined ? undefined : JSON.stringify(searchSessionIds(conn, { text }));
    const none = textIds === '[]';
    const count = (f: SessionFilters): SessionCount => {
      if (none) return zero;
      const { where, params, shape } = sessionConditions(f);
      if (textIds !== undefined) params.textIds = textIds;
      const cache = countStatements(conn);
      let statement = cache.get(shape);
      if (!statement) {
        if (cache.size >= 128) cache.clear();
        const inner = conn.db
          .select({ one: sql`1` })
          .from(sessions)
          .where(and(...where))
          .limit(sql.placeholder('cap'))
          .as('matched');
        statement = conn.db.select({ n: sql<number>`count(*)` }).from(inner).prepare();
        cache.set(shape, statement);
      }
      const n = statement.get({ ...params, cap: cap + 1 })?.n ?? 0;
      return n > cap ? { count: cap, exact: false } : { count: n, exact: true };
    };
    return {
      total: count(filters),
      coverage: Object.fromEntries(
        COVERAGE_STATES.map((state) => [state, count({ ...filters, coverage: state })]),
      ),
    };
  });
}

const countStatements = statementCache(
  () => new Map<string, { get(params: Record<string, unknown>): { n: number } | undefined }>(),
);

const listStatements = statementCache(() => new Map<string, ReturnType<typeof prepareList>>());

function prepareList(conn: Conn, where: SQL[], star: boolean, afterMode: 'none' | 'timed' | 'untimed') {
  // An exact actor walks (lower(actor), started_at) in order. With a wildcard pattern, reading the
  // range of its literal prefix and sorting the few matches beats walking the time index row by
  // row; `+` keeps the planner off that index.
  const orderTime = star ? sql`+${sessions.startedAt}` : sessions.startedAt;
  const limit = sql.placeholder('limit');
  const key: Key = [
    sql.placeholder('afterTime') as unknown as number,
    sql.placeholder('afterId') as unknown as string,
  ];
  const timedWhere = [...where, isNotNull(sessions.startedAt)];
  if (afterMode === 'timed')
    timedWhere.push(
      sql`${sessions.startedAt} <= ${key[0]}`,
      afterKey(sessions.startedAt, sessions.sessionId, key, 'notNull'),
    );
  const untimedWhere = [...where, isNull(sessions.startedAt)];
  if (afterMode === 'untimed') untimedWhere.push(gt(sessions.sessionId, key[1]));
  return {
    timed:
      afterMode === 'untimed'
        ? undefined
        : conn.db
            .select()
            .from(sessions)
            .where(and(...timedWhere))
            .orderBy(desc(orderTime), asc(sessions.sessionId))
            .limit(limit)
            .prepare(),
    untimed: conn.db
      .select()
      .from(sessions)
      .where(and(...untimedWhere))
      .orderBy(asc(sessions.sessionId))
      .limit(limit)
      .prepare(),
  };
}

// Prepared once per store: a search page looks up the session of every hit for its deep link, and
// building and preparing the query each time cost more than the lookup.
const sessionById = statementCache((conn) =>
  conn.db
    .select()
    .from(sessions)
    .where(eq(sessions.sessionId, sql.placeholder('id')))
    .prepare(),
);

export function getSession(conn: Conn, sessionId: string): SessionRow | undefined {
  const row = sessionById(conn).get({ id: sessionId });
  return row ? toSessionRow(row) : undefined;
}

/** Denied or failed StartSession calls, newest first. */
export function listAttempts(
  conn: Conn,
  filters: AttemptFilters = {},
  page: PageRequest = {},
): Page<AttemptRow> {
  const limit = pageLimit(page, SESSION_PAGE);
  const where = conditions(filters, ctEvents.eventTime, {
    actor: ctEvents.actor,
    target: ctEvents.target,
    accountId: ctEvents.accountId,
    region: ctEvents.region,
  });
  where.unshift(eq(ctEvents.eventName, 'StartSession'), isNotNull(ctEvents.errorCode));
  const after = page.cursor ? decodeKey(page.cursor) : undefined;
  if (after) where.push(afterKey(ctEvents.eventTime, ctEvents.eventId, after, 'notNull'));
  const rows = conn.db
    .select({
      eventId: ctEvents.eventId,
      eventTime: ctEvents.eventTime,
      accountId: ctEvents.accountId,
      region: ctEvents.region,
      target: ctEvents.target,
      documentName: ctEvents.documentName,
      reason: ctEvents.reason,
      principalArn: ctEvents.principalArn,
      principalType: ctEvents.principalType,
      actor: ctEvents.actor,
      sourceIp: ctEvents.sourceIp,
      userAgent: ctEvents.userAgent,
      errorCode: ctEvents.errorCode,
      errorMessage: ctEvents.errorMessage,
      origin: ctEvents.origin,
    })
    .from(ctEvents)
    .where(and(...where))
    .orderBy(desc(ctEvents.eventTime), asc(ctEvents.eventId))
    .limit(limit + 1)
    .all();
  return paged(rows, limit, (r) => [r.eventTime, r.eventId]);
}

type FilterColumns = Record<'actor' | 'target' | 'accountId' | 'region', AnySQLiteColumn>;

/** Binds a value into a statement: inline, or as a named placeholder of a statement kept for reuse. */
type Bind = (name: string, value: unknown) => unknown;
const inline: Bind = (_name, value) => value;

function conditions(
  filters: AttemptFilters,
  time: AnySQLiteColumn,
  columns: FilterColumns,
  bind: Bind = inline,
): SQL[] {
  const where: SQL[] = [];
  if (filters.actor) {
    // GLOB is case-sensitive; lower both sides for a case-insensitive match with `*` wildcards.
    const pattern = filters.actor.toLowerCase();
    const star = pattern.indexOf('*');
    if (star < 0) where.push(sql`lower(${columns.actor}) = ${bind('actor', pattern)}`);
    else {
      where.push(sql`lower(${columns.actor}) GLOB ${bind('actor', escapeGlob(pattern))}`);
      // The literal prefix as a range the (lower(actor), ...) index answers; GLOB decides the rest.
      const prefix = pattern.slice(0, star);
      if (prefix) where.push(sql`lower(${columns.actor}) >= ${bind('actorFrom', prefix)}`);
      const above = prefix && successor(prefix);
      if (above) where.push(sql`lower(${columns.actor}) < ${bind('actorBelow', above)}`);
    }
  }
  for (const key of ['target', 'accountId', 'region'] as const) {
    const value = filters[key];
    if (value) where.push(eq(columns[key], bind(key, value)));
  }
  if (filters.since !== undefined) where.push(sql`${time} >= ${bind('since', filters.since)}`);
  if (filters.until !== undefined) where.push(sql`${time} < ${bind('until', filters.until)}`);
  return where;
}

/**
 * The least string above every string that starts with `prefix` (its last code point plus one), in
 * SQLite's BINARY order, which for UTF-8 is code point order; undefined when there is none.
 */
function successor(prefix: string): string | undefined {
  const points = Array.from(prefix);
  const last = points.pop()!.codePointAt(0)!;
  if (last >= 0x10ffff) return undefined;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return points.join('') + String.fromCodePoint(next);
}

/** Keeps `*` as the wildcard; every other GLOB metacharacter matches itself. */
function escapeGlob(pattern: string): string {
  return pattern.replace(/[?[\]]/g, (c) => `[${c}]`);
}

type Key = [number | null, string];

/**
 * Rows after `key` in the order (time DESC [nulls last], id ASC). `nullsLast`: rows without a time
 * come after every timed row.
 */
function afterKey(time: AnySQLiteColumn, id: AnySQLiteColumn, key: Key, nulls: 'nullsLast' | 'notNull'): SQL {
  const [t, k] = key;
  if (t === null) return and(isNull(time), gt(id, k))!;
  const timed = or(lt(time, t), and(eq(time, t), gt(id, k)))!;
  return nulls === 'nullsLast' ? or(timed, isNull(time))! : timed;
}

export function pageLimit(page: PageRequest, bounds: { default: number; max: number }): number {
  const limit = page.limit ?? bounds.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > bounds.max)
    throw new InvalidRequestError('bad_limit', `limit must be an integer from 1 to ${bounds.max}`);
  return limit;
}

/** Trims the look-ahead row and encodes the last row's key as the cursor. */
export function paged<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeKey(keyOf(items.at(-1)!)) };
}

export function encodeKey(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeKey(cursor: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      (key[0] === null || typeof key[0] === 'number') &&
      typeof key[1] === 'string'
    )
      return key as Key;
  } catch {}
  throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
}

function toSessionRow(row: typeof sessions.$inferSelect): SessionRow {
  return {
    ...row,
    transcriptSources: parseJson<string[]>(row.transcriptSources, []),
    conflicts: parseJson<RecordConflict[]>(row.conflicts, []),
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
