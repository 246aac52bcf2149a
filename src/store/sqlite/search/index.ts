/**
 * Search over every command ever run. The text is a literal string, never query syntax: a command
 * matches when its text contains the whole query as a substring, case-insensitively (see
 * search/fold.ts for the exact folding). `rm -rf /tmp` matches the phrase, `"`, `*`, `NEAR(`, `-`
 * and `:` are ordinary characters, and one- or two-character queries (`id`, `w`) work too. Filters
 * narrow by session (actor, principal, target, account, region, kind) and by command (effective
 * user, time, session, executed). Results are newest first.
 *
 * @example searchCommands(store, { text: '/etc/shadow', actor: 'alice@example.com', limit: 20 })
 */
import { BadInputError } from '../errors.ts';
import { type CommandRow, commandFields } from './commands.ts';
import type { Store } from './open.ts';
import { type CountOutcome, countMatches } from './search/count.ts';
import { prepared, type SearchFilters } from './search/filters.ts';
import { snippet } from './search/fold.ts';
import { COUNT_CAP, matchingSessionIds, runPlan } from './search/plan.ts';

export {
  HIGHLIGHT_CLOSE,
  HIGHLIGHT_OPEN,
  matchRanges,
  type SnippetPart,
  snippetParts,
} from './search/fold.ts';
export { COUNT_CAP, type CountOutcome };

export interface SearchQuery extends SearchFilters {
  /** Literal text to find inside commands; empty or absent means "every command". */
  text?: string;
  /** Page size, default 50, at most 1000. */
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  commandId: number;
  sessionId: string;
  seq: number;
  text: string;
  /** The text around the first match, matches wrapped in « », at most ~160 characters. */
  snippet: string;
  user: string | null;
  executed: boolean;
  at: number | null;
  atPrecision: string | null;
  cwd: string | null;
  exitCode: number | null;
  actor: string | null;
  principalArn: string | null;
  target: string | null;
  accountId: string | null;
  region: string | null;
  kind: string | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /**
   * Number of matching commands as far as the page had to look: exact when it saw them all, else a
   * lower bound ("more than offset + limit", `totalExact` false). countCommands gives the figure.
   */
  total: number;
  totalExact: boolean;
  /** How the answer was computed (enumerate driver or `timeline`), for diagnostics and benches. */
  plan: string;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
const MAX_QUERY_CHARS = 1000;

function validate(query: SearchQuery): { needle?: string; limit: number; offset: number } {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new BadInputError('bad_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new BadInputError('bad_offset', 'offset must be an integer >= 0');
  const text = query.text ?? '';
  if (text.length > MAX_QUERY_CHARS)
    throw new BadInputError('query_too_long', `search text is limited to ${MAX_QUERY_CHARS} characters`);
  // FTS5 query strings end at a NUL, and a terminal line never holds one: refuse rather than guess.
  if (text.includes('\u0000'))
    throw new BadInputError('bad_query', 'search text cannot contain a NUL character');
  return { needle: text.trim() === '' ? undefined : text, limit, offset };
}

function filtersOf(query: SearchQuery): SearchFilters {
  const { text: _t, limit: _l, offset: _o, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as SearchFilters;
}

/** A command row with the session columns a hit names. */
interface HitRow extends Omit<CommandRow, 'fidelity' | 'output'> {
  actor: string | null;
  principal_arn: string | null;
  target: string | null;
  account_id: string | null;
  region: string | null;
  kind: string | null;
}

const HIT_SQL = `SELECT c.id, c.session_id, c.seq, c.text, c.user, c.executed, c.at, c.at_precision, c.cwd, c.exit_code,
  s.actor, s.principal_arn, s.target, s.account_id, s.region, s.kind
  FROM json_each(?) j CROSS JOIN commands c ON c.id = j.value LEFT JOIN sessions s ON s.session_id = c.session_id`;

function hydrate(store: Store, ids: number[], needle: string | undefined): SearchHit[] {
  if (ids.length === 0) return [];
  const rows = prepared(store.sqlite, HIT_SQL).all(JSON.stringify(ids)) as HitRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        commandId: r.id,
        ...commandFields(r),
        snippet: snippet(r.text, needle),
        actor: r.actor,
        principalArn: r.principal_arn,
        target: r.target,
        accountId: r.account_id,
        region: r.region,
        kind: r.kind,
      },
    ];
  });
}

/** One page of matching commands, newest first, with a (possibly capped) total. */
export function searchCommands(store: Store, query: SearchQuery): SearchResult {
  const { needle, limit, offset } = validate(query);
  // One read transaction: the count and the page see the same snapshot while ingest writes.
  return store.sqlite.transaction(() => {
    const outcome = runPlan(store.sqlite, { needle, filters: filtersOf(query), limit, offset });
    return {
      hits: hydrate(store, outcome.ids, needle),
      total: outcome.total,
      totalExact: outcome.totalExact,
      plan: outcome.plan,
    };
  })();
}

/**
 * How many commands match, exactly up to COUNT_CAP (beyond it `exact` is false). Costs a read of
 * every match, so it is asked separately from the page.
 */
export function countCommands(store: Store, query: Omit<SearchQuery, 'limit' | 'offset'>): CountOutcome {
  const { needle } = validate({ ...query, limit: 1, offset: 0 });
  return store.sqlite.transaction(() => countMatches(store.sqlite, { needle, filters: filtersOf(query) }))();
}

/** Every session with at least one matching command, unordered. Reads all matches: not paged. */
export function searchSessionIds(store: Store, query: Omit<SearchQuery, 'limit' | 'offset'>): string[] {
  const { needle } = validate({ ...query, limit: 1, offset: 0 });
  return matchingSessionIds(store.sqlite, { needle, filters: filtersOf(query) });
}
