/**
 * The published package (issue 10): `npm pack` builds dist/ through `prepare` and ships it, and the
 * packed CLI runs from the tarball alone, without the TypeScript sources or tsx.
 *
 * The repo is copied to a temporary folder and packed there, so the shared dist/ is not rebuilt
 * under anyone's feet. Installing the tarball's dependencies needs the registry (npm's offline
 * cache holds tarballs but not the package documents `npm install` resolves with), so the tarball
 * is unpacked as npm would install it and given the repo's node_modules one folder up, where Node
 * looks for them. The module trace then shows nothing came from src/ or tsx.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesIn, traceModules } from './module-trace.ts';

const repo = join(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let files: string[];
let installed: string;
let bin: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shelltrail-pack-'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'tsconfig.json', 'README.md']) {
    cpSync(join(repo, entry), join(stage, entry));
  }
  for (const dir of ['bin', 'src', 'migrations', 'demo-data']) {
    cpSync(join(repo, dir), join(stage, dir), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const packed = spawnSync(npm, ['pack', '--json', '--pack-destination', work], {
    cwd: stage,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  files = info.files.map((f) => f.path);

  // Laid out as `npm install` would: <prefix>/node_modules/shelltrail, dependencies beside it.
  const prefix = join(work, 'prefix');
  const modules = join(prefix, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const dep of readdirSync(join(repo, 'node_modules'))) {
    if (dep !== '.bin') symlinkSync(join(repo, 'node_modules', dep), join(modules, dep));
  }
  installed = join(modules, 'shelltrail');
  mkdirSync(installed);
  execFileSync('tar', ['-xzf', join(work, info.filename), '-C', installed, '--strip-components=1']);
  bin = join(installed, 'bin', 'shelltrail.js');
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the built JavaScript, its assets, migrations and demo data, not the sources', () => {
    for (const path of [
      'bin/shelltrail.js',
      'dist/.built',
      // The bundle's entry points keep their paths (bin/shelltrail.js and worker threads start them).
      'dist/cli/index.js',
      'dist/terminal/budget/worker.js',
      'dist/server/read-worker.js',
      'dist/server/read-worker-boot.mjs',
      'dist/web/static/app.css',
      'dist/web/static/session.js',
      'migrations/meta/_journal.json',
      'demo-data/README.md',
      'package.json',
      'README.md',
    ]) {
      expect(files).toContain(path);
    }
    // Each command module is a chunk of its own, loaded when that command runs.
    expect(files.some((f) => /^dist\/chunks\/sessions-\w+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /^dist\/detect\/rules\/.+\.yml$/.test(f))).toBe(true);
    expect(files.some((f) => /^migrations\/\d{4}_.+\.sql$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith('demo-data/transcripts/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.endsWith('.ts'))).toEqual([]);
    expect(files).not.toContain('bin/build.js');
  });

  it('the packed CLI answers --version and --help from dist/, loading no tsx', () => {
    const version = traceModules(bin, ['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe('shelltrail 0.1.0\n');
    expect(version.modules.some((m) => m.includes('/node_modules/shelltrail/dist/cli/index.js'))).toBe(true);
    const help = traceModules(bin, ['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: shelltrail <command>/m);
    expect(packagesIn([...version.modules, ...help.modules]).filter((p) => p !== 'shelltrail')).toEqual([]);
  });

  it('the packed CLI runs the demo (demo data, migrations, extraction workers) without src/ or tsx', () => {
    const out = join(work, 'demo');
    const db = join(work, 'demo.db');
    const demo = traceModules(bin, ['demo', '--dir', out, '--db', db, '--no-serve']);
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/\n\d+ sessions\n/);
    expect(demo.stdout).toMatch(/\d+ denied attempts/);
    expect(packagesIn(demo.modules)).not.toContain('tsx');
    // Extraction ran in the budget pool's worker threads, started from the compiled worker module.
    expect(demo.modules).toContainEqual(
      expect.stringMatching(/\/shelltrail\/dist\/terminal\/budget\/worker\.js$/),
    );
    expect(demo.modules.filter((m) => /\/src\/|\.ts$/.test(m))).toEqual([]);
    const sessions = traceModules(bin, ['sessions', '--json', '--db', db]);
    expect(sessions.status, sessions.stderr).toBe(0);
    expect((JSON.parse(sessions.stdout) as unknown[]).length).toBeGreaterThan(0);
    // The bundle keeps read commands light: no AWS SDK, terminal emulator, web server or YAML
    // parser (there is no config file here), and zod and drizzle come inlined, not from node_modules.
    expect(packagesIn(sessions.modules).filter((p) => p !== 'shelltrail')).toEqual([
      'better-sqlite3',
      'bindings',
      'file-uri-to-path',
    ]);
  });
});
