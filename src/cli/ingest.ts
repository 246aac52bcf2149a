import { UsageError } from '../errors.ts';
import { buildSources } from '../ingest/sources/index.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { runWorkerCommand } from './run-worker.ts';

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
  const log = (line: string) => writeLine(ctx.stderr, `${new Date().toISOString()} ${visible(line)}`);
  if (sources.length === 0) {
    writeLine(ctx.stderr, 'shelltrail ingest: no sources configured (see the README, "Configuration")');
    return 2;
  }
  return withStore(config, async (store) => {
    log(`ingesting from ${sources.map((s) => s.id).join(', ')}${values.once ? ' (once)' : ''}`);
    const report = await runWorkerCommand(ctx, config, store, {
      sources,
      once: values.once ?? false,
      intervalMs: intervalSeconds * 1000,
      holder: 'shelltrail ingest',
      log,
      progress: false,
      summaryPrefix: values.quiet ? null : '',
    });
    for (const f of report.failures) writeLine(ctx.stderr, `source ${f.sourceId} failed: ${f.message}`);
    return values.once && report.failures.length > 0 ? 1 : 0;
  });
}
