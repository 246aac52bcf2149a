import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { settings, startEvent, tempDir, writeStore } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'store.db');
  const long = Date.parse('2025-01-01T00:00:00Z');
  await writeStore(db, async (store) => {
    await store.evidence.writeBatch(
      {
        sourceId: 'test',
        ctEvents: [
          startEvent('gone-0000000000000000a', long, { target: 'i-0aaaaaaaaaaaaaaaa' }),
          startEvent('forged-0000000000000000b', long, { target: 'i-0bbbbbbbbbbbbbbbb' }),
        ],
        transcripts: [
          {
            transcriptId: 's3://b/forged-0000000000000000b.log#e',
            sessionId: 'forged-0000000000000000b',
            source: 's3',
            location: 'b/forged-0000000000000000b.log',
            etag: 'e',
            versionId: null,
            sha256: 'x',
            byteSize: 10,
            format: 'script',
            headerTime: null,
            lastModified: long + 60_000,
            firstEventAt: null,
            lastEventAt: null,
            claimedTarget: 'i-0ccccccccccccccccc',
            claimedPrincipalArn: null,
            claimedRunAsUser: null,
            claimedSessionId: null,
          },
        ],
      },
      settings,
    );
  });
});
afterAll(() => work.remove());

describe('shelltrail findings', () => {
  it('lists missing and integrity findings as JSON, filterable by kind', async () => {
    const all = await runCli(['findings', '--json', '--db', db]);
    expect(all.code, all.stderr).toBe(0);
    const rows = JSON.parse(all.stdout.toString()) as Array<{
      kind: string;
      code: string;
      sessionId: string;
      actor: string;
    }>;
    expect(rows.map((r) => [r.kind, r.code.split(':')[0], r.sessionId]).sort()).toEqual([
      ['integrity', 'target_mismatch', 'forged-0000000000000000b'],
      ['missing', 'no_transcript', 'gone-0000000000000000a'],
    ]);
    expect(rows[0]!.actor).toBe('alice');
    const missing = JSON.parse(
      (await runCli(['findings', '--json', '--kind', 'missing', '--db', db])).stdout.toString(),
    );
    expect(missing).toHaveLength(1);
    const both = JSON.parse(
      (await runCli(['findings', '--json', '--kind', 'missing,integrity', '--db', db])).stdout.toString(),
    );
    expect(both).toHaveLength(2);
  });

  it('prints a table with a per-kind count, and rejects an unknown kind', async () => {
    const r = await runCli(['findings', '--db', db]);
    const text = r.stdout.toString();
    expect(text).toMatch(/^KIND\s+CODE/);
    expect(text).toContain('target_mismatch');
    expect(text).toContain('2 findings (1 missing, 0 partial, 1 integrity)');
    const partial = await runCli(['findings', '--kind', 'partial', '--db', db]);
    expect(partial.stdout.toString()).toBe('no findings\n');
    expect((await runCli(['findings', '--kind', 'bogus', '--db', db])).code).toBe(2);
  });
});
