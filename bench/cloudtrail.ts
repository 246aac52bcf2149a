/**
 * `npm run bench -- cloudtrail [--records N] [--seed S]`: end-to-end `shelltrail import` of a
 * synthetic trail (default 500,000 records, ~2% Session Manager) against the floor: a bare loop
 * that reads, gunzips and JSON.parses the same files. Targets: import >= 50% of the floor's
 * records/s, peak RSS < 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { generateTrail } from './gen/trail.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export default async function cloudtrailBench(args: string[]): Promise<void> {
  const records = Number(flag(args, '--records') ?? 500_000);
  const seed = Number(flag(args, '--seed') ?? 1);
  const corpus = join(root, 'bench', 'corpus', `cloudtrail-${records}-s${seed}`);
  const manifest = join(corpus, 'manifest.json');
  if (!existsSync(manifest)) {
    console.log(`generating ${records.toLocaleString()} records into ${corpus} ...`);
    const t = performance.now();
    rmSync(corpus, { recursive: true, force: true });
    const stats = generateTrail({ dir: join(corpus, 'trail'), records, seed });
    writeFileSync(manifest, JSON.stringify(stats));
    console.log(
      `  ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB gzip, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const stats = JSON.parse(readFileSync(manifest, 'utf8')) as {
    files: number;
    records: number;
    sessionRecords: number;
  };
  const files = listFiles(join(corpus, 'trail'));
  console.log(
    `corpus: ${stats.files} files, ${stats.records.toLocaleString()} records, ` +
      `${stats.sessionRecords.toLocaleString()} Session Manager events (${((100 * stats.sessionRecords) / stats.records).toFixed(1)}%)`,
  );

  floor(files); // warm the page cache so both runs read from memory
  const floorRun = floor(files);
  const importRun = importOnce(join(corpus, 'trail'));

  const floorRate = floorRun.records / floorRun.seconds;
  const importRate = stats.records / importRun.seconds;
  console.log(
    `floor  (read + gunzip + JSON.parse): ${fmt(floorRate)} records/s  (${floorRun.seconds.toFixed(2)} s)`,
  );
  console.log(
    `import (shelltrail import, end to end): ${fmt(importRate)} records/s  (${importRun.seconds.toFixed(2)} s)`,
  );
  console.log(`ratio: ${((100 * importRate) / floorRate).toFixed(0)}% of the floor (target >= 50%)`);
  console.log(`import peak RSS: ${importRun.maxRssMb.toFixed(0)} MB (target < 300 MB)`);
  console.log(`import summary:\n${importRun.summary.replace(/^/gm, '  ')}`);
}

function floor(files: string[]): { records: number; seconds: number } {
  const t = performance.now();
  let records = 0;
  for (const f of files) {
    const doc = JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] };
    records += doc.Records.length;
  }
  return { records, seconds: (performance.now() - t) / 1000 };
}

function importOnce(dir: string): { seconds: number; maxRssMb: number; summary: string } {
  const work = mkdtempSync(join(tmpdir(), 'shelltrail-bench-'));
  try {
    const t = performance.now();
    const child = spawnSync(
      process.execPath,
      [join(root, 'bin', 'shelltrail.js'), 'import', dir, '--db', join(work, 'bench.db'), '--quiet'],
      { env: { ...process.env, SHELLTRAIL_REPORT_RSS: '1' }, encoding: 'utf8', maxBuffer: 16 << 20 },
    );
    const seconds = (performance.now() - t) / 1000;
    if (child.status !== 0) throw new Error(`import failed (${child.status}): ${child.stderr}`);
    const maxRssKb = Number(/maxRSS=(\d+)/.exec(child.stderr)?.[1] ?? Number.NaN);
    return { seconds, maxRssMb: maxRssKb / 1024, summary: child.stdout.trim() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
