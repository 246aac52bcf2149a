/**
 * The ingest loop: holds the writer lease, polls every source in turn, commits what they hand over
 * (one transaction per batch), then runs the passes (command extraction today) over what the poll
 * stored. One failing source is reported and backed off while the others continue; a lost lease
 * stops everything, since another writer now owns the store. Stops cleanly when its signal aborts.
 */

import type { Pass } from '../analyze/pass.ts';
import { type Config, DEFAULT_CONFIG } from '../config.ts';
import { LeaseHeldError } from '../errors.ts';
import type { EvidenceBatch, ProjectionSettings, Store } from '../store/index.ts';
import { describeError } from './aws/retry.ts';
import { keepLease, type LeaseKeeper } from './lease-keeper.ts';
import {
  addPassCounters,
  emptyCounters,
  type IngestCounters,
  type Source,
  type SourceContext,
} from './source.ts';

export interface WorkerOptions {
  store: Store;
  sources: Source[];
  settings: ProjectionSettings;
  /**
   * Run after every poll, in order, over what the poll stored; their counters are added into
   * `counters.passes` by key. The CLI passes `[extractPass]`; tests of sources alone pass none.
   */
  passes?: Pass[];
  /** Terminal defaults the passes use (default: config defaults). */
  terminal?: Config['terminal'];
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
  /**
   * Structured reports for callers that log fields or keep metrics (`serve`, `ingest`). When given,
   * the poll summary and the source failed/recovered lines go here instead of to `log`.
   */
  events?: WorkerEvents;
  /** The clock (ms) poll outcomes are stamped with; tests move it. */
  now?: () => number;
}

/** One source's poll: `error` when it failed, with how many times in a row and when it is tried next. */
export interface SourcePollReport {
  sourceId: string;
  at: number;
  error?: string;
  consecutive?: number;
  retryAt?: number;
  /** A success after failures. */
  recovered?: boolean;
}

/** What one poll of every source brought in (a daemon's poll; `once` runs report their summary). */
export interface PollSummary {
  poll: number;
  sessionEvents: number;
  sessionsCreated: number;
  transcripts: number;
  commands: number;
  quarantined: number;
  /** Sources that are failing (backing off) after this poll. */
  failingSources: string[];
}

