/**
 * Bounded extraction: a small pool of long-lived worker threads, one transcript at a time each,
 * with a hard time budget (the worker is terminated and replaced when it runs over) and a memory
 * budget (V8 resourceLimits: a worker that runs out dies alone). The caller gets a verdict per
 * transcript, never a hang: `ok`, `over_budget` (record a finding, never retry), `abandoned` (the
 * pool closed: re-queue) or `failed`.
 * @example
 * const pool = new ExtractionPool({ timeBudgetMs: 60_000 });
 * const verdict = await pool.run({ form: 'bytes', chunks, options });
 * await pool.close(); // terminates workers at once, even mid-job
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_MEMORY_BUDGET_MB,
  DEFAULT_POOL_SIZE,
  DEFAULT_TIME_BUDGET_MS,
  DEFAULT_YOUNG_GENERATION_MB,
} from './limits.ts';
import type { BudgetResult, ExtractionJob, WorkerReply, WorkerRequest } from './protocol.ts';

export type { BudgetResult, ExtractionJob } from './protocol.ts';

export interface PoolOptions {
  size?: number;
  timeBudgetMs?: number;
  memoryBudgetMb?: number;
}

interface Pending {
  id: number;
  job: ExtractionJob;
  timeBudgetMs: number;
  resolve: (verdict: BudgetResult) => void;
}

interface Slot {
  worker: Worker;
  /** The worker loaded its modules (a job given earlier waits: start-up is not the job's time). */
  ready: boolean;
  job: Pending | null;
  started: number;
  timer: NodeJS.Timeout | null;
}

/**
 * How to start the worker module next to this one: compiled JavaScript as is, or (running from the
 * TypeScript sources under tsx or vitest) a small bootstrap that registers tsx's loader inside the
 * worker first (Node 20 does not carry `--import tsx` into a worker's module loader).
 */
function workerEntry(): { code: string | URL; eval: boolean } {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/pool\.(ts|js)$/, 'worker.js');
  if (here.endsWith('.js') && existsSync(js)) return { code: pathToFileURL(js), eval: false };
  const ts = pathToFileURL(here.replace(/pool\.(ts|js)$/, 'worker.ts')).href;
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); });`;
  return { code, eval: true };
}

export class ExtractionPool {
  private readonly size: number;
  private readonly timeBudgetMs: number;
  private readonly memoryBudgetMb: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly entry = workerEntry();

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? DEFAULT_POOL_SIZE);
    this.timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    this.memoryBudgetMb = options.memoryBudgetMb ?? DEFAULT_MEMORY_BUDGET_MB;
  }

  /** Extracts one transcript within the budgets (`timeBudgetMs` overrides the pool's for this job). */
  run(job: ExtractionJob, budget: { timeBudgetMs?: number } = {}): Promise<BudgetResult> {
    if (this.closed) return Promise.resolve({ status: 'abandoned' });
    return new Promise((resolve) => {
      this.queue.push({
        id: this.nextId++,
        job,
        timeBudgetMs: budget.timeBudgetMs ?? this.timeBudgetMs,
        resolve,
      });
      this.dispatch();
    });
  }

  /** Stops every worker now; jobs queued or running resolve as `abandoned`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.resolve({ status: 'abandoned' });
    const stopping = this.slots.splice(0).map((slot) => {
      if (slot.timer) clearTimeout(slot.timer);
      slot.job?.resolve({ status: 'abandoned' });
      slot.job = null;
      return slot.worker.terminate();
    });
    await Promise.allSettled(stopping);
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry.code, {
      eval: this.entry.eval,
      resourceLimits: {
        maxOldGenerationSizeMb: this.memoryBudgetMb,
        maxYoungGenerationSizeMb: Math.min(DEFAULT_YOUNG_GENERATION_MB, this.memoryBudgetMb),
      },
    });
    const slot: Slot = { worker, ready: false, job: null, started: 0, timer: null };
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.retire(slot, (ms) =>
        memory
          ? { status: 'over_budget', reason: 'memory', ms, limit: this.memoryBudgetMb }
          : { status: 'failed', error: error.message, ms },
      );
    });
    worker.on('exit', () => this.retire(slot, (ms) => ({ status: 'failed', error: 'worker exited', ms })));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, pending: Pending): void {
    slot.job = pending;
    slot.worker.ref();
    if (slot.ready) this.send(slot, pending);
  }

  private send(slot: Slot, pending: Pending): void {
    slot.started = performance.now();
    slot.timer = setTimeout(() => {
      const ms = performance.now() - slot.started;
      this.retire(slot, () => ({ status: 'over_budget', reason: 'time', ms, limit: pending.timeBudgetMs }));
    }, pending.timeBudgetMs);
    const { job } = pending;
    if (job.form === 'bytes') {
      // One fresh buffer, transferred: the caller's chunks (often views into shared pools) stay usable.
      const total = job.chunks.reduce((n, c) => n + c.length, 0);
      const buffer = new ArrayBuffer(total);
      const view = new Uint8Array(buffer);
      let at = 0;
      for (const chunk of job.chunks) {
        view.set(chunk, at);
        at += chunk.length;
      }
      const request: WorkerRequest = { id: pending.id, form: 'bytes', buffer, options: job.options };
      slot.worker.postMessage(request, [buffer]);
    } else {
      const request: WorkerRequest = {
        id: pending.id,
        form: 'cloudwatch',
        lines: job.lines,
        options: job.options,
      };
      slot.worker.postMessage(request);
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const pending = slot.job;
    if ('ready' in reply) {
      slot.ready = true;
      if (pending) this.send(slot, pending);
      return;
    }
    if (!pending || pending.id !== reply.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    const ms = performance.now() - slot.started;
    pending.resolve(
      reply.ok ? { status: 'ok', result: reply.result, ms } : { status: 'failed', error: reply.error, ms },
    );
    this.dispatch();
  }

  /** The worker is done for (over budget, crashed, exited): settle its job, drop it, carry on. */
  private retire(slot: Slot, verdict: (ms: number) => BudgetResult): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    const pending = slot.job;
    slot.job = null;
    if (pending) pending.resolve(verdict(performance.now() - slot.started));
    void slot.worker.terminate();
    this.dispatch();
  }
}
