/**
 * One read worker: its own read-only connection to the store (WAL lets it read while the main
 * thread's ingest writes) answering the read calls read-pool.ts forwards, one at a time, each
 * one call of the store interface (so one read transaction). Errors go back as name, message and
 * reason, and the pool rebuilds the typed error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/index.ts';

interface Call {
  id: number;
  group: string;
  method: string;
  args: unknown[];
}

const port = parentPort!;
const store = await openStore((workerData as { location: string }).location, { readonly: true });
port.on('message', async (msg: Call | 'close') => {
  if (msg === 'close') {
    await store.close();
    port.close();
    return;
  }
  try {
    const group = (store as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[
      msg.group
    ]!;
    port.postMessage({ id: msg.id, value: await group[msg.method]!.apply(group, msg.args) });
  } catch (error) {
    const e = error as Error & { reason?: string };
    port.postMessage({ id: msg.id, error: { name: e.name, message: e.message, reason: e.reason } });
  }
});
port.postMessage({ ready: true });
