import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { createLocalDirSource } from '../ingest/sources/local-dir.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { runWorkerCommand } from './run-worker.ts';

/**
 * `shelltrail import <dir>`: imports a local folder (trail copy, loose trail files, NDJSON, saved
 * lookup-events / describe-sessions output, and whatever else the local-dir handlers read) through
 * the same worker as `ingest`, under the writer lease. Progress on a terminal, summary always.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, { quiet: { type: 'boolean', short: 'q' } });
  if (positionals.length !== 1) throw new UsageError('expected exactly one folder to import');
  const dir = positionals[0]!;
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such file or folder`);
  const config = configFor(ctx, values);
  const log = (line: string) => writeLine(ctx.stderr, visible(line));
  const pauseAfterFileMs = Number(ctx.env.SHELLTRAIL_TEST_SLOW_MS ?? 0) || undefined;
  return withStore(config, async (store) => {
    const report = await runWorkerCommand(ctx, config, store, {
      sources: [createLocalDirSource(dir, { pauseAfterFileMs })],
      once: true,
      intervalMs: 0,
      holder: `shelltrail import ${dir}`,
      log,
      progress: !values.quiet,
      summaryPrefix: '',
    });
    if (report.failures.length > 0) return 1;
    return report.aborted ? 130 : 0;
  });
}
