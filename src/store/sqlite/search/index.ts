/**
 * Search over every command ever run, in SQLite: the query rules are store/search-query.ts (literal,
 * case-insensitive substring; store/fold.ts has the folding), the planner is ./plan.ts. Results
 * are newest first.
 *
 * @example searchCommands(conn, { text: '/etc/shadow', actor: 'alice@example.com', limit: 20 })
 */
import { snippet } from '../../fold.ts';
import {
  type CountOutcome,
  encodeCursor,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  validateQuery,
} from '../../search-query.ts';
import { type Conn, readTransaction } from '../connection.ts';
import { countMatches } from './count.ts';
import { prepared } from './filters.ts';
import { matchingSessionIds, runPlan } from './plan.ts';

/**
 * A command row with the session columns a hit names, in HIT_SQL's column order. Read as arrays:
 * building a named-property object per row cost better-sqlite3 more than the lookups themselves
 * (50 hits of 18 columns: 0.35 ms as objects, 0.2 as arrays).
 */
type HitRow = [
  id: number,
  sessionId: string,
  seq: number,
  text: string,
  user: string | null,
  executed: number | null,
  at: number | null,
  atPrecision: string | null,
  cwd: string | null,
  exitCode: number | null,
  actor: string | null,
  principalArn: string | null,
  target: string | null,
  accountId: string | null,
  region: string | null,
  kind: string | null,
  identityVerified: number | null,
  startedAt: number | null,
];

const HIT_SQL = `SELECT c.id, c.session_id, c.seq, c.text, c.user, c.executed, c.at, c.at_precision, c.cwd, c.exit_code,
  s.actor, s.principal_arn, s.target, s.account_id, s.region, s.kind, s.identity_verified, s.started_at
  FROM json_each(?) j CROSS JOIN commands c ON c.id = j.value LEFT JOIN sessions s ON s.session_id = c.session_id`;

function hydrate(conn: Conn, ids: number[], needle: string | undefined): SearchHit[] {
  if (ids.length === 0) return [];
  const rows = prepared(conn.sqlite, HIT_SQL).raw(true).all(JSON.stringify(ids)) as HitRow[];
  const byId = new Map(rows.map((r) => [r[0], r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const [commandId, sessionId, seq, text, user, executed, at, atPrecision, cwd, exitCode, ...session] = r;
    const [actor, principalArn, target, accountId, region, kind, identityVerified, startedAt] = session;
    return [
      {
        commandId,
        sessionId,
        seq,
        text,
        snippet: snippet(text, needle),
        user,
        executed: executed === null ? null : executed === 1,
        at,
        atPrecision,
        cwd,
        exitCode,
        actor,
        principalArn,
        target,
        accountId,
        region,
        kind,
        identityVerified: identityVerified === 1,
        sessionStartedAt: startedAt,
      },
    ];
  });
}

/** One page of matching commands, newest first, with a (possibly lower-bound) total. */
export function searchCommands(conn: Conn, query: SearchQuery): SearchResult {
  const { needle, filters, limit, offset } = validateQuery(query);
  // One read transaction: the plan and the rows it names see the same snapshot while ingest writes.
  return readTransaction(conn, () => {
    const outcome = runPlan(conn.sqlite, { needle, filters, limit, offset });
    const hits = hydrate(conn, outcome.ids, needle);
    const more = !outcome.totalExact || outcome.total > offset + hits.length;
    return {
      hits,
      total: outcome.total,
      totalExact: outcome.totalExact,
      nextCursor: more && hits.length > 0 ? encodeCursor(offset + limit) : null,
      plan: outcome.plan,
    };
  });
}

/**
 * How many commands match, exactly up to COUNT_CAP (beyond it `exact` is false). Costs a read of
 * every match, so it is asked separately from the page.
 */
export function countCommands(conn: Conn, query: SearchQuery): CountOutcome {
  const { needle, filters } = validateQuery({ ...query, limit: 1, offset: 0, cursor: null });
  return readTransaction(conn, () => countMatches(conn.sqlite, { needle, filters }));
}

/**
 * The page, with its total made exact (up to COUNT_CAP) when the page alone only knows "more than
 * N"; page and count read one snapshot.
 */
export function searchWithCount(conn: Conn, query: SearchQuery): SearchResult {
  return readTransaction(conn, () => {
    const page = searchCommands(conn, query);
    if (page.totalExact) return page;
    const count = countCommands(conn, query);
    if (count.total <= page.total && !count.exact) return page;
    return { ...page, total: count.total, totalExact: count.exact };
  });
}

/** Every session with at least one matching command, unordered. Reads all matches: not paged. */
export function searchSessionIds(conn: Conn, query: SearchQuery): string[] {
  const { needle, filters } = validateQuery({ ...query, limit: 1, offset: 0, cursor: null });
  return matchingSessionIds(conn.sqlite, { needle, filters });
}
