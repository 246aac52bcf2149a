import { sessionJson } from '../analyze/shapes.ts';
import { COVERAGE_STATES } from '../domain.ts';
import { UsageError } from '../errors.ts';
import { ALERT_LEVELS, type AlertLevel } from '../store/alerts.ts';
import type { SessionFilters, SessionRow } from '../store/index.ts';
import { MAX_QUERY_CHARS } from '../store/search-query.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  parseKindFlag,
  parseTimeFlag,
  withStore,
  writeLine,
} from './context.ts';
import { writeJson } from './json-out.ts';
import { LISTING_PAGE, readPages } from './pages.ts';
import { actorCell, formatTable, shortTime, unverifiedNote } from './table.ts';

export const filterOptions = {
  actor: { type: 'string' },
  target: { type: 'string' },
  account: { type: 'string' },
  region: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Filters and row limit from the shared listing flags; throws UsageError on a bad value. */
export function filtersFrom(values: {
  actor?: string;
  target?: string;
  account?: string;
  region?: string;
  since?: string;
  until?: string;
  limit?: string;
}): { filters: SessionFilters; limit: number | undefined } {
  return {
    filters: {
      actor: values.actor,
      target: values.target,
      accountId: values.account,
      region: values.region,
      since: parseTimeFlag(values.since, 'since'),
      until: parseTimeFlag(values.until, 'until'),
    },
    limit: parseIntegerFlag(values.limit, 'limit', 1),
  };
}

/** Flags only `sessions` takes (attempts have no coverage, commands or alerts), named as in the API. */
const sessionOnlyOptions = {
  kind: { type: 'string' },
  principal: { type: 'string' },
  coverage: { type: 'string' },
  text: { type: 'string' },
  alerts: { type: 'string' },
  'alert-level': { type: 'string' },
} as const;

function choice<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** The filters only `sessions` has; throws UsageError on a bad value. */
export function sessionOnlyFilters(values: {
  principal?: string;
  coverage?: string;
  text?: string;
  alerts?: string;
  'alert-level'?: string;
}): SessionFilters {
  if (values.text !== undefined && (values.text.trim() === '' || values.text.length > MAX_QUERY_CHARS))
    throw new UsageError(`--text: expected 1 to ${MAX_QUERY_CHARS} characters`);
  return {
    principal: values.principal,
    coverage: choice(values.coverage, 'coverage', COVERAGE_STATES),
    text: values.text,
    alerts: choice(values.alerts, 'alerts', ['open', 'any'] as const),
    alertLevel: choice<AlertLevel>(values['alert-level'], 'alert-level', ALERT_LEVELS),
  };
}

/** `shelltrail sessions`: every session CloudTrail (and the other sources) told us about. */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, { ...filterOptions, ...sessionOnlyOptions }, false);
  const { filters, limit } = filtersFrom(values);
  const kind = parseKindFlag(values.kind);
  const more = sessionOnlyFilters(values);
  const config = configFor(ctx, values);
  // --limit N is one page of N; without it every page.
  const rows = await withStore(config, (store) =>
    readPages((page) => store.sessions.list({ ...filters, ...more, kind }, page), LISTING_PAGE, limit),
  );
  if (values.json) {
    writeJson(ctx.stdout, rows.map(sessionJson));
    return 0;
  }
  printSessionsTable(ctx.stdout, rows);
  return 0;
}

export function printSessionsTable(out: NodeJS.WritableStream, rows: SessionRow[]): void {
  if (rows.length === 0) {
    writeLine(out, 'no sessions');
    return;
  }
  const table = formatTable(
    [
      'STARTED (UTC)',
      'ENDED (UTC)',
      'END',
      'KIND',
      'ACTOR',
      'ACCOUNT',
      'REGION',
      'TARGET',
      'COVERAGE',
      'SESSION',
    ],
    rows.map((s) => [
      shortTime(s.startedAt),
      shortTime(s.endedAt),
      s.endSource,
      s.kind,
      actorCell(s.actor, s.identityVerified, 40),
      s.accountId,
      s.region,
      s.target,
      s.coverage,
      s.sessionId,
    ]),
    40,
  );
  for (const line of table) writeLine(out, line);
  writeLine(out, `${rows.length} session${rows.length === 1 ? '' : 's'}`);
  const note = unverifiedNote(rows.filter((s) => !s.identityVerified).length, 'sessions');
  if (note) writeLine(out, note);
}
