/**
 * The one error path, as a shell user meets it: the installed entry point run as a child process.
 * Every mistake a user can make prints one line `shelltrail <command>: <message>` and exits with
 * its documented code, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errors.ts';
import { tempDir } from './store-setup.ts';

const bin = join(import.meta.dirname, '../../bin/shelltrail.js');
let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(() => {
  work = tempDir('shelltrail-errors-');
  db = join(work.path, 'store.db');
  // A store to run against: created by a read command on a fresh path.
  expect(shelltrail(['sessions', '--db', db]).code).toBe(0);
});
afterAll(() => work.remove());

function shelltrail(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SHELLTRAIL_CONFIG: '', SHELLTRAIL_DEBUG: '', ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one line on stderr, starting with the command's prefix, and no stack frame. */
function expectOneLine(stderr: string, command: string): string {
  const lines = stderr.split('\n');
  expect(lines, stderr).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(new RegExp(`^shelltrail ${command}: \\S`));
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('one error line and the documented exit code', () => {
  it('a 1,001-character search query: exit 2', () => {
    const r = shelltrail(['search', 'x'.repeat(1001), '--db', db]);
    expect(r.code).toBe(2);
    expect(expectOneLine(r.stderr, 'search')).toContain('limited to 1000 characters (got 1001)');
    expect(r.stdout).toBe('');
  });

  it('a 100 KB search query: exit 2, and the line stays short', () => {
    const r = shelltrail(['search', 'y'.repeat(100 * 1024), '--db', db]);
    expect(r.code).toBe(2);
    const line = expectOneLine(r.stderr, 'search');
    expect(line).toContain('(got 102400)');
    expect(line.length).toBeLessThan(600);
  });

  it('--db pointing at a file that is not a store: exit 2, the file untouched', () => {
    const notes = join(work.path, 'notes.txt');
    const text = 'meeting notes\n'.repeat(500);
    writeFileSync(notes, text);
    for (const argv of [['sessions'], ['search', 'sudo'], ['findings']]) {
      const r = shelltrail([...argv, '--db', notes]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(expectOneLine(r.stderr, argv[0]!)).toContain(notes);
    }
    expect(readFileSync(notes, 'utf8')).toBe(text);
  });

  it('an unknown flag: exit 2', () => {
    const r = shelltrail(['sessions', '--colour', '--db', db]);
    expect(r.code).toBe(2);
    expect(expectOneLine(r.stderr, 'sessions')).toMatch(/'--colour'.*see 'shelltrail sessions --help'/);
  });

  it('a bad --limit: exit 2', () => {
    for (const argv of [
      ['search', 'sudo', '--limit', '0'],
      ['search', 'sudo', '--limit', '1001'],
      ['sessions', '--limit', 'ten'],
    ]) {
      const r = shelltrail([...argv, '--db', db]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(expectOneLine(r.stderr, argv[0]!)).toContain('--limit: expected');
    }
  });

  it('an unknown command: exit 2, one line', () => {
    const r = shelltrail(['sesions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`shelltrail: unknown command "sesions" (see 'shelltrail --help')\n`);
  });

  it('a configuration that does not validate: exit 2, one line per wrong field', () => {
    const config = join(work.path, 'bad.yaml');
    writeFileSync(config, 'pollIntervalSeconds: 0\nterminal:\n  defaultCols: 5\n');
    const r = shelltrail(['sessions', '--config', config]);
    expect(r.code).toBe(2);
    const [first, ...issues] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^shelltrail sessions: \S/);
    expect(issues.join('\n')).toContain('pollIntervalSeconds');
    expect(issues.join('\n')).toContain('terminal.defaultCols');
    expect(issues.every((l) => l.startsWith('  - '))).toBe(true);
  });
});

describe('an error nobody expected', () => {
  function report(err: unknown, env: Record<string, string> = {}) {
    const stderr = new PassThrough();
    const code = reportError(stderr, 'sessions', err, env);
    return { code, text: String(stderr.read() ?? '') };
  }

  it('prints its name and message on one line, exit 1; the stack only with SHELLTRAIL_DEBUG=1', () => {
    const err = new TypeError('cannot read properties of undefined\n(reading "x")\x1b[2J');
    const plain = report(err);
    expect(plain.code).toBe(1);
    expect(plain.text).toBe(
      'shelltrail sessions: TypeError: cannot read properties of undefined\\n(reading "x")\\x1b[2J' +
        ' (SHELLTRAIL_DEBUG=1 prints the stack)\n',
    );
    const debug = report(new Error('outer', { cause: new RangeError('inner') }), { SHELLTRAIL_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.text).toMatch(/^shelltrail sessions: Error: outer\nError: outer\n\s+at /);
    expect(debug.text).toContain('caused by: RangeError: inner');
  });
});
