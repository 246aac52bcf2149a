/**
 * kill -9 convergence for transcript import: `shelltrail import` of a folder of session logs,
 * CloudWatch exports and a CloudTrail file is killed at 20 seeded random points (in 5 lineages of
 * 4 kills, each then run to completion); every lineage must end with exactly the store an
 * uninterrupted import builds (canonical dump of every table).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpStore } from '../store/dump.ts';
import { killAtRandomPoints } from './kill-points.ts';
import { loadFixture } from './transcript-fixtures.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/shelltrail.js');
let work: string;
let folder: string;

/**
 * A fixed set of recordings (the shells and forms of the first fixture round): the import under kill
 * must stay a few seconds long so 20 kills fit the timeout, however many fixtures test/ gains.
 */
const KILL_FIXTURES = [
  'bash-color-wide',
  'bash-ctrl-r-wide',
  'bash-multiline',
  'bash-wrapped-edit-users',
  'bracketed-paste',
  'custom-ps1-two-line',
  'dash-basic',
  'dash-multiline-paste',
  'fullscreen-programs',
  'osc133-shell-integration',
  'poisoning',
  'readline-editing',
  'sh-posix-editing',
  'sh-to-bash-sudo-other',
  'sudo-i-wide',
  'sudo-su-root',
  'utf8-japanese-emoji',
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shelltrail-kill-'));
  folder = join(work, 'import');
  const put = (rel: string, content: string | Buffer) => {
    mkdirSync(dirname(join(folder, rel)), { recursive: true });
    writeFileSync(join(folder, rel), content);
  };
  const records: unknown[] = [];
  for (const [i, name] of KILL_FIXTURES.entries()) {
    const f = loadFixture(name);
    if (i % 3 === 0) put(`bucket/ssm/${f.s3Key}.gz`, gzipSync(f.s3));
    else put(`bucket/ssm/2026/${i}/${f.s3Key}`, f.s3);
    put(`exports/${f.sessionId}.json`, JSON.stringify({ events: f.cloudwatch }));
    // CloudTrail confirms some sessions; one of them on another instance than the transcript says.
    if (i % 2 === 0)
      records.push(startSession(f.sessionId, i === 0 ? 'i-0ffffffffffffffff' : f.target, f.userArn, i));
  }
  put(
    'trail/111122223333_CloudTrail_ap-northeast-1_20261128T1045Z_abc.json',
    JSON.stringify({ Records: records }),
  );
  const big = loadFixture('long-output');
  const body = Buffer.concat(Array.from({ length: 40 }, () => big.s3.subarray(300)));
  put('bucket/big/big-0000000000000000a.log', Buffer.concat([big.s3.subarray(0, 0), body]));
  put('bucket/broken/empty-0000000000000000b.log', '');
  put('exports/broken.json', '{"events": [');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function importInto(db: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'import', folder, '--db', db, '--quiet'], {
    cwd: work,
    env: { ...process.env, SHELLTRAIL_TEST_SLOW_MS: '15' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 10_000) stderr += d.toString();
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Every table's rows; dumpStore drops a finding's detected_at (the clock of the run that saw it). */
function dumpOf(db: string): Record<string, string[]> {
  return dumpStore(db);
}

describe('transcript import under kill -9', () => {
  it('converges to the uninterrupted store from 20 random kill points', { timeout: 180_000 }, async () => {
    const reference = join(work, 'reference.db');
    const t0 = performance.now();
    const clean = await finished(importInto(reference));
    const duration = performance.now() - t0;
    expect(clean.code, clean.stderr).toBe(0);
    const expected = dumpOf(reference);
    expect(JSON.stringify(expected.findings)).toContain('target_mismatch');
    expect(expected.transcript_chunks!.length).toBeGreaterThan(0);

    // 5 lineages of 4 kills, each from an empty store, so kills land early and late in the work.
    for (let lineage = 0; lineage < 5; lineage++) {
      const db = join(work, `lineage-${lineage}.db`);
      const kills = await killAtRandomPoints(
        () => {
          const child = importInto(db);
          return { child, done: finished(child) };
        },
        { kills: 4, seed: 3 + lineage, minMs: 300, windowMs: Math.max(100, duration - 300) },
      );
      expect(kills.killed).toBe(4);
      const last = await finished(importInto(db));
      expect(last.code, last.stderr).toBe(0);
      expect(dumpOf(db)).toEqual(expected);
    }
  });
});

function startSession(sessionId: string, target: string, arn: string, i: number) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn, accountId: '111122223333', principalId: 'AROAEXAMPLE:x' },
    eventTime: `2026-11-28T10:${String(10 + i).padStart(2, '0')}:00Z`,
    eventSource: 'ssm.amazonaws.com',
    eventName: 'StartSession',
    awsRegion: 'ap-northeast-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { target },
    responseElements: {
      sessionId,
      tokenValue: 'Value hidden due to security reasons.',
      streamUrl: 'wss://x',
    },
    eventID: `0000000${i}-1111-2222-3333-444455556666`,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}
