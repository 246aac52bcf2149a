/**
 * `shelltrail demo` (the README's main command) ends by serving the UI over the demo data on
 * loopback: it prints `listening on http://127.0.0.1:PORT` and a one-time sign-in link; the link
 * signs a browser in, the pages and API show the demo sessions, and SIGTERM exits 0. A real
 * process on a real port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/shelltrail.js');
let dir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';

/** Spawns the demo and resolves once its sign-in line is out. */
function startDemo(args: string[]): Promise<void> {
  child = spawn(
    process.execPath,
    [BIN, 'demo', '--dir', join(dir, 'demo'), '--db', join(dir, 'demo.db'), ...args],
    {
      env: { ...process.env, SHELLTRAIL_CONFIG: undefined, SHELLTRAIL_DB: undefined },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/sign in \(one-time link[^\n]*\n/.test(stdout)) resolvePromise();
    });
    child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-demo-serve-'));
  await startDemo(['--port', '0']);
}, 120_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('shelltrail demo serves the UI', () => {
  let url: string;
  let cookie: string;

  it('prints the summary, then the URL on loopback and a one-time sign-in link', () => {
    expect(stdout).toMatch(/40 sessions\n/);
    const m = /\nlistening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(stdout);
    expect(m).not.toBeNull();
    url = m![1]!;
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(stdout).toMatch(
      new RegExp(`sign in \\(one-time link, 15 minutes\\): ${url}/signin\\?code=shc_\\S+\\n`),
    );
  });

  it('nothing is readable without signing in', async () => {
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${url}/sessions`, { redirect: 'manual' })).status).toBe(303);
  });

  it('the link signs in once; the pages and the API show the demo data', async () => {
    const link = /(http:\S+\/signin\?code=shc_\S+)/.exec(stdout)![1]!;
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const sessions = (await (
      await fetch(`${url}/api/sessions?limit=100`, { headers: { cookie } })
    ).json()) as {
      items: unknown[];
    };
    expect(sessions.items).toHaveLength(40);
    const page = await fetch(`${url}/sessions`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('i-0aa11bb22cc33dd44');
    expect((await fetch(link, { redirect: 'manual' })).headers.get('location')).toBe('/signin?error=invalid');
  });

  it('SIGTERM stops it with exit 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('falls back to a free port only when no --port was given and the configured one is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      stdout = '';
      stderr = '';
      // The configured port (SHELLTRAIL_PORT) is taken: the demo serves on another one.
      const env = process.env.SHELLTRAIL_PORT;
      process.env.SHELLTRAIL_PORT = String(taken);
      try {
        await startDemo([]);
      } finally {
        if (env === undefined) delete process.env.SHELLTRAIL_PORT;
        else process.env.SHELLTRAIL_PORT = env;
      }
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
      expect(port).not.toBe(taken);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // An explicit --port that is taken is an error, not a silent move.
      stdout = '';
      const refused = startDemo(['--port', String(taken)]);
      await expect(refused).rejects.toThrow(/demo exited [1-9]/);
    } finally {
      blocker.close();
    }
  }, 120_000);
});
