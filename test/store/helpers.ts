/** Shared set-up for the store tests: a throw-away store per test, and extracted commands. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';

/** An extracted command: executed by root, exact, no time unless given. */
export function extracted(
  seq: number,
  text: string,
  extra: Partial<ExtractedCommand> = {},
): ExtractedCommand {
  return {
    seq,
    text,
    user: 'root',
    executed: true,
    at: null,
    atPrecision: null,
    cwd: null,
    exitCode: 0,
    fidelity: 'exact',
    output: null,
    ...extra,
  };
}

/** Stores `commands` as a session's extraction (the interface's one way to write commands). */
export async function putCommands(
  store: Store,
  sessionId: string,
  commands: ExtractedCommand[],
): Promise<void> {
  await store.extractQueue.complete(sessionId, {
    commands,
    cols: null,
    colsSource: null,
    extractorVersion: 1,
  });
}

/** Opens a store at `path` holding the writer lease, as an ingest worker does before writing. */
export async function openWritable(path: string): Promise<Store> {
  const store = await openStore(path);
  await store.lease.acquire('test');
  return store;
}

/**
 * A fresh store (holding the writer lease) in a temporary folder for every test, handed to `use`
 * before each test (and closed and deleted after it).
 *
 * @example let store: Store; useTempStore('ids', (s) => { store = s; });
 */
export function useTempStore(prefix: string, use: (store: Store) => void): void {
  let dir = '';
  let store: Store | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `shelltrail-${prefix}-`));
    store = await openWritable(join(dir, 'store.db'));
    use(store);
  });
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
