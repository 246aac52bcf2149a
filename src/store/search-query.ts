/**
 * Command search as the store interface speaks it: the query, the hit, the result, and the one
 * validation every dialect applies before it plans anything. The text is a literal string, never
 * query syntax: a command matches when its text contains the whole query as a substring,
 * case-insensitively (store/fold.ts has the exact folding).
 */
import { InvalidRequestError } from '../errors.ts';

export interface SearchFilters {
  actor?: string;
  principal?: string;
  target?: string;
  account?: string;
  region?: string;
  kind?: string;
  user?: string;
  since?: number;
  until?: number;
  sessionId?: string;
  executed?: boolean;
}

export interface SearchQuery extends SearchFilters {
  /** Literal text to find inside commands; empty or absent means "every command". */
  text?: string;
  /** Page size, default 50, at most 1000. */
  limit?: number;
  /** Rows to skip; `cursor` (from a previous result) takes precedence. */
  offset?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface SearchHit {
  commandId: number;
  sessionId: string;
  seq: number;
  text: string;
  /** The text around the first match, matches wrapped in « », at most ~160 characters. */
  snippet: string;
  user: string | null;
  executed: boolean | null;
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
  /** False when the session is known only from what its node wrote (no CloudTrail record). */
  identityVerified: boolean;
  /**
   * The session's `startedAt`, read with the hit so a deep link (`at` = seconds from the start)
   * needs no lookup per session. Not part of the hit's JSON (shapes.ts searchHitJson).
   */
  sessionStartedAt: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /**
   * Matching commands as far as the page had to look: exact when it saw them all, else a lower
   * bound ("more than offset + limit", `totalExact` false). `count` gives the figure.
   */
  total: number;
  totalExact: boolean;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** How the answer was computed (for diagnostics and benches). */
  plan: string;
}

export interface CountOutcome {
  /** Matching commands; COUNT_CAP with `exact: false` when there are at least that many. */
  total: number;
  exact: boolean;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
/** Exact counts stop here ("10000+"): counting every match of a common term is the slow part. */
export const COUNT_CAP = 10_000;
export const MAX_QUERY_CHARS = 1000;

export interface ValidQuery {
  needle?: string;
  filters: SearchFilters;
  limit: number;
  offset: number;
}

/** Checks a query and splits it into needle, filters and page; throws InvalidRequestError. */
export function validateQuery(query: SearchQuery): ValidQuery {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.cursor ? decodeCursor(query.cursor) : (query.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new InvalidRequestError('bad_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new InvalidRequestError('bad_offset', 'offset must be an integer >= 0');
  const text = query.text ?? '';
  if (text.length > MAX_QUERY_CHARS)
    throw new InvalidRequestError(
      'query_too_long',
      `search text is limited to ${MAX_QUERY_CHARS} characters (got ${text.length})`,
    );
  // FTS5 query strings end at a NUL, and a terminal line never holds one: refuse rather than guess.
  if (text.includes('\u0000'))
    throw new InvalidRequestError('bad_query', 'search text cannot contain a NUL character');
  const { text: _t, limit: _l, offset: _o, cursor: _c, ...rest } = query;
  const filters = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  ) as SearchFilters;
  return { needle: text.trim() === '' ? undefined : text, filters, limit, offset };
}

/**
 * Search pages are positional (the planner reads newest first and stops after a page), so the
 * cursor carries the position; it is opaque to callers so a dialect may key it differently.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^o:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
  return Number(m[1]);
}
