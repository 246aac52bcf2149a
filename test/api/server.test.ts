/**
 * Against a real server: `shelltrail serve --no-ingest --read-workers 1` (reads through a worker
 * thread) on a loopback port in its own process,
 * with `token create` run while it serves (no writer lease needed), the browser sign-in with the
 * printed one-time link, and SIGTERM ending it with exit 0. Request logs carry no query strings,
 * tokens or codes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-io.ts';

const BIN = resolve(import.meta.dirname, '../../bin/shelltrail.js');
let dir: string;
let db: string;
let child: ChildProcess;
let url: string;
let signInLink: string;
let stderr = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-serve-'));
  db = join(dir, 'store.db');
  child = spawn(
    process.execPath,
    [BIN, 'serve', '--db', db, '--port', '0', '--no-ingest', '--read-workers', '1'],
    {
      env: { ...process.env, SHELLTRAIL_CONFIG: undefined },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const lines = await new Promise<string[]>((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const got = out.split('\n');
      if (got.length >= 3) resolvePromise(got);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)![1]!;
  signInLink = /(http:\S+signin\?code=shc_\S+)$/.exec(lines[1]!)![1]!;
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('shelltrail serve', () => {
  let token: string;
  it('answers /healthz, refuses the API without a token', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);
  });

  it('`token create` works while serve runs; the token opens the API', async () => {
    const made = await runCli(['token', 'create', '--role', 'auditor', '--name', 'ci', '--json', '--db', db]);
    expect(made.code).toBe(0);
    token = JSON.parse(made.stdout.toString()).token;
    expect(token).toMatch(/^sht_[A-Za-z0-9_-]{43}$/);
    const res = await fetch(`${url}/api/sessions?text=secret-query-text`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null, alerts: {} });
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the one-time link signs a browser in once, with an HttpOnly SameSite=Strict cookie', async () => {
    const first = await fetch(signInLink, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect((await fetch(`${url}/api/access-log`, { headers: { cookie: session } })).status).toBe(200);
    const again = await fetch(signInLink, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/signin?error=invalid');
    // Sign-out revokes the cookie's credential (same-origin form post).
    const out = await fetch(`${url}/signout`, {
      method: 'POST',
      headers: { cookie: session, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect((await fetch(`${url}/api/access-log`, { headers: { cookie: session } })).status).toBe(401);
  });

  it('a cross-site form post is refused (CSRF)', async () => {
    const res = await fetch(`${url}/signin`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${token}`,
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });

  it('`token revoke` shuts the token out; `access-log` shows sign-ins and token changes', async () => {
    expect((await runCli(['token', 'revoke', 'ci', '--db', db])).code).toBe(0);
    expect(
      (await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    const log = await runCli(['access-log', '--json', '--db', db]);
    const actions = JSON.parse(log.stdout.toString()).map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['token_create', 'token_revoke', 'signin', 'signout']));
    const table = (await runCli(['access-log', '--db', db])).stdout.toString().split('\n');
    expect(table[0]).toMatch(/^TIME \(UTC\) +ACTION +WHO +ROLE +FROM +WHAT/);
    expect(table.some((l) => / token_revoke /.test(l))).toBe(true);
  });

  it('SIGTERM: exit 0; the request log has no query strings, tokens or codes', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('"route"');
    expect(stderr).not.toContain('secret-query-text');
    expect(stderr).not.toContain(token);
    expect(stderr).not.toContain(signInLink.split('code=')[1]);
  });
});
