import { type FindingKind, listFindings } from '../store/transcripts.ts';
import {
  type CommandContext,
  configFor,
  isoOrNull,
  parseCommandArgs,
  UsageError,
  withStore,
  writeLine,
} from './context.ts';
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
  const rows = await withStore(config, (store) => listFindings(store, { kinds: kinds as FindingKind[] }));
  if (values.json) {
    const json = rows.map((f) => ({
      findingId: f.findingId,
      kind: f.kind,
      code: f.code,
      sessionId: f.sessionId,
      detail: f.detail,
      detectedAt: isoOrNull(f.detectedAt),
      actor: f.actor,
      target: f.target,
      sessionStartedAt: isoOrNull(f.startedAt),
    }));
    writeLine(ctx.stdout, JSON.stringify(json, null, 2));
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
