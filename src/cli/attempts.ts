import { type AttemptRow, listAttempts } from '../store/session-queries.ts';
import {
  type CommandContext,
  configFor,
  isoOrNull,
  parseCommandArgs,
  withStore,
  writeLine,
} from './context.ts';
import { filterOptions, filtersFrom } from './sessions.ts';
import { formatTable, shortTime } from './table.ts';

/** The `--json` shape of a denied attempt. */
export function attemptJson(a: AttemptRow) {
  return {
    eventId: a.eventId,
    at: isoOrNull(a.eventTime),
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    accountId: a.accountId,
    region: a.region,
    target: a.target,
    documentName: a.documentName,
    reason: a.reason,
    principalArn: a.principalArn,
    principalType: a.principalType,
    actor: a.actor,
    sourceIp: a.sourceIp,
    userAgent: a.userAgent,
  };
}

/** `shelltrail attempts`: StartSession calls that were denied or failed (no session came of them). */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, filterOptions, false);
  const filters = filtersFrom(values);
  const config = configFor(ctx, values);
  const rows = await withStore(config, (store) => listAttempts(store, filters));
  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(rows.map(attemptJson), null, 2));
    return 0;
  }
  if (rows.length === 0) {
    writeLine(ctx.stdout, 'no denied attempts');
    return 0;
  }
  const table = formatTable(
    ['AT (UTC)', 'ERROR', 'ACTOR', 'ACCOUNT', 'REGION', 'TARGET', 'DOCUMENT', 'SOURCE IP'],
    rows.map((a) => [
      shortTime(a.eventTime),
      a.errorCode,
      a.actor,
      a.accountId,
      a.region,
      a.target,
      a.documentName,
      a.sourceIp,
    ]),
  );
  for (const line of table) writeLine(ctx.stdout, line);
  writeLine(ctx.stdout, `${rows.length} attempt${rows.length === 1 ? '' : 's'}`);
  return 0;
}
