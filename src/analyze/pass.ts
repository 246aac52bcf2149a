/**
 * A pass: work that runs after each ingest poll over what the poll stored (command extraction
 * today; detection joins the list). Each pass drains a durable queue that the store fills in the
 * same transaction as the batch that created the work, so a crash between ingest and a pass loses
 * nothing: the next run finds the queue where it was left.
 */
import type { Config } from '../config.ts';
import type { Store } from '../store/index.ts';

/** Counters a pass adds into; keys are the pass's own (e.g. `sessionsExtracted`). */
export type PassCounters = Record<string, number>;

export interface PassContext {
  store: Store;
  config: Pick<Config, 'terminal'>;
  /** Aborted on SIGINT/SIGTERM: a pass stops between items and leaves the rest queued. */
  signal: AbortSignal;
  /** A line for the operator (never transcript content or secrets). */
  log(line: string): void;
}

export interface Pass {
  /** Stable name for logs, e.g. `extract`. */
  readonly name: string;
  /** Drains the pass's queue (or as much as the signal allows) and returns what it did. */
  run(ctx: PassContext): Promise<PassCounters>;
}
