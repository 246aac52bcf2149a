import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalDirSource } from '../../../src/ingest/sources/local-dir.ts';
import { dumpStore } from '../../store/dump.ts';
import { allSessions, ledgerKeys, quarantineRows } from '../../support/store-view.ts';
import { ingestOnce, tempDir, tempStore } from '../harness.ts';
import { identities, noise, startSession, terminateSession, trailFile } from '../records.ts';

let dir: ReturnType<typeof tempDir>;
let db: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  dir = tempDir();
  db = await tempStore();
});
afterEach(async () => {
  await db.dispose();
  dir.remove();
});

function write(rel: string, content: string | Buffer) {
  const path = join(dir.path, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

const day = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/ap-northeast-1/2026/11/24';

function populate() {
  const s1 = startSession({ sessionId: 'alice-0a1b2c3d4e5f60718', time: '2026-11-24T08:00:00Z' });
  const s2 = startSession({
    sessionId: 'tanaka.hiroshi@example.co.jp-5h3kq9z8x7w6v5u4t3s2r1q0pa',
    identity: identities.sso(),
    documentName: 'AWS-StartSSHSession',
    time: '2026-11-24T09:00:00Z',
  });
  write(
    `${day}/111122223333_CloudTrail_ap-northeast-1_20261124T0800Z_a.json.gz`,
    gzipSync(trailFile([noise(), s1, noise()])),
  );
  // The same records again in another file (CloudTrail duplicates), and the end before its start.
  write(
    `${day}/111122223333_CloudTrail_ap-northeast-1_20261124T0805Z_b.json.gz`,
    gzipSync(trailFile([s1, s2])),
  );
  write('loose/early-terminate.json', trailFile([terminateSession('alice-0a1b2c3d4e5f60718')]));
  write(
    'loose/denied.ndjson',
    `${JSON.stringify(startSession({ errorCode: 'TargetNotConnected' }))}\n${JSON.stringify(noise())}\n`,
  );
  write(
    'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/ap-northeast-1/2026/11/24/d.json.gz',
    gzipSync('{"digestStartTime":"x"}'),
  );
  write('AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/ConfigWritabilityCheckFile', 'probe');
  write(`${day}/broken.json.gz`, gzipSync(trailFile([s1])).subarray(0, 30));
  write(`${day}/empty.json.gz`, '');
  write('notes.txt', 'not evidence');
}

describe('local-dir source', () => {
  it('imports a trail copy, loose files and NDJSON; quarantines what is broken; skips digests', async () => {
    populate();
    const report = await ingestOnce(db.store, [createLocalDirSource(dir.path)]);
    expect(report.failures).toEqual([]);
    const sessions = await allSessions(db.store);
    // No evidence ends the SSH session: it has no end, only the assumed one (start + max duration).
    expect(sessions.map((s) => [s.sessionId, s.kind, s.endSource])).toEqual([
      ['tanaka.hiroshi@example.co.jp-5h3kq9z8x7w6v5u4t3s2r1q0pa', 'ssh', null],
      ['alice-0a1b2c3d4e5f60718', 'shell', 'terminate'],
    ]);
    expect(sessions.map((s) => s.assumedEndAt)).toEqual([sessions[0]!.startedAt! + 24 * 3_600_000, null]);
    expect((await db.store.sessions.listAttempts()).items.map((a) => a.errorCode)).toEqual([
      'TargetNotConnected',
    ]);
    const quarantine = (await quarantineRows(db.store)).map(({ itemKey, reason }) => ({ itemKey, reason }));
    expect(quarantine).toEqual([
      { itemKey: `${day}/broken.json.gz`, reason: 'corrupt_gzip' },
      { itemKey: `${day}/empty.json.gz`, reason: 'empty' },
    ]);
    expect(report.counters).toMatchObject({ recordsSeen: 8, sessionEvents: 4, quarantined: 2 });
    expect(report.counters.quarantineReasons).toEqual({ corrupt_gzip: 1, empty: 1 });
  });

  it('changes nothing when the same folder is imported again', async () => {
    populate();
    await ingestOnce(db.store, [createLocalDirSource(dir.path)]);
    const before = dumpStore(db.path);
    const again = await ingestOnce(db.store, [createLocalDirSource(dir.path)]);
    expect(again.counters).toMatchObject({
      recordsSeen: 0,
      sessionEvents: 0,
      sessionsCreated: 0,
      sessionsUpdated: 0,
    });
    expect(dumpStore(db.path)).toEqual(before);
  });

  it('reads a changed file again (ledger keyed by content) and a single file given directly', async () => {
    write('one.json', trailFile([startSession({ sessionId: 'bob-0000000000000000a' })]));
    await ingestOnce(db.store, [createLocalDirSource(dir.path)]);
    write('one.json', trailFile([startSession({ sessionId: 'bob-0000000000000000b' })]));
    await ingestOnce(db.store, [createLocalDirSource(join(dir.path, 'one.json'))]);
    expect((await allSessions(db.store)).map((s) => s.sessionId).sort()).toEqual([
      'bob-0000000000000000a',
      'bob-0000000000000000b',
    ]);
  });

  it('quarantines files that cannot be read, FIFOs and links into /proc, and still imports their neighbours', async () => {
    write('a/good.json', trailFile([startSession({ sessionId: 'bob-0000000000000000a' })]));
    symlinkSync('/proc/self/mem', join(dir.path, 'a/eio.json')); // a regular file whose read fails (EIO)
    symlinkSync('/proc/self/mem', join(dir.path, 'a/eio-0000000000000000e.log'));
    symlinkSync(join(dir.path, 'nowhere.json'), join(dir.path, 'a/dangling.json'));
    symlinkSync(join(dir.path, 'a'), join(dir.path, 'b-loop')); // a folder link: not followed
    execFileSync('mkfifo', [join(dir.path, 'a/pipe.log')]); // opening it for reading would block
    const huge = join(dir.path, 'a/huge.json'); // sparse: 300 MB on paper, nothing on disk
    writeFileSync(huge, '');
    truncateSync(huge, 300 << 20);
    write('z/late.json', trailFile([startSession({ sessionId: 'bob-0000000000000000z' })]));
    const log: string[] = [];
    const report = await ingestOnce(db.store, [createLocalDirSource(dir.path)], log);
    expect(report.failures).toEqual([]);
    expect((await allSessions(db.store)).map((s) => s.sessionId).sort()).toEqual([
      'bob-0000000000000000a',
      'bob-0000000000000000z',
    ]);
    const rows = async () =>
      (await quarantineRows(db.store)).map(({ itemKey, reason, detail }) => ({ itemKey, reason, detail }));
    expect(await rows()).toEqual([
      { itemKey: 'a/dangling.json', reason: 'unreadable', detail: 'a/dangling.json: cannot read (ENOENT)' },
      // Links into /proc are not followed (issue 9.4): said in the quarantine, never read.
      {
        itemKey: 'a/eio-0000000000000000e.log',
        reason: 'special_file',
        detail: 'a/eio-0000000000000000e.log: leads into /proc, /sys or /dev (not read)',
      },
      {
        itemKey: 'a/eio.json',
        reason: 'special_file',
        detail: 'a/eio.json: leads into /proc, /sys or /dev (not read)',
      },
      {
        itemKey: 'a/huge.json',
        reason: 'too_large',
        detail: `a/huge.json is larger than ${256 * 1024 * 1024} bytes`,
      },
      {
        itemKey: 'a/pipe.log',
        reason: 'not_regular_file',
        detail: 'a/pipe.log: not a regular file (FIFO, socket or device; not read)',
      },
    ]);
    expect(log.some((l) => l.endsWith('b-loop: skipped, a symlink to a folder (not followed)'))).toBe(true);
    // Files refused without being read have no ledger entry, so the next import looks again (an
    // unreadable file may become readable); nothing is duplicated.
    expect(await ledgerKeys(db.store, createLocalDirSource(dir.path).id)).toEqual([
      'a/good.json',
      'z/late.json',
    ]);
    const again = await ingestOnce(db.store, [createLocalDirSource(dir.path)]);
    expect(again.failures).toEqual([]);
    expect(await rows()).toHaveLength(5);
  });
});