export interface WorkerEvents {
  /** After every source's poll, success or failure (also recorded in the store: evidence.recordPoll). */
  sourcePolled?(report: SourcePollReport): void;
  /** After each poll of a daemon (not `once`). */
  polled?(summary: PollSummary): void;
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

/**
 * Runs the sources, then the passes, once or until aborted. Throws LeaseHeldError when another
 * writer keeps the lease past leaseWaitMs, and LeaseLostError when this worker loses it mid-run.
 *
 * @example await runWorker({ store, sources: [createLocalDirSource(dir)], passes: [extractPass], settings, once: true, intervalMs: 0, signal, log, holder: 'import' })
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerReport> {
  const { store, log, events } = options;
  const now = options.now ?? Date.now;
  const counters = options.counters ?? emptyCounters();
  const lease = await store.lease.acquire(options.holder, { waitMs: options.leaseWaitMs ?? 2_000 });
  const keeper = keepLease(lease, log);
  // Sources and passes stop on the caller's abort and on a lost lease alike.
  const signal = AbortSignal.any([options.signal, keeper.lostSignal]);
  const failures = new Map<string, SourceFailure & { retryAt: number }>();
  const maxBackoffMs = options.maxBackoffMs ?? 6 * 3_600_000;
  let polls = 0;
  try {
    for (;;) {
      polls++;
      const before = structuredClone(counters);
      for (const source of options.sources) {
        if (signal.aborted) break;
        const failed = failures.get(source.id);
        if (failed && now() < failed.retryAt) continue;
        let report: SourcePollReport;
        try {
          await source.poll(sourceContext(options, source.id, counters, signal, keeper));
          keeper.throwIfLost();
          if (failed && !events) log(`source ${source.id} recovered`);
          failures.delete(source.id);
          report = { sourceId: source.id, at: now(), ...(failed ? { recovered: true } : {}) };
        } catch (err) {
          keeper.throwIfLost(err);
          if (err instanceof LeaseHeldError) throw err;
          const consecutive = (failed?.consecutive ?? 0) + 1;
          const backoff = Math.min(maxBackoffMs, Math.max(options.intervalMs, 1000) * 2 ** (consecutive - 1));
          const message = describeError(err);
          const at = now();
          failures.set(source.id, { sourceId: source.id, message, consecutive, retryAt: at + backoff });
          if (!events)
            log(
              `source ${source.id} failed (${consecutive}x): ${message}` +
                (options.once ? '' : `; next try in ${Math.round(backoff / 1000)} s`),
            );
          report = {
            sourceId: source.id,
            at,
            error: message,
            consecutive,
            ...(options.once ? {} : { retryAt: at + backoff }),
          };
        }
        // A poll cut short by a stop neither succeeded nor failed.
        if (signal.aborted) break;
        // Every process that reads the store (`serve --no-ingest` beside `ingest`) sees how the
        // sources are doing; the caller gets the same report for its own logs and metrics.
        await keeper.guard(() =>
          store.evidence.recordPoll(report.sourceId, {
            at: report.at,
            ...(report.error === undefined ? {} : { error: report.error }),
          }),
        );
        events?.sourcePolled?.(report);
      }
      keeper.throwIfLost();
      await keeper.guard(() => store.sessions.refreshTimeDependent(options.settings));
      // Passes read what the sources just stored; they run here rather than inside each batch so
      // that fetching never waits on CPU-heavy work such as terminal emulation.
      await runPasses(options, counters, signal, keeper);
      keeper.throwIfLost();
      if (options.once || options.signal.aborted) break;
      // A daemon's operator sees each poll's yield; a one-shot run prints its summary instead.
      const summary = pollSummary(polls, before, counters, [...failures.keys()]);
      if (events?.polled) events.polled(summary);
      else log(pollLine(summary));
      await sleep(options.intervalMs, signal);
      keeper.throwIfLost();
      if (signal.aborted) break;
    }
  } finally {
    await keeper.stop();
  }
  return {
    counters,
    failures: [...failures.values()].map(({ retryAt: _, ...f }) => f),
    polls,
  };
}

async function runPasses(
  options: WorkerOptions,
  counters: IngestCounters,
  signal: AbortSignal,
  keeper: LeaseKeeper,
): Promise<void> {
  const context = {
    store: options.store,
    config: { terminal: options.terminal ?? DEFAULT_CONFIG.terminal },
    signal,
  };
  for (const pass of options.passes ?? []) {
    if (signal.aborted) return;
    await keeper.renewIfDue();
    const done = await keeper.guard(() =>
      pass.run({ ...context, log: (line) => options.log(`${pass.name}: ${line}`) }),
    );
    addPassCounters(counters, done);
  }
}

function pollSummary(
  poll: number,
  before: IngestCounters,
  after: IngestCounters,
  failingSources: string[],
): PollSummary {
  const delta = (key: keyof Omit<IngestCounters, 'quarantineReasons' | 'passes'>) => after[key] - before[key];
  return {
    poll,
    sessionEvents: delta('sessionEvents'),
    sessionsCreated: delta('sessionsCreated'),
    transcripts: delta('transcripts'),
    commands: (after.passes.commandsExtracted ?? 0) - (before.passes.commandsExtracted ?? 0),
    quarantined: delta('quarantined'),
    failingSources,
  };
}

function pollLine(p: PollSummary): string {
  return (
    `poll ${p.poll}: ${p.sessionEvents} session events, ${p.sessionsCreated} new sessions, ` +
    `${p.transcripts} transcripts, ${p.commands} commands, ${p.quarantined} quarantined`
  );
}

function sourceContext(
  options: WorkerOptions,
  sourceId: string,
  counters: IngestCounters,
  signal: AbortSignal,
  keeper: LeaseKeeper,
): SourceContext {
  const { store, settings } = options;
  return {
    settings,
    counters,
    signal,
    log: (message) => options.log(`${sourceId}: ${message}`),
    checkpoint: { read: <T>() => store.evidence.readCheckpoint<T>(sourceId) },
    ledger: { has: (itemKey, version) => store.evidence.isInLedger(sourceId, itemKey, version) },
    cwStreamPosition: (transcriptId) => store.transcripts.cwStreamPosition(transcriptId),
    async write(batch: Omit<EvidenceBatch, 'sourceId'>) {
      const outcome = await keeper.guard(() => store.evidence.writeBatch({ ...batch, sourceId }, settings));
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
      // A long run of large synchronous batches can starve the renew timer: renew between them too.
      await keeper.renewIfDue();
      return outcome;
    },
  };
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
 * How long after the first SIGINT/SIGTERM the process exits whatever is still running. A batch is
 * one synchronous transaction (milliseconds), so this timer can only fire between transactions:
 * what was committed stays committed, and the lease of a dead process on this host is taken over
 * at once by the next writer.
 */
export const FORCED_EXIT_MS = 1_500;

/**
 * Turns the first SIGINT/SIGTERM into an abort (the worker finishes the batch in hand, abandons
 * extraction in progress, releases the lease and returns); a second one exits at once, and so does
 * a stop that takes longer than FORCED_EXIT_MS. Returns the function that removes the hooks.
 */
export function abortOnSignals(
  controller: AbortController,
  log: (line: string) => void,
  forcedExitMs = FORCED_EXIT_MS,
): () => void {
  const onSignal = (name: NodeJS.Signals) => {
    const code = 128 + (name === 'SIGINT' ? 2 : 15);
    if (controller.signal.aborted) process.exit(code);
    log(`${name}: stopping after the current batch (again to force)`);
    // Unref'd and never cleared: a clean stop exits sooner on its own; a stuck one exits here.
    setTimeout(() => {
      log(`${name}: not stopped after ${forcedExitMs} ms, exiting`);
      process.exit(code);
    }, forcedExitMs).unref();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
