import { existsSync } from 'node:fs';
import { startProgress, summaryLines } from '../ingest/progress.ts';
import { emptyCounters } from '../ingest/source.ts';
import { localDirSource } from '../ingest/sources/local-dir.ts';
import { abortOnSignals, runWorker } from '../ingest/worker.ts';
import { countFindings } from '../store/transcripts.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  sessionSettings,
  UsageError,
  withStore,
  writeLine,
} from './context.ts';

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
  const log = (line: string) => writeLine(ctx.stderr, line);
  const pauseAfterFileMs = Number(ctx.env.SHELLTRAIL_TEST_SLOW_MS ?? 0) || undefined;
  return withStore(config, async (store) => {
    const controller = new AbortController();
    const removeHooks = abortOnSignals(controller, log);
    const counters = emptyCounters();
    const progress = values.quiet ? { stop() {} } : startProgress(ctx.stderr, counters);
    const started = Date.now();
    let stopped = false;
    try {
      const report = await runWorker({
        store,
        sources: [localDirSource(dir, { pauseAfterFileMs })],
        settings: await sessionSettings(config, log),
        terminal: config.terminal,
        once: true,
        intervalMs: 0,
        signal: controller.signal,
        log,
        holder: `shelltrail import ${dir}`,
        counters,
      });
      progress.stop();
      stopped = true;
      for (const line of summaryLines(report.counters, Date.now() - started, countFindings(store)))
        writeLine(ctx.stdout, line);
      if (ctx.env.SHELLTRAIL_REPORT_RSS) writeLine(ctx.stderr, `maxRSS=${process.resourceUsage().maxRSS}`);
      if (report.failures.length > 0) return 1;
      return controller.signal.aborted ? 130 : 0;
    } finally {
      if (!stopped) progress.stop();
      removeHooks();
    }
  });
}
