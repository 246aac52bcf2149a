/**
 * A store for the web tests, built through the real import path: the demo dataset (realistic
 * sessions, findings, attempts), one recorded fixture session, and a hostile session (HTML and
 * `<script>` in commands and output, OSC 8 `javascript:` links, OSC 52 clipboard writes, a 1 MB
 * line, bidi overrides in the identity), with its CloudTrail record.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../cli/cli-io.ts';
import { identities, startSession, terminateSession, trailFile } from '../ingest/records.ts';
import { FIXTURES_DIR } from '../ingest/transcript-fixtures.ts';

export const HOSTILE_SESSION = 'mallory-0fedcba9876543210';
/** The actor: a right-to-left override that would make `mallory‮exe.txt` read as `mallorytxt.exe`. */
export const HOSTILE_ACTOR = 'mallory\u202Eexe.txt';
export const HOSTILE_COMMANDS = [
  '<script>window.__pwned=1</script>',
  'echo "<img src=x onerror=window.__pwned=2>"',
  'printf "\\e]8;;javascript:window.__pwned=3\\e\\\\click\\e]8;;\\e\\\\"',
];
export const FIXTURE_NAME = 'dash-basic';

export async function buildWebStore(root: string): Promise<{ db: string; fixtureSession: string }> {
  const db = join(root, 'web.db');
  const demo = await runCli(['demo', '--dir', join(root, 'demo'), '--db', db, '--no-serve']);
  if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const dir = join(root, 'extra');
  const day = join(dir, 'AWSLogs', '444455556666', 'CloudTrail', 'eu-west-1', '2026', '11', '27');
  mkdirSync(day, { recursive: true });
  const meta = JSON.parse(readFileSync(join(FIXTURES_DIR, FIXTURE_NAME, 'meta.json'), 'utf8'));
  writeFileSync(
    join(day, '444455556666_CloudTrail_eu-west-1_20261127T0900Z_web.json.gz'),
    gzipSync(
      trailFile([
        startSession({
          sessionId: HOSTILE_SESSION,
          identity: identities.iamUser(HOSTILE_ACTOR, '444455556666'),
          account: '444455556666',
          region: 'eu-west-1',
          target: 'i-0badc0ffee0000001',
          time: '2026-11-27T09:00:00Z',
          reason: '<b>maintenance</b> \u202Etxt.exe',
        }),
        terminateSession(HOSTILE_SESSION, {
          time: '2026-11-27T09:30:00Z',
          identity: identities.iamUser(HOSTILE_ACTOR, '444455556666'),
          region: 'eu-west-1',
        }),
        startSession({
          sessionId: meta.sessionId,
          identity: identities.iamUser('alice', '444455556666'),
          account: '444455556666',
          region: 'ap-northeast-1',
          target: meta.target,
          time: '2026-11-28T10:44:33Z',
        }),
      ]),
    ),
  );
  copyFileSync(join(FIXTURES_DIR, FIXTURE_NAME, `${meta.sessionId}.log`), join(dir, `${meta.sessionId}.log`));
  writeFileSync(join(dir, `${HOSTILE_SESSION}.log`), hostileTranscript());
  const r = await runCli(['import', dir, '--db', db, '--quiet']);
  if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
  return { db, fixtureSession: meta.sessionId };
}

function hostileTranscript(): Buffer {
  const lines = [
    `$ ${HOSTILE_COMMANDS[0]}`,
    'sh: 1: Syntax error: redirection unexpected',
    `$ ${HOSTILE_COMMANDS[1]}`,
    '<img src=x onerror=window.__pwned=2>',
    `$ ${HOSTILE_COMMANDS[2]}`,
    '\x1b]8;;javascript:window.__pwned=3\x1b\\click\x1b]8;;\x1b\\',
    '$ printf "\\e]52;c;cm0gLXJmIC8=\\a"',
    '\x1b]52;c;cm0gLXJmIC8=\x07',
    '$ python3 -c "print(\'A\' * 1048576)"',
    'A'.repeat(1024 * 1024),
    '$ exit',
  ];
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''));
}
