/**
 * A long-lived extraction worker: one job at a time from the pool (pool.ts), which stops it when a
 * job goes over its budget. The message names no error detail beyond the message text: transcript
 * content never goes into it.
 */
import { parentPort } from 'node:worker_threads';
import { extractFromBytes } from '../forms/bytes.ts';
import { extractFromCloudWatch } from '../forms/cloudwatch.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('budget/worker.ts runs only as a worker thread');

port.on('message', async function runExtraction(request: WorkerRequest) {
  let reply: WorkerReply;
  try {
    const result =
      request.form === 'bytes'
        ? await extractFromBytes([new Uint8Array(request.buffer)], request.options)
        : extractFromCloudWatch(request.lines, request.options);
    reply = { id: request.id, ok: true, result };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WorkerReply);
