import { UsageError } from '../errors.ts';
import { buildSources } from '../ingest/sources/index.ts';
import { createLogger } from '../server/logger.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore } from './context.ts';
import { runWorkerCommand } from './run-worker.ts';
import { workerLog } from './worker-log.ts';

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
  // Structured lines like `serve`'s: JSON off a terminal (for log shippers), readable on one.
  const logger = createLogger(ctx.stderr);
  const worker = workerLog(logger);
  if (sources.length === 0) {
    logger.error({ component: 'ingest' }, 'no sources configured (see the README, "Configuration")');
    return 2;
  }
  return withStore(config, async (store) => {
    logger.info(
      { component: 'ingest', sources: sources.map((s) => s.id), once: values.once ?? false },
      'ingesting',
    );
    const report = await runWorkerCommand(ctx, config, store, {
      sources,
      once: values.once ?? false,
      intervalMs: intervalSeconds * 1000,
      holder: 'shelltrail ingest',
      log: worker.line,
      events: worker.events,
      progress: false,
      summaryPrefix: values.quiet ? null : '',
    });
    // Each failed source was logged as it failed (workerLog: `source failed`).
    return values.once && report.failures.length > 0 ? 1 : 0;
  });
}
