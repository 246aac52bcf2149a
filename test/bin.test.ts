/** The installed entry point, as a shell user runs it. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrail } from '../bench/gen/trail.ts';

const bin = join(import.meta.dirname, '../bin/shelltrail.js');
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-bin-'));
  db = join(dir, 'store.db');
  generateTrail({ dir: join(dir, 'trail'), records: 4000, sessionShare: 0.5, seed: 3 });
  const imported = spawnSync(process.execPath, [bin, 'import', join(dir, 'trail'), '--db', db, '--quiet']);
  expect(imported.status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/shelltrail.js', () => {
  it('exits quietly when the reader closes the pipe early (`shelltrail sessions | head -1`)', async () => {
    const child = spawn(process.execPath, [bin, 'sessions', '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let seen = 0;
    child.stdout.once('data', (d: Buffer) => {
      seen = d.length;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(seen).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
