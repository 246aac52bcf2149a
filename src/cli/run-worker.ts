/**
 * What `import`, `ingest` and `demo` share: run the ingest worker under the writer lease with
 * SIGINT/SIGTERM turned into a clean stop, a progress line on a terminal, and the summary after.
 */
import { detectionPasses } from '../alerts/passes.ts';
import { extractPass } from '../analyze/extract-pass.ts';
import type { Config } from '../config.ts';
import { startProgress, summaryLines } from '../ingest/progress.ts';
import { emptyCounters, type Source } from '../ingest/source.ts';
import { abortOnSignals, runWorker, type WorkerEvents, type WorkerReport } from '../ingest/worker.ts';
import type { Store } from '../store/index.ts';
import { type CommandContext, sessionSettings, writeLine } from './context.ts';

export interface WorkerRun {
  sources: Source[];
  once: boolean;
  intervalMs: number;
  /** Shown to a second writer that finds the lease taken. */
  holder: string;
  log: (line: string) => void;
  /**
   * Structured poll and source reports (`ingest`, with cli/worker-log.ts): then the poll lines and
   * source failures go there rather than to `log`.
   */
  events?: WorkerEvents;
  /** Redraw a progress line on stderr when it is a terminal. */
  progress: boolean;
  /** Print the summary to stdout (indented by this prefix), or not at all with null. */
  summaryPrefix: string | null;
}

export async function runWorkerCommand(
  ctx: CommandContext,
  config: Config,
  store: Store,
  run: WorkerRun,
): Promise<WorkerReport & { aborted: boolean }> {
  const controller = new AbortController();
  const removeHooks = abortOnSignals(controller, run.log);
  const counters = emptyCounters();
  const progress = run.progress ? startProgress(ctx.stderr, counters) : { stop() {} };
  const started = Date.now();
  let stopped = false;
  try {
    const report = await runWorker({
      store,
      sources: run.sources,
      // The passes that run after every poll over what it stored: extraction, then detection's.
      passes: [extractPass, ...detectionPasses(config)],
      settings: await sessionSettings(config, run.log),
      terminal: config.terminal,
      once: run.once,
      intervalMs: run.intervalMs,
      signal: controller.signal,
      log: run.log,
      ...(run.events ? { events: run.events } : {}),
      holder: run.holder,
      counters,
    });
    progress.stop();
    stopped = true;
    if (run.summaryPrefix !== null) {
      const findings = await store.findings.countByKind();
      for (const line of summaryLines(report.counters, Date.now() - started, findings)) {
        writeLine(ctx.stdout, `${run.summaryPrefix}${line}`);
      }
    }
    // Benchmarks read the importer's own peak memory from here.
    if (ctx.env.SHELLTRAIL_REPORT_RSS) writeLine(ctx.stderr, `maxRSS=${process.resourceUsage().maxRSS}`);
    return { ...report, aborted: controller.signal.aborted };
  } finally {
    if (!stopped) progress.stop();
    removeHooks();
  }
}
