/** Shared setup for ingest tests: a temporary store and a one-shot worker run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPass } from '../../src/analyze/extract-pass.ts';
import type { Pass } from '../../src/analyze/pass.ts';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker, type WorkerReport } from '../../src/ingest/worker.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { type ProjectionSettings, projectionSettings } from '../../src/store/projection.ts';

export const settings: ProjectionSettings = projectionSettings(
  { maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] },
  () => Date.parse('2026-12-01T00:00:00Z'),
);

export function tempDir(prefix = 'shelltrail-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A store in a fresh temporary folder. It holds no lease: runWorker takes it for each run. */
export async function tempStore(): Promise<{ store: Store; path: string; dispose(): Promise<void> }> {
  const dir = tempDir('shelltrail-store-');
  const path = join(dir.path, 'test.db');
  const store = await openStore(path);
  return {
    store,
    path,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
}

/** One poll of `sources`, then the passes (command extraction unless told otherwise), as `import` does. */
export async function ingestOnce(
  store: Store,
  sources: Source[],
  log: string[] = [],
  passes: Pass[] = [extractPass],
): Promise<WorkerReport> {
  return runWorker({
    store,
    sources,
    passes,
    settings,
    once: true,
    intervalMs: 0,
    signal: new AbortController().signal,
    log: (line) => log.push(line),
    holder: 'test',
  });
}
