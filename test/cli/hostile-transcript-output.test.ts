/**
 * Issue 9, section 5: output that is always safe. `transcript` (text, the default) of a
 * CloudWatch-form and a PowerShell-form log escapes what a transcript's author wrote to act on the
 * reader's terminal, as the tables do; `--json` writes C1 controls and bidi marks as `\u` escapes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonText } from '../../src/cli/json-out.ts';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

const CW = 'cwhostile-0a1b2c3d4e5f6071';
const PS = 'pshostile-0a1b2c3d4e5f6071';
/** OSC 52 (clipboard write), OSC 0 (title), a screen clear, a CR overwrite, bidi, a C1 CSI. */
const HOSTILE = [
  '\x1b]52;c;cm0gLXJmIC8K\x07',
  '\x1b]0;innocent title\x07',
  '\x1b[2J\x1b[H',
  'sudo rm -rf /var/log/audit\rls -l                     ',
  'echo \u202Etxt.exe\u202C \u2066isolated\u2069',
  '\u009b31mred',
].join(' ');
/** What a terminal would act on: C0 but newline/tab, DEL, C1, bidi embeddings/overrides/isolates. */
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  work = tempDir('shelltrail-hostile-text-');
  db = join(work.path, 'store.db');
  const folder = join(work.path, 'in');
  mkdirSync(folder, { recursive: true });
  const event = (second: number, sessionData: string[]) =>
    JSON.stringify({
      eventVersion: '1.0',
      eventTime: `2026-11-24T08:15:0${second}Z`,
      awsRegion: 'ap-northeast-1',
      target: { id: 'i-0a1b2c3d4e5f60718' },
      userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/mallory\u202e\u009bx' },
      runAsUser: 'ssm-user',
      sessionId: CW,
      sessionData,
    });
  writeFileSync(
    join(folder, `${CW}.ndjson`),
    `${event(1, ['$ echo hi', 'hi'])}\n${event(2, [`$ echo ${HOSTILE}`, HOSTILE])}\n${event(3, ['$ exit', ''])}\n`,
  );
  const ps =
    '**********************\r\nWindows PowerShell transcript start\r\nStart time: 20261124081500\r\n' +
    `**********************\r\nPS C:\\> echo x\r\n${HOSTILE}\r\nPS C:\\> exit\r\n`;
  writeFileSync(join(folder, `${PS}.log`), ps);
  const imported = await runCli(['import', folder, '--db', db]);
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => work?.remove());

describe('transcript --text of hostile logs', () => {
  it('transcript --text escapes ESC, OSC 52, OSC 0, clears, CR, bidi and C1 in a CloudWatch-form log', async () => {
    for (const argv of [
      ['transcript', CW],
      ['transcript', CW, '--text'],
    ]) {
      const r = await runCli([...argv, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      const text = r.stdout.toString();
      expect(text).not.toMatch(ACTIVE);
      expect(text).toContain('\\x1b]52;c;cm0gLXJmIC8K\\x07');
      expect(text).toContain('sudo rm -rf /var/log/audit\\x0dls -l');
      expect(text).toContain('\\u202etxt.exe\\u202c');
      expect(text).toContain('\\x9b31mred');
    }
    // --raw stays exactly what was stored: the operator asked for the bytes.
    const raw = await runCli(['transcript', CW, '--raw', '--db', db]);
    expect(raw.stdout.toString()).toMatch(ACTIVE);
  });

  it('transcript --text escapes the same in a PowerShell-form log, keeping its CRLF line ends as lines', async () => {
    const r = await runCli(['transcript', PS, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout.toString();
    expect(text).not.toMatch(ACTIVE);
    expect(text.split('\n')).toContain('PS C:\\> echo x');
    expect(text).toContain('\\x1b[2J\\x1b[H');
  });
});

describe('--json of hostile content', () => {
  it('--json writes U+202E, U+009B and every C0/C1/bidi character as \\u escapes', async () => {
    for (const argv of [
      ['sessions', '--json'],
      ['search', 'echo', '--json'],
      ['findings', '--json'],
      ['attempts', '--json'],
      ['quarantine', '--json'],
    ]) {
      const r = await runCli([...argv, '--db', db]);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      const out = r.stdout.toString();
      expect(out, argv.join(' ')).not.toMatch(ACTIVE);
      JSON.parse(out); // still the same document
    }
    for (const argv of [
      ['sessions', '--json'],
      ['search', 'echo', '--json'],
    ]) {
      const out = (await runCli([...argv, '--db', db])).stdout.toString();
      expect(out, argv.join(' ')).toContain('mallory\\u202e\\u009bx');
    }
  });

  it('jsonText escapes DEL, C1, bidi and line separators and parses back to the same value', () => {
    const value = { s: 'a\u202eb\u009bc\u007fd\u2066e\u2028f\u200fg\x1bh' };
    const text = jsonText(value);
    expect(text).not.toMatch(
      /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
    );
    expect(JSON.parse(text)).toEqual(value);
  });
});
