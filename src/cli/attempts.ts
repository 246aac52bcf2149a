import { attemptJson } from '../analyze/shapes.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { writeJson } from './json-out.ts';
import { LISTING_PAGE, readPages } from './pages.ts';
import { filterOptions, filtersFrom } from './sessions.ts';
import { formatTable, shortTime } from './table.ts';

/** `shelltrail attempts`: StartSession calls that were denied or failed (no session came of them). */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, filterOptions, false);
  const { filters, limit } = filtersFrom(values);
  const config = configFor(ctx, values);
  const rows = await withStore(config, (store) =>
    readPages((page) => store.sessions.listAttempts(filters, page), LISTING_PAGE, limit),
  );
  if (values.json) {
    writeJson(ctx.stdout, rows.map(attemptJson));
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
