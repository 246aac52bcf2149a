import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
let evidence: string;

beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'store.db');
  evidence = join(work.path, 'evidence');
  mkdirSync(join(evidence, 'trail'), { recursive: true });
  // A gzip cut short and a file that is JSON but not CloudTrail: both set aside, with why.
  writeFileSync(
    join(evidence, 'trail', 'cut.json.gz'),
    gzipSync(Buffer.from('{"Records":[]}')).subarray(0, 12),
  );
  writeFileSync(join(evidence, 'trail', 'odd.json'), '{"Records": 5}');
  writeFileSync(join(evidence, 'trail', 'good.json'), '{"Records": []}');
  const imported = await runCli(['import', evidence, '--db', db, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => work.remove());

describe('shelltrail quarantine', () => {
  it('lists every item set aside, per source, with the reason, as a table and as JSON', async () => {
    const json = await runCli(['quarantine', '--json', '--db', db]);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout.toString()) as {
      sourceId: string;
      itemKey: string;
      reason: string;
    }[];
    expect(rows.map((r) => r.itemKey).sort()).toEqual(['trail/cut.json.gz', 'trail/odd.json']);
    for (const r of rows) {
      expect(r.sourceId).toMatch(/^local:/);
      expect(r.reason).toMatch(/^[a-z_]+$/);
    }
    const table = await runCli(['quarantine', '--db', db]);
    const text = table.stdout.toString();
    expect(text.split('\n')[0]).toMatch(/^SOURCE\s+ITEM\s+REASON\s+DETAIL$/);
    expect(text).toContain('trail/cut.json.gz');
    expect(text).toContain('2 items quarantined');
  });

  it('filters by source, and says so when nothing is set aside', async () => {
    const none = await runCli(['quarantine', '--source', 'local:/nowhere', '--db', db]);
    expect(none.code).toBe(0);
    expect(none.stdout.toString().trim()).toBe('nothing quarantined');
  });
});
