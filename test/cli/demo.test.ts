import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => work.remove());

function digest(dir: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const f of files) hash.update(f.slice(dir.length)).update(readFileSync(f));
  return hash.digest('hex');
}

describe('shelltrail demo', () => {
  it('writes a deterministic dataset in real layouts, imports it and shows sessions and attempts', async () => {
    const dir = join(work.path, 'demo');
    const db = join(work.path, 'demo.db');
    const r = await runCli(['demo', '--dir', dir, '--db', db, '--no-serve']);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/40 sessions\n/);
    expect(out).toMatch(/6 denied attempts/);
    expect(out).toMatch(/corrupt_gzip +1/);
    const trail = readdirSync(join(dir, 'trail', 'AWSLogs'));
    expect(trail.sort()).toEqual(['222233334444', 'o-a1b2c3d4e5']);
    expect(readdirSync(join(dir, 'trail', 'AWSLogs', 'o-a1b2c3d4e5')).sort()).toEqual([
      '111122223333',
      '444455556666',
    ]);
    const sessions = JSON.parse((await runCli(['sessions', '--json', '--db', db])).stdout.toString()) as {
      kind: string;
      actor: string;
      endSource: string;
    }[];
    const kinds = new Set(sessions.map((s) => s.kind));
    for (const k of ['shell', 'port_forward', 'ssh', 'interactive_command', 'custom'])
      expect(kinds).toContain(k);
    expect(sessions.some((s) => s.actor === 'root')).toBe(true);
    expect(sessions.some((s) => s.actor.endsWith('@example.co.jp'))).toBe(true);
    expect(new Set(sessions.map((s) => s.endSource))).toContain('describe');
    const first = digest(dir);
    await runCli(['demo', '--dir', dir, '--db', db, '--no-serve']);
    expect(digest(dir)).toBe(first);
  }, 30_000);
});
