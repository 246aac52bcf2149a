/**
 * Read queries over sessions and denied attempts, for the CLI and the API. Readers never take the
 * writer lease: WAL lets them run while ingestion writes.
 */
import type { Store } from './open.ts';
import type { ctEvents, sessions } from './schema.ts';

export interface SessionFilters {
  /** Actor (IAM user, role session name, `root`); `*` is a wildcard; case-insensitive. */
  actor?: string;
  target?: string;
  accountId?: string;
  region?: string;
  kind?: string;
  /** Sessions started at or after this time (ms). */
  since?: number;
  /** Sessions started before this time (ms). */
  until?: number;
  limit?: number;
}

/** A session as listed: the stored projection with its transcript sources parsed. */
export type SessionRow = Omit<typeof sessions.$inferSelect, 'transcriptSources'> & {
  transcriptSources: string[];
};

/** A denied or failed StartSession call: the attempt columns of its CloudTrail record. */
export type AttemptRow = Omit<typeof ctEvents.$inferSelect, 'eventName' | 'sessionId' | 'parameters' | 'raw'>;

/**
 * Sessions matching every given filter, newest first (sessions with no known start last).
 *
 * @example listSessions(store, { actor: '*@example.com', kind: 'shell', since: Date.now() - 7 * 864e5 })
 */
export function listSessions(store: Store, filters: SessionFilters = {}): SessionRow[] {
  const { where, params } = conditions(filters, 'started_at');
  if (filters.kind) {
    where.push('kind = @kind');
    params.kind = filters.kind;
  }
  const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY started_at IS NULL, started_at DESC, session_id ${limitClause(filters.limit, params)}`;
  return (store.sqlite.prepare(sql).all(params) as Record<string, unknown>[]).map(toSessionRow);
}

/** Denied or failed StartSession calls, newest first. */
export function listAttempts(store: Store, filters: Omit<SessionFilters, 'kind'> = {}): AttemptRow[] {
  const { where, params } = conditions(filters, 'event_time');
  where.unshift("event_name = 'StartSession'", 'error_code IS NOT NULL');
  const sql = `SELECT event_id, event_time, account_id, region, target, document_name, reason, principal_arn,
      principal_type, actor, source_ip, user_agent, error_code, error_message, origin
    FROM ct_events WHERE ${where.join(' AND ')}
    ORDER BY event_time DESC, event_id ${limitClause(filters.limit, params)}`;
  return (store.sqlite.prepare(sql).all(params) as Record<string, unknown>[]).map(
    (r) => camelize(r) as unknown as AttemptRow,
  );
}

function conditions(filters: SessionFilters, timeColumn: string) {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filters.actor) {
    // GLOB is case-sensitive; lower both sides for a case-insensitive match with `*` wildcards.
    where.push('lower(actor) GLOB @actor');
    params.actor = escapeGlob(filters.actor.toLowerCase());
  }
  for (const [key, column] of [
    ['target', 'target'],
    ['accountId', 'account_id'],
    ['region', 'region'],
  ] as const) {
    if (filters[key]) {
      where.push(`${column} = @${key}`);
      params[key] = filters[key];
    }
  }
  if (filters.since !== undefined) {
    where.push(`${timeColumn} >= @since`);
    params.since = filters.since;
  }
  if (filters.until !== undefined) {
    where.push(`${timeColumn} < @until`);
    params.until = filters.until;
  }
  return { where, params };
}

function limitClause(limit: number | undefined, params: Record<string, unknown>): string {
  if (limit === undefined) return '';
  params.limit = limit;
  return 'LIMIT @limit';
}

/** Keeps `*` as the wildcard; every other GLOB metacharacter matches itself. */
function escapeGlob(pattern: string): string {
  return pattern.replace(/[?[\]]/g, (c) => `[${c}]`);
}

function toSessionRow(r: Record<string, unknown>): SessionRow {
  const row = camelize(r);
  let sources: string[] = [];
  try {
    sources = JSON.parse(String(row.transcriptSources ?? '[]')) as string[];
  } catch {
    sources = [];
  }
  return {
    ...(row as unknown as SessionRow),
    identityVerified: Boolean(row.identityVerified),
    transcriptSources: sources,
  };
}

function camelize(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}
