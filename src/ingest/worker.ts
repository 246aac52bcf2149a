/**
 * The ingest loop: holds the writer lease, polls every source in turn, commits what they hand over
 * (one transaction per batch), and keeps going when one source fails: the failure is reported,
 * that source backs off, and the others continue. Stops cleanly when its signal aborts.
 */
import { type Config, DEFAULT_CONFIG } from '../config.ts';
import { LeaseHeldError } from '../errors.ts';
import { type BatchOutcome, type EvidenceBatch, writeBatch } from '../store/evidence.ts';
import { acquireWriterLease, type WriterLease } from '../store/lease.ts';
import type { Store } from '../store/open.ts';
import { type ProjectionSettings, refreshTimeDependentSessions } from '../store/sessions.ts';
import { runExtractPass } from './extract-pass.ts';
import { describeError } from './retry.ts';
import { emptyCounters, type IngestCounters, type Source, type SourceContext } from './source.ts';

export interface WorkerOptions {
  store: Store;
  sources: Source[];
  settings: ProjectionSettings;
  /** Terminal defaults for command extraction, which runs after every poll (default: config defaults). */
  terminal?: Config['terminal'];
  /** Run command extraction after each poll (default true); tests of sources alone turn it off. */
  extract?: boolean;
  /** Poll every source once and return (import, `ingest --once`); else poll until aborted. */
  once: boolean;
  intervalMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Lease holder name shown to a second writer, e.g. `shelltrail import`. */
  holder: string;
  /** How long to wait for another writer's lease before giving up. */
  leaseWaitMs?: number;
  /** Counters to fold into (the caller may render them as progress). */
  counters?: IngestCounters;
  /** Cap on the per-source backoff after repeated failures. */
  maxBackoffMs?: number;
}

export interface SourceFailure {
  sourceId: string;
  message: string;
  consecutive: number;
}

export interface WorkerReport {
  counters: IngestCounters;
  failures: SourceFailure[];
  polls: number;
}

const RENEW_EVERY_MS = 10_000;

/**
 * Runs the sources. Throws LeaseHeldError when another writer keeps the lease past leaseWaitMs.
 *
 * @example await runWorker({ store, sources: [localDirSource(dir)], settings, once: true, intervalMs: 0, signal, log, holder: 'import' })
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerReport> {
  const { store, signal, log } = options;
  const counters = options.counters ?? emptyCounters();
  const lease = await acquireWriterLease(store, options.holder, { waitMs: options.leaseWaitMs ?? 2_000 });
  const renewTimer = setInterval(() => safeRenew(lease, log), RENEW_EVERY_MS);
  renewTimer.unref();
  const failures = new Map<string, SourceFailure & { retryAt: number }>();
  const maxBackoffMs = options.maxBackoffMs ?? 6 * 3_600_000;
  let polls = 0;
  try {
    for (;;) {
      polls++;
      const before = { ...counters };
      for (const source of options.sources) {
        if (signal.aborted) break;
        const failed = failures.get(source.id);
        if (failed && Date.now() < failed.retryAt) continue;
        try {
          await source.poll(sourceContext(options, source.id, counters, lease));
          if (failed) log(`source ${source.id} recovered`);
          failures.delete(source.id);
        } catch (err) {
          if (err instanceof LeaseHeldError) throw err;
          const consecutive = (failed?.consecutive ?? 0) + 1;
          const backoff = Math.min(maxBackoffMs, Math.max(options.intervalMs, 1000) * 2 ** (consecutive - 1));
          const message = describeError(err);
          failures.set(source.id, {
            sourceId: source.id,
            message,
            consecutive,
            retryAt: Date.now() + backoff,
          });
          log(
            `source ${source.id} failed (${consecutive}x): ${message}` +
              (options.once ? '' : `; next try in ${Math.round(backoff / 1000)} s`),
          );
        }
      }
      refreshTimeDependentSessions(store, options.settings);
      // Extraction reads what the sources just stored; it runs here rather than inside each batch so
      // that fetching never waits on the (CPU-heavy) terminal emulation.
      if (options.extract !== false && !signal.aborted)
        await runExtractPass(
          store,
          { terminal: options.terminal ?? DEFAULT_CONFIG.terminal },
          counters,
          signal,
        );
      if (options.once || signal.aborted) break;
      // A daemon's operator sees each poll's yield; a one-shot run prints its summary instead.
      log(pollLine(polls, before, counters));
      await sleep(options.intervalMs, signal);
      if (signal.aborted) break;
    }
  } finally {
    clearInterval(renewTimer);
    lease.release();
  }
  return {
    counters,
    failures: [...failures.values()].map(({ retryAt: _, ...f }) => f),
    polls,
  };
}

function pollLine(poll: number, before: IngestCounters, after: IngestCounters): string {
  const delta = (key: keyof Omit<IngestCounters, 'quarantineReasons'>) => after[key] - before[key];
  return (
    `poll ${poll}: ${delta('sessionEvents')} session events, ${delta('sessionsCreated')} new sessions, ` +
    `${delta('transcripts')} transcripts, ${delta('commandsExtracted')} commands, ${delta('quarantined')} quarantined`
  );
}

function sourceContext(
  options: WorkerOptions,
  sourceId: string,
  counters: IngestCounters,
  lease: WriterLease,
): SourceContext {
  let lastRenew = Date.now();
  return {
    store: options.store,
    settings: options.settings,
    counters,
    signal: options.signal,
    log: (message) => options.log(`${sourceId}: ${message}`),
    write(batch: Omit<EvidenceBatch, 'sourceId'>): BatchOutcome {
      const outcome = writeBatch(options.store, { ...batch, sourceId }, options.settings);
      counters.sessionEvents += outcome.ctEventsInserted;
      counters.transcripts += outcome.transcriptsInserted;
      counters.sessionsCreated += outcome.sessionsCreated;
      counters.sessionsUpdated += outcome.sessionsUpdated;
      counters.quarantined += outcome.quarantined;
      if (outcome.quarantined > 0) {
        for (const q of batch.quarantine ?? []) {
          counters.quarantineReasons[q.reason] = (counters.quarantineReasons[q.reason] ?? 0) + 1;
        }
      }
      // Long synchronous stretches can starve the renew timer; renewing here keeps the lease alive.
      if (Date.now() - lastRenew > RENEW_EVERY_MS / 2) {
        lease.renew();
        lastRenew = Date.now();
      }
      return outcome;
    },
  };
}

function safeRenew(lease: WriterLease, log: (line: string) => void): void {
  try {
    lease.renew();
  } catch (err) {
    log(`could not renew the writer lease: ${(err as Error).message}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Turns the first SIGINT/SIGTERM into an abort (the worker finishes the batch in hand, releases
 * the lease and returns); a second one exits at once. Returns the function that removes the hooks.
 */
export function abortOnSignals(controller: AbortController, log: (line: string) => void): () => void {
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    log(`${name}: stopping after the current batch (again to force)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
