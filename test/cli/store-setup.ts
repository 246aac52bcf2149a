/**
 * Set-up for CLI tests that need a store in a precise state: written through the store interface
 * (as a worker would, under the writer lease), then read back by the real CLI.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalDirSource } from '../../src/ingest/sources/local-dir.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { type CtEventRow, openStore, type Store } from '../../src/store/index.ts';
import { projectionSettings } from '../../src/store/projection.ts';

export const settings = projectionSettings({
  maxDurationHours: 24,
  missingGraceMinutes: 60,
  expectedDestinations: [],
});

export function tempDir(prefix = 'shelltrail-cli-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Opens the store at `path` under the writer lease, runs `body`, then releases and closes. */
export async function writeStore(path: string, body: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore(path);
  try {
    const lease = await store.lease.acquire('cli test');
    try {
      await body(store);
    } finally {
      await lease.release();
    }
  } finally {
    await store.close();
  }
}

/** A StartSession record as stored, with the identity and place given. */
export function startEvent(sessionId: string, at: number, fields: Partial<CtEventRow> = {}): CtEventRow {
  return {
    eventId: `ev-${sessionId}`,
    eventName: 'StartSession',
    eventTime: at,
    sessionId,
    accountId: '111122223333',
    region: 'eu-west-1',
    target: 'i-0aaaaaaaaaaaaaaaa',
    documentName: null,
    parameters: null,
    reason: null,
    principalArn: 'arn:aws:iam::111122223333:user/alice',
    principalType: 'IAMUser',
    actor: 'alice',
    sourceIp: null,
    userAgent: null,
    errorCode: null,
    errorMessage: null,
    origin: 'test',
    raw: '{}',
    ...fields,
  };
}

/**
 * Holds the writer lease of the store at `path` from another process (a second writer, as an
 * operator's running `ingest` would), until `release` is called.
 */
export async function holdLeaseElsewhere(
  path: string,
  holder: string,
): Promise<{ pid: number; release(): Promise<void> }> {
  const storeModule = pathToFileURL(join(import.meta.dirname, '../../src/store/index.ts')).href;
  const code = `
    const { openStore } = await import(${JSON.stringify(storeModule)});
    const store = await openStore(${JSON.stringify(path)});
    const lease = await store.lease.acquire(${JSON.stringify(holder)});
    process.stdout.write('held\\n');
    process.stdin.on('end', async () => { await lease.release(); await store.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  if (line.toString().trim() !== 'held') throw new Error(`lease holder said ${line}`);
  return {
    pid: child.pid!,
    async release() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * Imports a folder through the real worker and local-dir source, without the passes: for tests of
 * what the CLI shows of stored evidence, where command extraction would only cost time.
 */
export async function importEvidence(path: string, dir: string): Promise<void> {
  const store = await openStore(path);
  try {
    await runWorker({
      store,
      sources: [createLocalDirSource(dir)],
      passes: [],
      settings,
      once: true,
      intervalMs: 0,
      signal: new AbortController().signal,
      log: () => {},
      holder: 'cli test',
    });
  } finally {
    await store.close();
  }
}
