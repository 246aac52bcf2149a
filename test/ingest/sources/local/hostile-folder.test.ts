/**
 * Issue 9, section 4: no reads outside what the user pointed at. `import <dir>` never follows a
 * symlink out of the folder, nor into /proc or to a device, and a FIFO is not read; each is said in
 * the quarantine (and so in the summary). A file that grows while it is read is quarantined and the
 * chunks it had already committed are removed in the same transaction: no orphans, even after a
 * clean re-import.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summaryLines } from '../../../../src/ingest/progress.ts';
import { createLocalDirSource } from '../../../../src/ingest/sources/local-dir.ts';
import { allTranscripts, quarantineRows } from '../../../support/store-view.ts';
import { ingestOnce, tempDir, tempStore } from '../../harness.ts';

let dir: ReturnType<typeof tempDir>;
let outside: ReturnType<typeof tempDir>;
let db: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  dir = tempDir();
  outside = tempDir();
  db = await tempStore();
});
afterEach(async () => {
  await db.dispose();
  dir.remove();
  outside.remove();
});

const SESSION_LOG = '$ id\r\r\nuid=1000(ssm-user)\r\r\n$ exit\r\r\n';

describe('import <dir> of a hostile folder', () => {
  it('symlink out of the folder, into /proc, to a device, and a FIFO: none read, each quarantined with its reason', async () => {
    mkdirSync(join(dir.path, 'logs'), { recursive: true });
    writeFileSync(join(dir.path, 'logs', 'inside-0123456789abcdef0.log'), SESSION_LOG);
    writeFileSync(join(outside.path, 'secret-0123456789abcdef0.log'), SESSION_LOG);
    symlinkSync('/proc/self/environ', join(dir.path, 'logs', 'environ-0123456789abcdef0.log'));
    symlinkSync(
      join(outside.path, 'secret-0123456789abcdef0.log'),
      join(dir.path, 'logs', 'secret-0123456789abcdef0.log'),
    );
    symlinkSync('/dev/zero', join(dir.path, 'logs', 'zero-0123456789abcdef0.log'));
    symlinkSync(
      join(dir.path, 'logs', 'inside-0123456789abcdef0.log'),
      join(dir.path, 'alias-0123456789abcdef0.log'),
    );
    symlinkSync(outside.path, join(dir.path, 'elsewhere')); // a folder out of it: said so too
    execFileSync('mkfifo', [join(dir.path, 'logs', 'pipe-0123456789abcdef0.log')]);

    const report = await ingestOnce(db.store, [createLocalDirSource(dir.path)], [], []);
    expect(report.failures).toEqual([]);
    // Only the file inside the folder, under its own name and through the link that stays inside.
    expect((await allTranscripts(db.store)).map((t) => t.location).sort()).toEqual([
      'alias-0123456789abcdef0.log',
      'logs/inside-0123456789abcdef0.log',
    ]);
    const rows = (await quarantineRows(db.store)).map(({ itemKey, reason }) => [itemKey, reason]);
    expect(rows.sort()).toEqual([
      ['elsewhere', 'symlink_outside'],
      ['logs/environ-0123456789abcdef0.log', 'special_file'],
      ['logs/pipe-0123456789abcdef0.log', 'not_regular_file'],
      ['logs/secret-0123456789abcdef0.log', 'symlink_outside'],
      ['logs/zero-0123456789abcdef0.log', 'special_file'],
    ]);
    const summary = summaryLines(report.counters, 1).join('\n');
    expect(summary).toMatch(/symlink_outside +2/);
    expect(summary).toMatch(/special_file +2/);
    expect(summary).toMatch(/not_regular_file +1/);
  });

  it('a file that grows while read is quarantined and its committed chunks removed; no orphans after a clean re-import', async () => {
    const file = join(dir.path, 'growing-0123456789abcdef0.log');
    // Incompressible, so chunks spill (committed ahead of the transcript row) during the read.
    writeFileSync(file, randomBytes(40 << 20));
    const grower = setInterval(() => appendFileSync(file, randomBytes(64 << 10)), 5);
    let report: Awaited<ReturnType<typeof ingestOnce>>;
    try {
      report = await ingestOnce(db.store, [createLocalDirSource(dir.path)], [], []);
    } finally {
      clearInterval(grower);
    }
    expect(report.failures).toEqual([]);
    expect((await quarantineRows(db.store)).map((q) => [q.itemKey, q.reason])).toEqual([
      ['growing-0123456789abcdef0.log', 'changed_while_reading'],
    ]);
    expect(chunkCounts(db.path)).toEqual({ all: 0, orphaned: 0 });

    // The file stops growing: a clean re-import stores it whole, and nothing orphaned is left.
    const again = await ingestOnce(db.store, [createLocalDirSource(dir.path)], [], []);
    expect(again.failures).toEqual([]);
    expect(await allTranscripts(db.store)).toHaveLength(1);
    const counts = chunkCounts(db.path);
    expect(counts.all).toBeGreaterThan(0);
    expect(counts.orphaned).toBe(0);
  }, 120_000);
});

function chunkCounts(path: string): { all: number; orphaned: number } {
  const sqlite = new Database(path, { readonly: true });
  try {
    const all = (sqlite.prepare('SELECT count(*) AS n FROM transcript_chunks').get() as { n: number }).n;
    const orphaned = (
      sqlite
        .prepare(
          `SELECT count(*) AS n FROM transcript_chunks c
           WHERE NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.transcript_id = c.transcript_id)`,
        )
        .get() as { n: number }
    ).n;
    return { all, orphaned };
  } finally {
    sqlite.close();
  }
}
