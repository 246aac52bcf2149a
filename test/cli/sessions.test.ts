import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { writeEvidenceDir } from './fixture-dir.ts';
import { tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'st.db');
  writeEvidenceDir(join(work.path, 'data'));
  expect((await runCli(['import', join(work.path, 'data'), '--db', db])).code).toBe(0);
});
afterAll(() => work.remove());

const json = async (...args: string[]) => {
  const r = await runCli(['sessions', '--json', '--db', db, ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout.toString()) as Record<string, unknown>[];
};

describe('shelltrail sessions', () => {
  it('prints the documented --json fields, times as ISO-8601 UTC or null', async () => {
    const [pf, shell] = await json();
    for (const key of [
      'sessionId',
      'kind',
      'startedAt',
      'endedAt',
      'accountId',
      'region',
      'target',
      'principalArn',
      'actor',
      'sourceIp',
      'documentName',
      'reason',
      'endSource',
      'principalType',
      'coverage',
      'transcriptSources',
      'status',
    ]) {
      expect(shell).toHaveProperty(key);
    }
    expect(shell).toMatchObject({
      sessionId: 'alice-0a1b2c3d4e5f60718',
      kind: 'shell',
      startedAt: '2026-11-24T08:00:00.000Z',
      endedAt: '2026-11-24T08:20:00.000Z',
      endSource: 'terminate',
      accountId: '111122223333',
      region: 'ap-northeast-1',
      actor: 'alice',
      principalType: 'IAMUser',
      documentName: null,
      reason: '障害調査',
    });
    expect(pf).toMatchObject({
      kind: 'port_forward',
      actor: 'tanaka.hiroshi@example.co.jp',
      coverage: 'not_recordable',
      parameters: { portNumber: ['5432'] },
    });
  });

  it('applies filters', async () => {
    expect((await json('--kind', 'port_forward')).map((s) => s.kind)).toEqual(['port_forward']);
    expect((await json('--actor', 'ALICE')).map((s) => s.actor)).toEqual(['alice']);
    expect(await json('--account', '999999999999')).toEqual([]);
    expect(await json('--region', 'us-east-1')).toEqual([]);
    expect((await json('--target', 'i-0a1b2c3d4e5f60718')).length).toBe(2);
    expect((await json('--since', '2026-11-24T08:30:00Z')).map((s) => s.kind)).toEqual(['port_forward']);
    expect((await json('--until', '2026-11-24T08:30:00Z')).map((s) => s.kind)).toEqual(['shell']);
    // --limit N is the first page of N, newest first; without it every page.
    expect((await json('--limit', '1')).map((s) => s.kind)).toEqual(['port_forward']);
    expect(await json('--limit', '5000')).toEqual(await json());
  });

  it('prints a table by default and rejects bad flags', async () => {
    const r = await runCli(['sessions', '--db', db]);
    expect(r.stdout.toString()).toMatch(/^STARTED \(UTC\) +ENDED/);
    expect(r.stdout.toString()).toMatch(/2026-11-24 08:00:00 +2026-11-24 08:20:00 +terminate +shell +alice/);
    expect(r.stdout.toString()).toMatch(/2 sessions\n$/);
    const bad = await runCli(['sessions', '--kind', 'telnet', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kind: expected one of shell, port_forward/);
    expect((await runCli(['sessions', '--since', 'last week', '--db', db])).code).toBe(2);
  });
});

describe('shelltrail sessions: the filters named as in the API', () => {
  it('filters by principal, coverage, command text and alerts, and rejects bad values', async () => {
    const [pf, shell] = await json();
    expect((await json('--principal', String(shell!.principalArn))).map((s) => s.sessionId)).toEqual([
      shell!.sessionId,
    ]);
    expect(await json('--principal', 'arn:aws:iam::111122223333:user/nobody')).toEqual([]);
    expect((await json('--coverage', 'not_recordable')).map((s) => s.sessionId)).toEqual([pf!.sessionId]);
    expect(await json('--text', 'no command ever held this text 7f3a')).toEqual([]);
    // Nothing here raised an alert: both alert filters leave no session.
    expect(await json('--alerts', 'any')).toEqual([]);
    expect(await json('--alert-level', 'low')).toEqual([]);
    for (const [flag, value, message] of [
      ['--coverage', 'most', /--coverage: expected one of not_recordable, open/],
      ['--alerts', 'some', /--alerts: expected one of open, any/],
      ['--alert-level', 'severe', /--alert-level: expected one of informational, low/],
      ['--text', ' ', /--text: expected 1 to 1000 characters/],
    ] as const) {
      const bad = await runCli(['sessions', flag, value, '--db', db]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  });
});
