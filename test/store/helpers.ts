/** Shared set-up for the store tests: a throw-away store per test, and extracted commands. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/open.ts';
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

/**
 * A fresh store in a temporary folder for every test, handed to `use` before each test (and closed
 * and deleted after it).
 *
 * @example let store: Store; useTempStore('ids', (s) => { store = s; });
 */
export function useTempStore(prefix: string, use: (store: Store) => void): void {
  let dir = '';
  let store: Store | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `shelltrail-${prefix}-`));
    store = openStore(join(dir, 'store.db'));
    use(store);
  });
  afterEach(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
