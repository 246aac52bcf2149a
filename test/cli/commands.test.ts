import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';

async function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await main(argv, { stdout, stderr, env: {} });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'shelltrail-commands-'));
const session = 'alice-0123456789abcdef0';
const body = '$ whoami\r\r\nssm-user\r\r\n$ sudo reboot^C\r\r\n$ exit\r\r\n';
const logFile = join(dir, `${session}.log`);
writeFileSync(
  logFile,
  `Script started on 2026-11-24 08:15:02+00:00 [COMMAND="cat /var/lib/amazon/ssm/i-0a1b2c3d4e5f60718/session/orchestration/${session}/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n${body}\nScript done on 2026-11-24 08:15:02+00:00 [COMMAND_EXIT_CODE="0"]\n`,
);
const cwFile = join(dir, 'events.json');
const message = (lines: string[]) =>
  JSON.stringify({
    eventVersion: '1.0',
    eventTime: '2026-11-24T08:15:03Z',
    awsRegion: 'ap-northeast-1',
    target: { id: 'i-0a1b2c3d4e5f60718' },
    userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/alice' },
    runAsUser: 'ssm-user',
    sessionId: session,
    sessionData: lines,
  });
writeFileSync(
  cwFile,
  JSON.stringify({
    events: [
      { timestamp: 1795940103000, message: message(['$ whoami', 'ssm-user']) },
      { timestamp: 1795940105000, message: message(['$ exit', '']) },
    ],
  }),
);

describe('shelltrail commands', () => {
  it('prints the commands of an S3 .log as JSON', async () => {
    const { code, out } = await cli(['commands', logFile, '--json', '--user', 'ssm-user']);
    expect(code).toBe(0);
    const rows = JSON.parse(out);
    expect(rows.map((r: { text: string; executed: boolean }) => [r.text, r.executed])).toEqual([
      ['whoami', true],
      ['sudo reboot', false],
      ['exit', true],
    ]);
    expect(Object.keys(rows[0]).sort()).toEqual(
      ['at', 'atPrecision', 'cwd', 'executed', 'exitCode', 'fidelity', 'seq', 'text', 'user'].sort(),
    );
  });

  it('reads a CloudWatch export with times', async () => {
    const { code, out } = await cli(['commands', cwFile, '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out);
    expect(rows[0]).toMatchObject({
      text: 'whoami',
      at: new Date(1795940103000).toISOString(),
      atPrecision: 'second',
    });
  });

  it('prints a readable table', async () => {
    const { code, out } = await cli(['commands', logFile, '--cols', '100']);
    expect(code).toBe(0);
    expect(out).toContain('3 commands (terminal 100 columns, configured)');
    expect(out).toMatch(/1\s+-\s+ssm-user\s+-\s+aborted\s+sudo reboot/);
  });

  it('names the file and the problem on bad input', async () => {
    const missing = await cli(['commands', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.log: no such file');
    const badCols = await cli(['commands', logFile, '--cols', 'wide']);
    expect(badCols.code).toBe(2);
    expect(badCols.err).toContain('--cols');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"timestamp": 1, "message": ');
    const bad = await cli(['commands', broken]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('broken.json');
  });
});
