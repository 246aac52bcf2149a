import { summaryLines } from '../ingest/progress.ts';
import { emptyCounters } from '../ingest/source.ts';
import { buildSources } from '../ingest/sources/index.ts';
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
 * `shelltrail ingest [--once]`: runs every configured source, once or polling on an interval until
 * SIGINT/SIGTERM. A failing source is reported and retried with backoff; the others continue.
 * Exit code 0, or 1 when a source failed in a `--once` run; 3 when another writer holds the store.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(
    ctx,
    { once: { type: 'boolean' }, interval: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } },
    false,
  );
  const config = configFor(ctx, values);
  const intervalSeconds =
    values.interval === undefined ? config.pollIntervalSeconds : Number(values.interval);
  if (!(intervalSeconds > 0))
    throw new UsageError(`--interval: expected seconds > 0, got "${values.interval}"`);
  const sources = buildSources(config);
  const log = (line: string) => writeLine(ctx.stderr, `${new Date().toISOString()} ${line}`);
  if (sources.length === 0) {
    writeLine(ctx.stderr, 'shelltrail ingest: no sources configured (see the README, "Configuration")');
    return 2;
  }
  return withStore(config, async (store) => {
    const controller = new AbortController();
    const removeHooks = abortOnSignals(controller, log);
    const counters = emptyCounters();
    const started = Date.now();
    try {
      log(`ingesting from ${sources.map((s) => s.id).join(', ')}${values.once ? ' (once)' : ''}`);
      const report = await runWorker({
        store,
        sources,
        settings: await sessionSettings(config, log),
        terminal: config.terminal,
        once: values.once ?? false,
        intervalMs: intervalSeconds * 1000,
        signal: controller.signal,
        log,
        holder: 'shelltrail ingest',
        counters,
      });
      if (!values.quiet)
        for (const line of summaryLines(report.counters, Date.now() - started, countFindings(store)))
          writeLine(ctx.stdout, line);
      for (const f of report.failures) writeLine(ctx.stderr, `source ${f.sourceId} failed: ${f.message}`);
      return values.once && report.failures.length > 0 ? 1 : 0;
    } finally {
      removeHooks();
    }
  });
}
