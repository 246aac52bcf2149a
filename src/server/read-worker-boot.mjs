// Starts a read worker (read-worker.ts): under the TypeScript sources (a development checkout, the
// tests) it first registers tsx in this thread, as bin/shelltrail.js does in the main one; the
// built package runs read-worker.js directly.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
