/**
 * Command extraction as a pass: drains the extract queue (the sessions whose transcripts changed,
 * queued by the store in the same transaction as the batch that changed them). Transcripts are read
 * through the store outside any transaction and replayed in a pool of long-lived worker threads with
 * a time and memory budget each (src/terminal/budget); a session's commands, its terminal width and
 * the removal of its queue entry then commit in one call (`extractQueue.complete`), so a killed
 * process redoes at most the sessions it was on.
 *
 * A transcript over its budget is recorded (`extractQueue.fail`: a `transcript_over_budget`
 * finding, its commands marked incomplete) under the current extractor version, so neither the
 * queue nor `queueOutdated` brings it back until the extractor changes. When the pass's signal
 * aborts (SIGTERM), the pool is closed at once: extraction in progress is abandoned and its
 * sessions stay queued.
 */

import type { ExtractionOutcome, Store } from '../store/index.ts';
import { ExtractionPool, type PoolOptions } from '../terminal/budget/pool.ts';
import type { ExtractionResult } from '../terminal/types.ts';
import { extractSessionInPool } from './extract-session.ts';
import type { Pass, PassContext, PassCounters } from './pass.ts';

export interface ExtractCounters extends PassCounters {
  sessionsExtracted: number;
  commandsExtracted: number;
  extractFailures: number;
  /** Sessions whose transcript went over its time or memory budget. */
  extractOverBudget: number;
  /** Commands past the per-session cap, counted and not kept (a `commands_truncated` finding). */
  commandsTruncated: number;
}

/**
 * Version of what extraction produces; raise it when the extractor changes what it finds, so
 * `extractQueue.queueOutdated` re-extracts sessions that older versions handled.
 */
export const EXTRACTOR_VERSION = 3;

/** Queue entries read per page: the pass walks the queue once per run, in session id order. */
const QUEUE_PAGE = 200;

export type ExtractPass = Pass & { run(ctx: PassContext): Promise<ExtractCounters> };

/**
 * An extraction pass with its own pool (created at its first run, kept for the process's life; idle
 * workers do not keep the process alive). `pool` sets the budgets (default 60 s, 512 MB, min(2, cpus)
 * workers: src/terminal/budget/limits.ts).
 *
 * @example const pass = createExtractPass({ pool: { timeBudgetMs: 10_000 } });
 */
export function createExtractPass(options: { pool?: PoolOptions } = {}): ExtractPass {
  let pool: ExtractionPool | null = null;
  return {
    name: 'extract',
    run: async function runExtractPass({ store, config, signal, log }) {
      const done: ExtractCounters = {
        sessionsExtracted: 0,
        commandsExtracted: 0,
        extractFailures: 0,
        extractOverBudget: 0,
        commandsTruncated: 0,
      };
      if (signal.aborted) return done;
      // Sessions an older extractor handled are extracted again by this one.
      await store.extractQueue.queueOutdated(EXTRACTOR_VERSION);
      const running = pool ?? new ExtractionPool(options.pool);
      pool = running;
      const abandon = () => {
        // SIGTERM: stop the workers now, the jobs resolve as abandoned and stay queued.
        if (pool === running) pool = null;
        void running.close();
      };
      signal.addEventListener('abort', abandon, { once: true });
      try {
        let after = '';
        for (;;) {
          const ids = await store.extractQueue.next(after, QUEUE_PAGE);
          if (ids.length === 0) return done;
          for (const sessionId of ids) {
            if (signal.aborted) return done;
            after = sessionId;
            await extractOne(store, config, running, sessionId, done, log);
          }
        }
      } finally {
        signal.removeEventListener('abort', abandon);
      }
    },
  };
}

/** The pass the CLI runs after every ingest poll and at the end of an import (default budgets). */
export const extractPass: ExtractPass = createExtractPass();

async function extractOne(
  store: Store,
  config: PassContext['config'],
  pool: ExtractionPool,
  sessionId: string,
  done: ExtractCounters,
  log: (line: string) => void,
): Promise<void> {
  const verdict = await extractSessionInPool(store, config, pool, sessionId);
  // Store calls stay outside any try: a store that cannot commit (lease lost, disk full) stops the pass.
  if (verdict.status === 'abandoned') return;
  if (verdict.status === 'ok') {
    const outcome = outcomeOf(verdict.result, null);
    await store.extractQueue.complete(sessionId, outcome);
    done.sessionsExtracted++;
    done.commandsExtracted += outcome.commands.length;
    done.commandsTruncated += outcome.droppedCommands ?? 0;
    return;
  }
  const reason = verdict.status === 'over_budget' ? 'over_budget' : 'failed';
  log(
    verdict.status === 'over_budget'
      ? `session ${sessionId}: over its ${verdict.reason} budget (${verdict.limit} ${verdict.reason === 'time' ? 'ms' : 'MB'}), recorded as a finding; its commands are incomplete`
      : // The error's name only: messages from deep inside the emulator could quote transcript content.
        `session ${sessionId}: extraction failed (${verdict.errorName}), recorded as a finding`,
  );
  // Stored under this extractor version first (what the other form gave, if anything), so that
  // `queueOutdated` does not bring it back; then the finding and the incomplete mark.
  const partial = verdict.status === 'over_budget' ? verdict.partial : null;
  await store.extractQueue.complete(sessionId, outcomeOf(partial, reason));
  await store.extractQueue.fail(sessionId, reason);
  if (verdict.status === 'over_budget') done.extractOverBudget++;
  else done.extractFailures++;
}

function outcomeOf(result: ExtractionResult | null, incomplete: string | null): ExtractionOutcome {
  return {
    commands: result?.commands ?? [],
    cols: result?.cols ?? null,
    colsSource: result?.colsSource ?? null,
    droppedCommands: result?.droppedCommands,
    extractorVersion: EXTRACTOR_VERSION,
    commandsIncomplete: incomplete,
    formsDisagree: result?.formsComparison?.disagree
      ? {
          cloudWatchOnly: result.formsComparison.cloudWatchOnly.length,
          s3Only: result.formsComparison.s3Only.length,
        }
      : null,
  };
}
