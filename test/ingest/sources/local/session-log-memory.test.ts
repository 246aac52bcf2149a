/**
 * Bounded memory for big local session logs: `shelltrail import` of a folder holding several
 * adjacent 40 MB logs (plain and gzipped) runs in a child process (so its peak RSS is the import's
 * alone) and must stay under 300 MB while storing every byte.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../../src/store/index.ts';
import { allTranscripts } from '../../../support/store-view.ts';
import { POWERSHELL } from '../../transcript-samples.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const BIN = join(ROOT, 'bin/shelltrail.js');
const LOG_BYTES = 40 << 20;
const LOGS = 4;

let work: string;
const expected = new Map<string, { sha256: string; size: number }>();

/** A PowerShell transcript (stored, not emulated, so the test measures the import alone). */
function writeBigLog(path: string, seed: number): void {
  let text = '';
  for (let i = 0; text.length < 1 << 20; i++)
    text += `PS C:\\Users\\ssm-user> Get-Item C:\\data\\f${seed}-${(i * 7919) % 100_003}\r\n`;
  const block = Buffer.from(text);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let size = 0;
  const put = (b: Buffer) => {
    hash.update(b);
    size += writeSync(fd, b);
  };
  put(POWERSHELL);
  while (size + block.length <= LOG_BYTES) put(block);
  closeSync(fd);
  expected.set(path, { sha256: hash.digest('hex'), size });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shelltrail-biglogs-'));
  for (let i = 0; i < LOGS; i++) writeBigLog(join(work, `win-000000000000000${i}a.log`), i);
  // One more, gzipped on disk: inflated by a stream too.
  const gzPath = join(work, 'win-0000000000000009z.log');
  writeBigLog(gzPath, 9);
  writeFileSync(`${gzPath}.gz`, gzipSync(readFileSync(gzPath), { level: 1 }));
  rmSync(gzPath);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('local import of big session logs', () => {
  it('stays under 300 MB peak RSS for adjacent 40 MB logs and stores them byte for byte', {
    timeout: 60_000,
  }, async () => {
    const db = join(work, 'store.db');
    const child = spawnSync(process.execPath, [BIN, 'import', work, '--db', db, '--quiet'], {
      cwd: work,
      env: { ...process.env, SHELLTRAIL_REPORT_RSS: '1' },
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const maxRssMb = Number(/maxRSS=(\d+)/.exec(child.stderr)?.[1]) / 1024;
    const store = await openStore(db, { readonly: true });
    try {
      const rows = await allTranscripts(store);
      expect(rows.map((r) => r.sessionId)).toEqual([
        ...Array.from({ length: LOGS }, (_, i) => `win-000000000000000${i}a`),
        'win-0000000000000009z',
      ]);
      const want = [...expected.values()];
      expect(rows.map((r) => ({ sha256: r.sha256, size: r.byteSize, format: r.format }))).toEqual(
        want.map((w) => ({ ...w, format: 'powershell' })),
      );
      let stored = 0;
      for (const r of rows) stored += await store.transcripts.storedChunkBytes(r.transcriptId);
      expect(stored).toBe(want.reduce((a, w) => a + w.size, 0));
    } finally {
      await store.close();
    }
    expect(maxRssMb).toBeGreaterThan(0);
    expect(maxRssMb).toBeLessThan(300);
  });
});
