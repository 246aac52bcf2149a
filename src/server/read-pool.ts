/**
 * A small pool of worker threads, each with its own read-only connection to the store, that the
 * HTTP server's reads go through: better-sqlite3 is synchronous, so one slow query (a frequent
 * search term's exact count) would otherwise hold every other request on the event loop. Writes
 * (tokens, sign-ins, the access trail), streamed reads (transcript chunks) and everything else stay
 * on the main connection. `withReadPool` gives a Store with the same interface. A worker that
 * fails is dropped (its calls in flight fail); with none left, reads go back to the main connection.
 *
 * What it costs: in WAL mode a connection that finds the database changed since its last read
 * transaction drops its whole page cache, and every search appends to the access trail on the main
 * connection. So each pooled search re-reads its pages from the OS (1.3-1.5x the CPU of the same
 * search on the writer's own connection, whose cache its writes keep). On the shared 2-core bench
 * machine two workers doubled to tripled the list's rate (it writes nothing) while searches came
 * out about even with the event loop, and worse in a run under heavy outside load; `serve` starts
 * none unless asked (`--read-workers N`).
 */
import { Worker } from 'node:worker_threads';
import { InvalidRequestError, StoreError } from '../errors.ts';
import type { Store } from '../store/index.ts';

/** The reads worth moving: one call, plain data back (structured-clone safe). */
export const POOLED_READS = {
  sessions: ['list', 'get', 'listAttempts'],
  commands: ['listForSession', 'search', 'searchWithCount', 'sessionIds'],
  evidence: ['sessionEvents', 'describeSnapshots'],
  transcripts: ['list'],
  findings: ['list', 'countByKind'],
  stats: ['overview', 'tableRows'],
  timelines: ['list'],
} as const;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  /** The calls sent to this worker and not yet answered. */
  pending: Map<number, Pending>;
}

export interface ReadPool {
  size: number;
  /** Workers still running: one that failed is dropped, and with none left `withReadPool` reads on the main connection. */
  live(): number;
  call(group: string, method: string, args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts `size` workers on the store at `location` and resolves once each has opened it.
 *
 * @example const pool = await createReadPool(config.db, 2); const store = withReadPool(mainStore, pool);
 */
export async function createReadPool(
  location: string,
  size: number,
  options: { entry?: string } = {},
): Promise<ReadPool> {
  const ts = import.meta.url.endsWith('.ts');
  // `entry` (tests only) replaces the worker module, e.g. with one that fails.
  const entry = options.entry ?? new URL(`./read-worker.${ts ? 'ts' : 'js'}`, import.meta.url).href;
  let nextId = 0;
  let closing = false;
  let slots: Slot[] = [];
  // A worker that errs or exits while the pool is open fails its calls and takes no more.
  const drop = (slot: Slot, why: string) => {
    if (!slots.includes(slot)) return;
    slots = slots.filter((s) => s !== slot);
    for (const p of slot.pending.values())
      p.reject(new StoreError('cannot_open', `a read worker stopped: ${why}`));
    slot.pending.clear();
  };
  slots = await Promise.all(
    Array.from({ length: size }, async () => {
      const worker = new Worker(new URL('./read-worker-boot.mjs', import.meta.url), {
        workerData: { location, entry },
      });
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => resolve());
      });
      const slot: Slot = { worker, inFlight: 0, pending: new Map() };
      worker.on('message', (msg: { id: number; value?: unknown; error?: WorkerError }) => {
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        slot.inFlight -= 1;
        if (msg.error) p.reject(rebuild(msg.error));
        else p.resolve(msg.value);
      });
      worker.on('error', (error) => drop(slot, error.message));
      worker.on('exit', (code) => {
        if (!closing) drop(slot, `exit code ${code}`);
      });
      return slot;
    }),
  );
  return {
    size,
    live: () => slots.length,
    call(group, method, args) {
      if (slots.length === 0)
        return Promise.reject(new StoreError('cannot_open', 'no read worker is running'));
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      const id = nextId++;
      slot.inFlight += 1;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        try {
          slot.worker.postMessage({ id, group, method, args });
        } catch (error) {
          // Arguments that cannot be cloned: the call fails here, the worker stays.
          slot.pending.delete(id);
          slot.inFlight -= 1;
          reject(error);
        }
      });
    },
    async close() {
      closing = true;
      await Promise.all(
        slots.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.worker.once('exit', () => resolve());
              s.worker.postMessage('close');
              setTimeout(() => void s.worker.terminate(), 2000).unref();
            }),
        ),
      );
    },
  };
}

/** `store` with the POOLED_READS answered by the pool; every other member is the store's own. */
export function withReadPool(store: Store, pool: ReadPool): Store {
  const groups: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(POOLED_READS)) {
    const own = (store as unknown as Record<string, object>)[group]!;
    const replaced: Record<string, unknown> = {};
    for (const method of methods)
      replaced[method] = (...args: unknown[]) =>
        pool.live() > 0
          ? pool.call(group, method, args)
          : (own as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!.apply(own, args);
    // Methods not moved keep `this` bound to the store's own group.
    groups[group] = new Proxy(own, {
      get: (target, key, receiver) =>
        typeof key === 'string' && key in replaced
          ? replaced[key]
          : bindOwn(Reflect.get(target, key, receiver), target),
    });
  }
  return new Proxy(store, {
    get: (target, key, receiver) =>
      typeof key === 'string' && key in groups
        ? groups[key]
        : bindOwn(Reflect.get(target, key, receiver), target),
  });
}

function bindOwn(value: unknown, target: object): unknown {
  return typeof value === 'function' ? value.bind(target) : value;
}

interface WorkerError {
  name: string;
  message: string;
  reason?: string;
}

/** The typed error the route layer maps to an HTTP status; others as plain errors. */
function rebuild(e: WorkerError): Error {
  if (e.name === 'InvalidRequestError') return new InvalidRequestError(e.reason ?? 'invalid', e.message);
  if (e.name === 'StoreError')
    return new StoreError((e.reason ?? 'cannot_open') as StoreError['reason'], e.message);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}
