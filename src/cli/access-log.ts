/** `shelltrail access-log [--json] [--limit N]`: the access trail, newest first. */
import { isoOrNull } from '../analyze/shapes.ts';
import { visible } from '../util/visible.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  withStore,
  writeLine,
} from './context.ts';
import { writeJson } from './json-out.ts';
import { formatTable, shortTime } from './table.ts';

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, { json: { type: 'boolean' }, limit: { type: 'string' } }, false);
  const limit = parseIntegerFlag(values.limit, 'limit', 1, 5000) ?? 500;
  const config = configFor(ctx, values);
  const page = await withStore(config, (store) => store.accessTrail.list({}, { limit }));
  if (values.json) {
    writeJson(
      ctx.stdout,
      page.items.map((e) => ({ ...e, at: isoOrNull(e.at) })),
    );
    return 0;
  }
  if (page.items.length === 0) {
    writeLine(ctx.stdout, 'no access recorded');
    return 0;
  }
  const rows = page.items.map((e) => [
    shortTime(e.at),
    e.action,
    visible(e.actor),
    e.role,
    e.sourceIp,
    e.subject === null ? null : visible(e.subject),
  ]);
  for (const line of formatTable(['TIME (UTC)', 'ACTION', 'WHO', 'ROLE', 'FROM', 'WHAT'], rows, 60))
    writeLine(ctx.stdout, line);
  return 0;
}
