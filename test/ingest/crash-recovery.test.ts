/**
 * `kill -9` at 20+ seeded random points of an import, then one run to completion, must give exactly
 * the store an uninterrupted import gives (canonical dump of every table).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrail } from '../../bench/gen/trail.ts';
import { dumpStore } from '../store/dump.ts';
import { tempDir } from './harness.ts';
import { killAtRandomPoints } from './kill-points.ts';
import { startSession, terminateSession } from './records.ts';

const bin = join(import.meta.dirname, '../../bin/shelltrail.js');
let work: ReturnType<typeof tempDir>;
let data: string;

beforeAll(() => {
  work = tempDir('shelltrail-crash-');
  data = join(work.path, 'data');
  generateTrail({
    dir: join(data, 'trail'),
    records: 16_000,
    recordsPerFile: 80,
    sessionShare: 0.1,
    seed: 7,
    gzipLevel: 1,
  });
  mkdirSync(join(data, 'saved'), { recursive: true });
  const lookup = {
    Events: [startSession({ sessionId: 'zoe-0a1b2c3d4e5f60718' })].map((r) => ({
      EventId: r.eventID,
      CloudTrailEvent: JSON.stringify(r),
    })),
  };
  writeFileSync(join(data, 'saved', 'lookup-events.json'), JSON.stringify(lookup, null, 4));
  writeFileSync(
    join(data, 'saved', 'terminate.ndjson'),
    `${JSON.stringify(terminateSession('zoe-0a1b2c3d4e5f60718'))}\n`,
  );
  writeFileSync(
    join(data, 'saved', 'describe-sessions.json'),
    JSON.stringify({
      Sessions: [
        {
          SessionId: 'zoe-0a1b2c3d4e5f60718',
          Target: 'i-0a1b2c3d4e5f60718',
          Status: 'Terminated',
          StartDate: '2026-11-24T08:15:02+00:00',
          EndDate: '2026-11-24T08:40:00+00:00',
          Owner: 'arn:aws:iam::111122223333:user/zoe',
        },
      ],
    }),
  );
  writeFileSync(join(data, 'saved', 'broken.json.gz'), gzipSync('{"Records": [1, 2').subarray(0, 20));
});
afterAll(() => work?.remove());

function importRun(
  db: string,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string }> } {
  const child = spawn(process.execPath, [bin, 'import', data, '--db', db, '--quiet'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, done };
}

describe('import killed with SIGKILL', () => {
  it('converges to the uninterrupted store from 20 random kill points', async () => {
    const reference = join(work.path, 'reference.db');
    const t0 = Date.now();
    const ref = await importRun(reference).done;
    expect(ref.code).toBe(0);
    const startup = Date.now() - t0;
    expect(ref.stdout).toMatch(/quarantined: +1/);

    // The slow knob spaces files out so the kills land at many different files and inside writes.
    const interrupted = join(work.path, 'interrupted.db');
    const kills = await killAtRandomPoints(() => importRun(interrupted, { SHELLTRAIL_TEST_SLOW_MS: '8' }), {
      kills: 20,
      seed: 20261124,
      minMs: Math.round(startup * 0.3),
      windowMs: startup,
    });
    expect(kills.killed).toBe(20);
    const last = await importRun(interrupted).done;
    expect(last.code).toBe(0);
    const [got, want] = [dumpStore(interrupted), dumpStore(reference)];
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const table of Object.keys(want)) {
      const missing = want[table]!.filter((r) => !got[table]!.includes(r)).slice(0, 3);
      const extra = got[table]!.filter((r) => !want[table]!.includes(r)).slice(0, 3);
      expect({ table, missing, extra }).toEqual({ table, missing: [], extra: [] });
    }

    // And importing again changes nothing.
    const again = await importRun(reference).done;
    expect(again.stdout).toMatch(/session events: +0 new/);
    const dump = dumpStore(reference);
    expect(dump.sessions!.length).toBeGreaterThan(200);
    expect(dump.ct_events!.length).toBeGreaterThan(1000);
  }, 120_000);
});
