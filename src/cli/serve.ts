/**
 * `shelltrail serve [--host 127.0.0.1] [--port 8080] [--no-ingest] [--read-workers N]`: the API
 * and web UI, and by default the ingest worker in the same process (one machine: the writer lease
 * keeps one ingest writer). With `--read-workers N` the HTTP reads go through N worker threads with
 * their own read-only connections, so a slow query does not hold every request (default 0: on the
 * main thread). Prints `listening on http://HOST:PORT` once the server answers, then a
 * one-time sign-in link. SIGINT/SIGTERM: the batch being written commits, the server and store
 * close, exit 0.
 */
import { detectionPasses } from '../alerts/passes.ts';
import { extractPass } from '../analyze/extract-pass.ts';
import { ApiMetrics } from '../api/metrics.ts';
import { buildSources } from '../ingest/sources/index.ts';
import { abortOnSignals, runWorker } from '../ingest/worker.ts';
import { createLogger } from '../server/logger.ts';
import { createReadPool, type ReadPool, withReadPool } from '../server/read-pool.ts';
import { startUiServer, untilAborted } from '../server/ui-server.ts';
import { openStore } from '../store/index.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  sessionSettings,
  writeLine,
} from './context.ts';
import { workerLog } from './worker-log.ts';

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(
    ctx,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      'no-ingest': { type: 'boolean' },
      'read-workers': { type: 'string' },
    },
    false,
  );
  const config = configFor(ctx, values);
  const host = values.host ?? config.server.host;
  const port = parseIntegerFlag(values.port, 'port', 0, 65535) ?? config.server.port;
  // Off by default: on the 2-core bench machine the pool measured slower than the event loop
  // (bench/api.ts prints both); a larger machine with slow searches may gain from it.
  const readWorkers = parseIntegerFlag(values['read-workers'], 'read-workers', 0, 16) ?? 0;
  const log = createLogger(ctx.stderr);
  const store = await openStore(config.db);
  const metrics = new ApiMetrics();
  const controller = new AbortController();
  const removeHooks = abortOnSignals(controller, (line) => log.info(line));
  let pool: ReadPool | undefined;
  try {
    if (readWorkers > 0) pool = await createReadPool(store.location, readWorkers);
    const served = pool ? withReadPool(store, pool) : store;
    const server = await startUiServer(served, config, { host, port, log, metrics });
    writeLine(ctx.stdout, `listening on ${server.url}`);
    writeLine(ctx.stdout, `sign in (one-time link, 15 minutes): ${server.signInLink}`);
    // The same test hook as `import`'s: a pause after each local file, one batch per file.
    const pauseAfterFileMs = Number(ctx.env.SHELLTRAIL_TEST_SLOW_MS ?? 0) || undefined;
    const sources = values['no-ingest'] ? [] : buildSources(config, { localDirs: { pauseAfterFileMs } });
    if (sources.length > 0) {
      // Each source's polls feed /metrics (lag, errors) and the log, from the worker's own reports.
      const worker = workerLog(log, (report) => metrics.sourcePolled(report));
      await runWorker({
        store,
        sources,
        passes: [extractPass, ...detectionPasses(config)],
        settings: await sessionSettings(config, worker.line),
        terminal: config.terminal,
        once: false,
        intervalMs: config.pollIntervalSeconds * 1000,
        signal: controller.signal,
        holder: 'shelltrail serve',
        log: worker.line,
        events: worker.events,
      });
    } else {
      log.info(values['no-ingest'] ? 'ingest off (--no-ingest)' : 'no sources configured: serving only');
      await untilAborted(controller.signal);
    }
    await server.close();
    log.info('stopped');
    return 0;
  } finally {
    removeHooks();
    await pool?.close();
    await store.close();
  }
}
