/** A temporary store and a one-poll runner over the real ingest worker, for transcript source tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Source } from '../../src/ingest/source.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { openStore, type Store } from '../../src/store/open.ts';
import { type ProjectionSettings, projectionSettings } from '../../src/store/sessions.ts';

export interface Harness {
  store: Store;
  dir: string;
  settings: ProjectionSettings;
  logs: string[];
  poll(...sources: Source[]): ReturnType<typeof runWorker>;
  rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  close(): void;
}

export function openHarness(settings: Partial<ProjectionSettings> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-transcripts-'));
  const store = openStore(join(dir, 'store.db'));
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
        settings: full,
        once: true,
        intervalMs: 0,
        signal: new AbortController().signal,
        log: (line) => logs.push(line),
        holder: 'test',
        extract: false,
      }),
    rows: <T>(sql: string, ...params: unknown[]) => store.sqlite.prepare(sql).all(...params) as T[],
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every table's rows in a stable order, as one string, for convergence checks. The writer lease
 * and FTS shadow tables are bookkeeping, not content.
 */
export function canonicalDump(store: Store): string {
  const tables = (
    store.sqlite
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE '__drizzle%' AND name <> 'writer_lease' AND name NOT LIKE '%_fts%' ORDER BY name`,
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  const out: string[] = [];
  for (const table of tables) {
    const columns = (store.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    const order = columns.map((_, i) => i + 1).join(', ');
    const rows = store.sqlite.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).raw().all();
    out.push(
      `# ${table}`,
      ...rows.map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))),
    );
  }
  return out.join('\n');
}
