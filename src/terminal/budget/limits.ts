/**
 * Default budgets of bounded extraction. A transcript is written by whoever controls the node; these
 * bound what one of them can cost, and each is configurable per pool.
 */
import { availableParallelism } from 'node:os';

/**
 * Wall time one transcript may take. Extraction runs at about 25-30 MB/s on one core (npm run bench
 * -- extract), so a minute covers well over a gigabyte of ordinary terminal bytes even on a shared
 * core; a transcript still running after it is an attack or a bug, and no later import waits on it.
 */
export const DEFAULT_TIME_BUDGET_MS = 60_000;

/**
 * V8 old-generation heap of one worker. A whole extraction run (emulator, 100,000 commands, 8 MiB
 * of output excerpts, raw-line candidates) peaks near 160 MB of process memory in the bench; 512
 * leaves three times that, and keeps two workers well inside a small instance's memory.
 */
export const DEFAULT_MEMORY_BUDGET_MB = 512;

/** Young generation of one worker: V8's default for a heap of this size is about this much. */
export const DEFAULT_YOUNG_GENERATION_MB = 32;

/**
 * Workers kept. Extraction is CPU-bound and single-threaded per transcript: more workers than
 * cores only slows each one down, and two already overlap one transcript's I/O with another's work.
 */
export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));
