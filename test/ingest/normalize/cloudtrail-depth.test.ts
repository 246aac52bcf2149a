/**
 * Issue 9, section 5: a CloudTrail record nested 100,000 levels deep is quarantined alone; the
 * good records beside it are kept, in a trail file, NDJSON and lookup-events output, and through a
 * real import into a store.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_DEPTH, nestedDeeperThan } from '../../../src/ingest/normalize/cloudtrail.ts';
import { parseCloudTrailDocument } from '../../../src/ingest/normalize/cloudtrail-document.ts';
import { openStore } from '../../../src/store/index.ts';
import { importEvidence, tempDir } from '../../cli/store-setup.ts';
import { startSession } from '../records.ts';

const DEPTH = 100_000;
const before = startSession({ sessionId: 'alice-0a1b2c3d4e5f60718', time: '2026-11-24T08:00:00Z' });
const after = startSession({ sessionId: 'bob-0a1b2c3d4e5f607189', time: '2026-11-24T08:05:00Z' });

/** A StartSession record whose requestParameters hold arrays nested DEPTH levels deep, as JSON text. */
function deepRecordText(): string {
  const shell = startSession({ sessionId: 'deep-0a1b2c3d4e5f60718', time: '2026-11-24T08:02:00Z' });
  (shell.requestParameters as Record<string, unknown>).parameters = 'NEST';
  return JSON.stringify(shell).replace('"NEST"', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`);
}
const sessionsOf = (out: ReturnType<typeof parseCloudTrailDocument>) => out.ctEvents.map((e) => e.sessionId);

describe('a record nested 100,000 levels deep', () => {
  it('record nested 100,000 levels deep: quarantined alone, the good records beside it kept (trail file)', () => {
    const text = `{"Records":[${JSON.stringify(before)},${deepRecordText()},${JSON.stringify(after)}]}`;
    const out = parseCloudTrailDocument(text, 'trail.json', 'file://trail.json');
    expect(sessionsOf(out)).toEqual(['alice-0a1b2c3d4e5f60718', 'bob-0a1b2c3d4e5f607189']);
    expect(out.quarantine).toEqual([
      { itemKey: 'trail.json#1', reason: 'too_deep', detail: expect.stringContaining('nested over') },
    ]);
  });

  it('record nested 100,000 levels deep in NDJSON and in lookup-events output: the rest kept', () => {
    const ndjson = [JSON.stringify(before), deepRecordText(), JSON.stringify(after)].join('\n');
    expect(sessionsOf(parseCloudTrailDocument(ndjson, 'x.ndjson', 'o'))).toHaveLength(2);
    const lookup = JSON.stringify({
      Events: [before, 'DEEP', after].map((r) => ({
        CloudTrailEvent: r === 'DEEP' ? deepRecordText() : JSON.stringify(r),
      })),
    });
    const out = parseCloudTrailDocument(lookup, 'lookup.json', 'o');
    expect(sessionsOf(out)).toHaveLength(2);
    expect(out.quarantine.map((q) => q.reason)).toEqual(['too_deep']);
  });

  it('record nested 100,000 levels deep through import: the file is not lost, its good records stored', async () => {
    const work = tempDir('shelltrail-deep-');
    try {
      const day = join(
        work.path,
        'in',
        'AWSLogs',
        '111122223333',
        'CloudTrail',
        'ap-northeast-1',
        '2026',
        '11',
        '24',
      );
      mkdirSync(day, { recursive: true });
      writeFileSync(
        join(day, '111122223333_CloudTrail_ap-northeast-1_20261124T0800Z_deep.json.gz'),
        gzipSync(`{"Records":[${JSON.stringify(before)},${deepRecordText()},${JSON.stringify(after)}]}`),
      );
      const db = join(work.path, 'store.db');
      await importEvidence(db, join(work.path, 'in'));
      const store = await openStore(db);
      try {
        expect(await store.sessions.get('alice-0a1b2c3d4e5f60718')).toBeTruthy();
        expect(await store.sessions.get('bob-0a1b2c3d4e5f607189')).toBeTruthy();
        expect(await store.sessions.get('deep-0a1b2c3d4e5f60718')).toBeUndefined();
      } finally {
        await store.close();
      }
    } finally {
      work.remove();
    }
  });

  it('the depth check is iterative and lets real records through', () => {
    let deep: unknown = [];
    for (let i = 0; i < DEPTH; i++) deep = [deep];
    expect(nestedDeeperThan(deep, MAX_RECORD_DEPTH)).toBe(true);
    expect(nestedDeeperThan(before, MAX_RECORD_DEPTH)).toBe(false);
  });
});
