/**
 * `npm run bench -- transcripts`: imports a folder of >= 2,000 session logs (mixed sizes, a few
 * 50 MB ones side by side) into a fresh store in a child process (so its peak RSS is the import's
 * alone), and in the same run the floor: reading the same bytes, SHA-256 over them, and compressing
 * them in 1 MiB chunks with the store's compressor at the same level. Prints MB/s for both, the
 * ratio (target >= 50%) and peak RSS (target < 300 MB). Then runs `shelltrail import` end to end
 * (command extraction included) and prints its time and peak RSS. Options: --files N, --big N,
 * --keep (keep the stores), --store-only (skip the end-to-end run).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CHUNK_BYTES } from '../src/ingest/normalize/transcript-evidence.ts';
import { COMPRESSION_LEVEL, compressChunk } from '../src/store/chunks.ts';
import { openStore } from '../src/store/index.ts';
import { connOf } from '../src/store/sqlite/store.ts';
import { ensureTranscriptCorpus } from './gen/transcripts-corpus.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'shelltrail.js');

/**
 * The store import alone (local-dir source -> store, no command extraction), in a child process of
 * its own: what the floor is compared with. `shelltrail import` also extracts commands, which costs
 * far more than storing; it is measured after, for the record.
 */
const STORE_ONLY_CHILD = `
const src = (p) => import(new URL(p, ${JSON.stringify(pathToFileURL(`${ROOT}/`).href)}).href);
const { createLocalDirSource } = await src('src/ingest/sources/local-dir.ts');
const { runWorker } = await src('src/ingest/worker.ts');
const { openStore } = await src('src/store/index.ts');
const { projectionSettings } = await src('src/store/projection.ts');
const [dir, db] = process.argv.slice(1);
const store = await openStore(db);
const started = performance.now();
const report = await runWorker({
  store, sources: [createLocalDirSource(dir)], passes: [], once: true, intervalMs: 0,
  settings: projectionSettings({ maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] }),
  signal: new AbortController().signal, log: (l) => console.error(l), holder: 'bench',
});
await store.close();
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, failures: report.failures.length,
  quarantined: report.counters.quarantined, maxRssKb: process.resourceUsage().maxRSS }));
`;

export default async function bench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      files: { type: 'string' },
      big: { type: 'string' },
      keep: { type: 'boolean' },
      'store-only': { type: 'boolean' },
    },
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

  const workDir = mkdtempSync(join(tmpdir(), 'shelltrail-bench-transcripts-'));
  try {
    const store = storeOnly(corpus.dir, join(workDir, 'store-only.db'));
    const sizes = await storedSizes(join(workDir, 'store-only.db'));
    const floorMs = floor(files);
    const importRate = mb / store.seconds;
    const floorRate = mb / (floorMs / 1000);
    const ratio = importRate / floorRate;
    console.log(
      `import:  ${sizes.n} transcripts, ${(sizes.raw / 1e6).toFixed(1)} MB in ${store.seconds.toFixed(2)} s = ${importRate.toFixed(1)} MB/s (store only, a child process; failures ${store.failures}, quarantined ${store.quarantined})`,
    );
    console.log(
      `         stored ${(sizes.compressed / 1e6).toFixed(1)} MB compressed (gzip level ${COMPRESSION_LEVEL})`,
    );
    console.log(
      `floor:   read + SHA-256 + gzip level ${COMPRESSION_LEVEL} in ${CHUNK_BYTES >> 20} MiB chunks: ${(floorMs / 1000).toFixed(2)} s = ${floorRate.toFixed(1)} MB/s`,
    );
    console.log(
      `ratio:   ${(ratio * 100).toFixed(0)}% of the floor (target >= 50%) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`,
    );
    const rssMb = store.maxRssKb / 1024;
    console.log(
      `peak RSS: ${rssMb.toFixed(0)} MB, the import process alone (target < 300 MB) ${rssMb < 300 ? 'OK' : 'ABOVE TARGET'}`,
    );
    if (sizes.n !== corpus.files)
      console.log(`WARNING: expected ${corpus.files} transcripts, stored ${sizes.n}`);
    if (values['store-only']) return;
    // A child process: its peak RSS is the import's alone, not the corpus generation's or the floor's.
    const cli = importOnce(corpus.dir, join(workDir, 'bench.db'));
    console.log(
      `shelltrail import (end to end, command extraction included): ${cli.seconds.toFixed(2)} s = ${(mb / cli.seconds).toFixed(1)} MB/s, peak RSS ${cli.maxRssMb.toFixed(0)} MB`,
    );
    console.log(`import summary:\n${cli.summary.replace(/^/gm, '  ')}`);
  } finally {
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
    else console.log(`stores kept in ${workDir}`);
  }
}

function storeOnly(
  dir: string,
  db: string,
): { seconds: number; failures: number; quarantined: number; maxRssKb: number } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', STORE_ONLY_CHILD, dir, db],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (child.status !== 0) throw new Error(`store import failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/**
 * What the import stored, raw and compressed. The compressed size is a storage detail the store
 * interface does not expose, so this reads the SQLite dialect's connection (bench bookkeeping).
 */
async function storedSizes(db: string): Promise<{ n: number; raw: number; compressed: number }> {
  const store = await openStore(db, { readonly: true });
  try {
    const { sqlite } = connOf(store);
    const t = sqlite
      .prepare('SELECT count(*) AS n, coalesce(sum(byte_size), 0) AS raw FROM transcripts')
      .get() as { n: number; raw: number };
    const c = sqlite.prepare('SELECT coalesce(sum(length(data)), 0) AS n FROM transcript_chunks').get() as {
      n: number;
    };
    return { ...t, compressed: c.n };
  } finally {
    await store.close();
  }
}

function importOnce(dir: string, db: string): { seconds: number; maxRssMb: number; summary: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, [BIN, 'import', dir, '--db', db, '--quiet'], {
    env: { ...process.env, SHELLTRAIL_REPORT_RSS: '1' },
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`import failed (${child.status}): ${child.stderr}`);
  const maxRssKb = Number(/maxRSS=(\d+)/.exec(child.stderr)?.[1] ?? Number.NaN);
  return { seconds, maxRssMb: maxRssKb / 1024, summary: child.stdout.trim() };
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
