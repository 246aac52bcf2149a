import { quarantineJson } from '../analyze/shapes.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { writeJson } from './json-out.ts';
import { readPages } from './pages.ts';
import { formatTable } from './table.ts';

/** The largest page evidence.listQuarantine accepts. */
const QUARANTINE_PAGE = 10_000;

/**
 * `shelltrail quarantine`: the evidence items ingestion set aside as unusable (a corrupt gzip, a
 * record nested too deep, a transcript that grew while read, a symlink out of the folder...), per
 * source, with why. Nothing set aside is silently lost: this is where an auditor sees it.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, { json: { type: 'boolean' }, source: { type: 'string' } }, false);
  const config = configFor(ctx, values);
  const filter = values.source === undefined ? {} : { sourceId: values.source };
  const rows = await withStore(config, (store) =>
    readPages((page) => store.evidence.listQuarantine(filter, page), QUARANTINE_PAGE),
  );
  if (values.json) {
    writeJson(ctx.stdout, rows.map(quarantineJson));
    return 0;
  }
  if (rows.length === 0) {
    writeLine(ctx.stdout, 'nothing quarantined');
    return 0;
  }
  const table = formatTable(
    ['SOURCE', 'ITEM', 'REASON', 'DETAIL'],
    rows.map((q) => [q.sourceId, q.itemKey, q.reason, q.detail ?? '']),
    80,
  );
  for (const line of table) writeLine(ctx.stdout, line);
  writeLine(ctx.stdout, `${rows.length} item${rows.length === 1 ? '' : 's'} quarantined`);
  return 0;
}
