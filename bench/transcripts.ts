/**
 * `npm run bench -- transcripts`: imports a folder of >= 2,000 session logs (mixed sizes, a few of
 * 50 MB) through the real local-dir source into a fresh store, and in the same run measures the
 * floor: reading the same bytes, SHA-256 over them, and compressing them in 1 MiB chunks with the
 * store's compressor at the same level. Prints MB/s for both, the ratio (target >= 50%) and peak
 * RSS (target < 300 MB). Options: --files N, --big N, --keep (keep the store).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emptyCounters } from '../src/ingest/source.ts';
import { localDirSource } from '../src/ingest/sources/local-dir.ts';
import { CHUNK_BYTES } from '../src/ingest/transcript-evidence.ts';
import { runWorker } from '../src/ingest/worker.ts';
import { openStore } from '../src/store/open.ts';
import { projectionSettings } from '../src/store/sessions.ts';
import { COMPRESSION_LEVEL, compressChunk } from '../src/store/transcripts.ts';
import { ensureTranscriptCorpus } from './gen/transcripts-corpus.ts';

export default async function bench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { files: { type: 'string' }, big: { type: 'string' }, keep: { type: 'boolean' } },
  });
  const t0 = performance.now();
  const corpus = await ensureTranscriptCorpus(join(import.meta.dirname, 'corpus/transcripts'), {
    files: Number(values.files ?? 2000),
    bigFiles: Number(values.big ?? 3),
  });
  const mb = corpus.bytes / 1e6;
  console.log(
    `corpus: ${corpus.files} session logs, ${mb.toFixed(1)} MB (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // Warm the page cache so neither measurement pays for the disk.
  const files = listLogs(corpus.dir);
  for (const file of files) for await (const _ of createReadStream(file, { highWaterMark: CHUNK_BYTES }));
  const baselineRssMb = process.memoryUsage().rss / 1e6;

  const workDir = mkdtempSync(join(tmpdir(), 'shelltrail-bench-transcripts-'));
  const store = openStore(join(workDir, 'bench.db'));
  const counters = emptyCounters();
  const started = performance.now();
  const report = await runWorker({
    store,
    sources: [localDirSource(corpus.dir)],
    settings: projectionSettings({ maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] }),
    once: true,
    intervalMs: 0,
    signal: new AbortController().signal,
    log: (line) => console.log(`  ${line}`),
    holder: 'bench',
    counters,
  });
  const importMs = performance.now() - started;
  const stored = store.sqlite
    .prepare('SELECT count(*) AS n, coalesce(sum(byte_size), 0) AS raw FROM transcripts')
    .get() as { n: number; raw: number };
  const compressed = store.sqlite
    .prepare('SELECT coalesce(sum(length(data)), 0) AS n FROM transcript_chunks')
    .get() as {
    n: number;
  };
  store.close();
  const dbBytes = statSync(join(workDir, 'bench.db')).size;
  if (!values.keep) rmSync(workDir, { recursive: true, force: true });
  // The import's peak (maxRSS is a high-water mark): taken before the floor runs.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const floorMs = floor(files);

  const importRate = mb / (importMs / 1000);
  const floorRate = mb / (floorMs / 1000);
  const ratio = importRate / floorRate;
  console.log(
    `import:  ${stored.n} transcripts, ${(stored.raw / 1e6).toFixed(1)} MB in ${(importMs / 1000).toFixed(2)} s = ${importRate.toFixed(1)} MB/s`,
  );
  console.log(
    `         stored ${(compressed.n / 1e6).toFixed(1)} MB compressed (gzip level ${COMPRESSION_LEVEL}), db file ${(dbBytes / 1e6).toFixed(1)} MB, failures ${report.failures.length}, quarantined ${counters.quarantined}`,
  );
  console.log(
    `floor:   read + SHA-256 + gzip level ${COMPRESSION_LEVEL} in ${CHUNK_BYTES >> 20} MiB chunks: ${(floorMs / 1000).toFixed(2)} s = ${floorRate.toFixed(1)} MB/s`,
  );
  console.log(
    `ratio:   ${(ratio * 100).toFixed(0)}% of the floor (target >= 50%) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`,
  );
  console.log(
    `peak RSS: ${peakRssMb.toFixed(0)} MB during the import (process baseline ${baselineRssMb.toFixed(0)} MB; target < 300 MB) ${peakRssMb < 300 ? 'OK' : 'ABOVE TARGET'}`,
  );
  if (stored.n !== corpus.files)
    console.log(`WARNING: expected ${corpus.files} transcripts, stored ${stored.n}`);
}

function listLogs(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.log')) files.push(join(d, e.name));
    }
  };
  walk(dir);
  return files;
}

/** The cheapest way to do what the store must: read each file, hash it, compress it in 1 MiB chunks. */
function floor(files: string[]): number {
  const started = performance.now();
  for (const file of files) {
    const bytes = readFileSync(file);
    createHash('sha256').update(bytes).digest();
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES)
      compressChunk(bytes.subarray(at, at + CHUNK_BYTES));
  }
  return performance.now() - started;
}
