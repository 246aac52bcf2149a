import { findingJson } from '../analyze/shapes.ts';
import { UsageError } from '../errors.ts';
import type { FindingKind } from '../store/index.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { writeJson } from './json-out.ts';
import { LISTING_PAGE, readPages } from './pages.ts';
import { formatTable, shortTime } from './table.ts';

const KINDS: FindingKind[] = ['missing', 'partial', 'integrity'];

/**
 * `shelltrail findings`: sessions whose transcript should exist and does not (missing), is
 * incomplete (partial), or contradicts CloudTrail / was rewritten (integrity).
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(
    ctx,
    { json: { type: 'boolean' }, kind: { type: 'string', multiple: true } },
    false,
  );
  const kinds = (values.kind ?? [])
    .flatMap((k) => k.split(','))
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of kinds) {
    if (!(KINDS as string[]).includes(k))
      throw new UsageError(`--kind: expected one of ${KINDS.join(', ')}, got "${k}"`);
  }
  const config = configFor(ctx, values);
  const rows = await withStore(config, (store) =>
    readPages((page) => store.findings.list({ kinds: kinds as FindingKind[] }, page), LISTING_PAGE),
  );
  if (values.json) {
    writeJson(ctx.stdout, rows.map(findingJson));
    return 0;
  }
  if (rows.length === 0) {
    writeLine(ctx.stdout, 'no findings');
    return 0;
  }
  const table = formatTable(
    ['KIND', 'CODE', 'STARTED (UTC)', 'ACTOR', 'TARGET', 'SESSION', 'DETAIL'],
    rows.map((f) => [
      f.kind,
      f.code.split(':')[0]!,
      shortTime(f.startedAt),
      f.actor,
      f.target,
      f.sessionId,
      f.detail,
    ]),
    80,
  );
  for (const line of table) writeLine(ctx.stdout, line);
  const counts = KINDS.map((k) => `${rows.filter((f) => f.kind === k).length} ${k}`).join(', ');
  writeLine(ctx.stdout, `${rows.length} finding${rows.length === 1 ? '' : 's'} (${counts})`);
  return 0;
}
