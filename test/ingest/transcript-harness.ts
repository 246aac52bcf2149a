/** A temporary store and a one-poll runner over the real ingest worker, for transcript source tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { type BatchOutcome, type EvidenceBatch, openStore, type Store } from '../../src/store/index.ts';
import { type ProjectionSettings, projectionSettings } from '../../src/store/projection.ts';

export interface Harness {
  store: Store;
  dir: string;
  settings: ProjectionSettings;
  logs: string[];
  /** One poll of the sources, without passes (no command extraction). */
  poll(...sources: Source[]): ReturnType<typeof runWorker>;
  /** Writes one batch directly, holding the writer lease for just that write (as a test's own writer). */
  write(batch: EvidenceBatch): Promise<BatchOutcome>;
  close(): Promise<void>;
}

export async function openHarness(settings: Partial<ProjectionSettings> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-transcripts-'));
  const store = await openStore(join(dir, 'store.db'));
  const full: ProjectionSettings = {
    ...projectionSettings({ maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] }),
    ...settings,
  };
  const logs: string[] = [];
  return {
    store,
    dir,
    settings: full,
    logs,
    poll: (...sources) =>
      runWorker({
        store,
        sources,
        passes: [],
        settings: full,
        once: true,
        intervalMs: 0,
        signal: new AbortController().signal,
        log: (line) => logs.push(line),
        holder: 'test',
      }),
    async write(batch) {
      const lease = await store.lease.acquire('test');
      try {
        return await store.evidence.writeBatch(batch, full);
      } finally {
        await lease.release();
      }
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
