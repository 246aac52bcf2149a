/**
 * A small pool of worker threads, each with its own read-only connection to the store, that the
 * HTTP server's reads go through: better-sqlite3 is synchronous, so one slow query (a frequent
 * search term's exact count) would otherwise hold every other request on the event loop. Writes
 * (tokens, sign-ins, the access trail), streamed reads (transcript chunks) and everything else stay
 * on the main connection. `withReadPool` gives a Store with the same interface.
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
}

export interface ReadPool {
  size: number;
  call(group: string, method: string, args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts `size` workers on the store at `location` and resolves once each has opened it.
 *
 * @example const pool = await createReadPool(config.db, 2); const store = withReadPool(mainStore, pool);
 */
export async function createReadPool(location: string, size: number): Promise<ReadPool> {
  const ts = import.meta.url.endsWith('.ts');
  const entry = new URL(`./read-worker.${ts ? 'ts' : 'js'}`, import.meta.url).href;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const slots: Slot[] = await Promise.all(
    Array.from({ length: size }, async () => {
      const worker = new Worker(new URL('./read-worker-boot.mjs', import.meta.url), {
        workerData: { location, entry },
      });
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => resolve());
      });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (msg: { id: number; value?: unknown; error?: WorkerError }) => {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        slot.inFlight -= 1;
        if (msg.error) p.reject(rebuild(msg.error));
        else p.resolve(msg.value);
      });
      worker.on('error', (error) => {
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject(new StoreError('cannot_open', `a read worker failed: ${error.message}`));
        }
      });
      return slot;
    }),
  );
  return {
    size,
    call(group, method, args) {
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      const id = nextId++;
      slot.inFlight += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, group, method, args });
      });
    },
    async close() {
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
    for (const method of methods) replaced[method] = (...args: unknown[]) => pool.call(group, method, args);
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
