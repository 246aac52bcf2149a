import { listSessions, type SessionFilters, type SessionRow } from '../store/session-queries.ts';
import {
  type CommandContext,
  configFor,
  isoOrNull,
  parseCommandArgs,
  parseIntegerFlag,
  parseKindFlag,
  parseTimeFlag,
  withStore,
  writeLine,
} from './context.ts';
import { formatTable, shortTime } from './table.ts';

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

/** Filters from the shared listing flags; throws UsageError on a bad value. */
export function filtersFrom(values: {
  actor?: string;
  target?: string;
  account?: string;
  region?: string;
  since?: string;
  until?: string;
  limit?: string;
}): SessionFilters {
  const limit = parseIntegerFlag(values.limit, 'limit', 1);
  return {
    actor: values.actor,
    target: values.target,
    accountId: values.account,
    region: values.region,
    since: parseTimeFlag(values.since, 'since'),
    until: parseTimeFlag(values.until, 'until'),
    limit,
  };
}

/** The `--json` shape: stable camelCase fields, ISO-8601 UTC times, null when unknown. */
export function sessionJson(s: SessionRow) {
  return {
    sessionId: s.sessionId,
    kind: s.kind,
    startedAt: isoOrNull(s.startedAt),
    endedAt: isoOrNull(s.endedAt),
    endSource: s.endSource,
    accountId: s.accountId,
    region: s.region,
    target: s.target,
    principalArn: s.principalArn,
    principalType: s.principalType,
    actor: s.actor,
    sourceIp: s.sourceIp,
    userAgent: s.userAgent,
    documentName: s.documentName,
    parameters: s.parameters ? (JSON.parse(s.parameters) as unknown) : null,
    reason: s.reason,
    status: s.status,
    terminatedBy: s.terminatedBy,
    coverage: s.coverage,
    transcriptSources: s.transcriptSources,
    // false: identity and target come only from a transcript, which the node wrote (unconfirmed).
    identityVerified: s.identityVerified,
    runAsUser: s.runAsUser,
    termCols: s.termCols,
  };
}

/** `shelltrail sessions`: every session CloudTrail (and the other sources) told us about. */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, { ...filterOptions, kind: { type: 'string' } }, false);
  const filters = { ...filtersFrom(values), kind: parseKindFlag(values.kind) };
  const config = configFor(ctx, values);
  const rows = await withStore(config, (store) => listSessions(store, filters));
  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(rows.map(sessionJson), null, 2));
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
      s.identityVerified ? s.actor : `${s.actor ?? '?'} (unverified)`,
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
  const unverified = rows.filter((s) => !s.identityVerified).length;
  if (unverified > 0) {
    writeLine(
      out,
      `${unverified} known only from transcripts: their identity is the node's claim, not CloudTrail's`,
    );
  }
}
