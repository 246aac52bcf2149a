/**
 * A node can write anything into its transcripts, including its claimed identity: nothing it wrote
 * may reach the operator's terminal as a control sequence.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

const SESSION = 'evil-0a1b2c3d4e5f60718';
let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  work = tempDir('shelltrail-hostile-');
  db = join(work.path, 'store.db');
  const folder = join(work.path, 'exports');
  mkdirSync(folder, { recursive: true });
  const event = (second: number, sessionData: string[]) =>
    JSON.stringify({
      eventVersion: '1.0',
      eventTime: `2026-11-24T08:15:0${second}Z`,
      awsRegion: 'ap-northeast-1',
      target: { id: 'i-0a1b2c3d4e5f60718\u001b[2J' },
      userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/mallory\u001b]0;pwned\u0007' },
      runAsUser: 'ssm-user',
      sessionId: SESSION,
      sessionData,
    });
  writeFileSync(
    join(folder, `${SESSION}.ndjson`),
    `${event(1, ['$ echo hi', 'hi'])}\n${event(2, ['$ exit', ''])}\n`,
  );
  const imported = await runCli(['import', folder, '--db', db]);
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => work?.remove());

describe('output of attacker-controlled fields', () => {
  it('stores the claim as written but prints it with visible escapes', async () => {
    const json = await runCli(['sessions', '--json', '--db', db]);
    const [session] = JSON.parse(json.stdout.toString()) as { actor: string; identityVerified: boolean }[];
    expect(session!.actor).toBe('mallory\u001b]0;pwned\u0007');
    expect(session!.identityVerified).toBe(false);

    for (const argv of [['sessions'], ['findings'], ['search', 'echo']]) {
      const r = await runCli([...argv, '--db', db]);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout.toString(), argv.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    const table = (await runCli(['sessions', '--db', db])).stdout.toString();
    expect(table).toContain('mallory\\x1b]0;pwned\\x07');
  });
});
