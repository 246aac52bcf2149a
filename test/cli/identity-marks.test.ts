/**
 * Issue 9, section 3: a session known only from a transcript shows its claimed actor as a claim.
 * `sessions` and `search` tables mark an unverified actor (`actor?`, kept however long the claimed
 * name), and search hits carry `identityVerified` in JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPass } from '../../src/analyze/extract-pass.ts';
import { configSchema } from '../../src/config.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli } from './cli-io.ts';
import { writeEvidenceDir } from './fixture-dir.ts';
import { importEvidence, tempDir } from './store-setup.ts';

const VERIFIED = 'alice-0a1b2c3d4e5f60718';
const CLAIMED = 'mallory-0a1b2c3d4e5f60718';
const LONG_CLAIM = 'mallory.the.very.long.claimed.identity@example.com';
let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  work = tempDir('shelltrail-identity-');
  db = join(work.path, 'store.db');
  const folder = join(work.path, 'in');
  writeEvidenceDir(folder); // CloudTrail: alice's StartSession
  mkdirSync(join(folder, 'logs'), { recursive: true });
  writeFileSync(
    join(folder, 'logs', `${VERIFIED}.log`),
    '$ echo from alice\r\r\nfrom alice\r\r\n$ exit\r\r\n',
  );
  const event = (second: number, sessionData: string[]) =>
    JSON.stringify({
      eventVersion: '1.0',
      eventTime: `2026-11-24T10:15:0${second}Z`,
      awsRegion: 'ap-northeast-1',
      target: { id: 'i-0a1b2c3d4e5f60718' },
      userIdentity: { arn: `arn:aws:sts::111122223333:assumed-role/OpsRole/${LONG_CLAIM}` },
      runAsUser: 'ssm-user',
      sessionId: CLAIMED,
      sessionData,
    });
  writeFileSync(
    join(folder, 'logs', `${CLAIMED}.ndjson`),
    `${event(1, ['$ echo from mallory', 'from mallory'])}\n${event(2, ['$ exit', ''])}\n`,
  );
  await importEvidence(db, folder);
  const store = await openStore(db);
  const lease = await store.lease.acquire('test');
  try {
    await extractPass.run({
      store,
      config: configSchema.parse({}),
      signal: new AbortController().signal,
      log: () => {},
    });
  } finally {
    await lease.release();
    await store.close();
  }
});
afterAll(() => work?.remove());

const lineOf = (out: string, sessionId: string) => out.split('\n').find((l) => l.includes(sessionId)) ?? '';

describe('unverified identities', () => {
  it('search hits mark an unverified actor in the table and carry identityVerified in JSON', async () => {
    const json = await runCli(['search', 'echo from', '--json', '--db', db]);
    const hits = (
      JSON.parse(json.stdout.toString()) as { hits: { sessionId: string; identityVerified: boolean }[] }
    ).hits;
    expect(Object.fromEntries(hits.map((h) => [h.sessionId, h.identityVerified]))).toEqual({
      [VERIFIED]: true,
      [CLAIMED]: false,
    });
    const table = (await runCli(['search', 'echo from', '--db', db])).stdout.toString();
    expect(lineOf(table, CLAIMED)).toMatch(/\S+\? /);
    expect(lineOf(table, VERIFIED)).not.toMatch(/\?/);
    expect(table).toMatch(/1 matches with an unverified actor \(shown as actor\?\)/);
  });

  it('sessions table marks an unverified actor, and a long claimed name cannot push the mark out', async () => {
    const table = (await runCli(['sessions', '--db', db])).stdout.toString();
    const claimed = lineOf(table, CLAIMED);
    expect(claimed).toMatch(/mallory\.the\.very[^ ]*\? /);
    expect(lineOf(table, VERIFIED)).not.toMatch(/alice\S*\?/);
    expect(table).toMatch(/1 sessions with an unverified actor/);
  });
});
