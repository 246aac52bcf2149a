/** Shared setup for ingest tests: a temporary store and a one-shot worker run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker, type WorkerReport } from '../../src/ingest/worker.ts';
import { openStore, type Store } from '../../src/store/open.ts';
import { type ProjectionSettings, projectionSettings } from '../../src/store/sessions.ts';

export const settings: ProjectionSettings = projectionSettings(
  { maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] },
  () => Date.parse('2026-12-01T00:00:00Z'),
);

export function tempDir(prefix = 'shelltrail-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function tempStore(): { store: Store; path: string; dispose(): void } {
  const dir = tempDir('shelltrail-store-');
  const path = join(dir.path, 'test.db');
  const store = openStore(path);
  return {
    store,
    path,
    dispose() {
      store.close();
      dir.remove();
    },
  };
}

export async function ingestOnce(store: Store, sources: Source[], log: string[] = []): Promise<WorkerReport> {
  return runWorker({
    store,
    sources,
    settings,
    once: true,
    intervalMs: 0,
    signal: new AbortController().signal,
    log: (line) => log.push(line),
    holder: 'test',
  });
}
