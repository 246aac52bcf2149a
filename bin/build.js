#!/usr/bin/env node
// `npm run build` (and `prepare`, which npm runs on `npm ci`, `npm install` and `npm pack`): compiles
// src/ to dist/ with tsconfig.build.json, copies the files the code reads next to itself (detection
// rules, web assets), and writes dist/.built last. bin/shelltrail.js runs dist/ only when that stamp
// exists and is newer than every source file, so a failed or stale build is never run.
//
// The build does not type-check (`noCheck`): `npm run typecheck` does, and a type error elsewhere
// must not make `npm ci` fail. Without TypeScript (a production install, `npm ci --omit=dev`) there
// is nothing to build with: the CLI then runs the sources through tsx, a runtime dependency. Packing
// without a build would ship a broken package, so `npm pack` and `npm publish` fail instead.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');

let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  if (packing) {
    console.error('shelltrail build: typescript is not installed; cannot pack without dist/');
    process.exit(1);
  }
  console.error(
    'shelltrail build: typescript is not installed, skipping; the CLI will run the sources via tsx',
  );
  process.exit(0);
}

// A source edited while tsc runs must count as newer than the build: the stamp gets this time.
const started = new Date();
rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  console.error(`shelltrail build: tsc failed (exit ${compiled.status ?? compiled.signal})`);
  process.exit(1);
}

/** Every file under src/ that is not TypeScript: read at run time from next to the module using it. */
function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const from = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(from);
    else if (!/\.tsx?$/.test(entry.name)) {
      const to = join(dist, relative(src, from));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}
copyAssets(src);

if (!existsSync(join(dist, 'cli', 'index.js'))) {
  console.error('shelltrail build: dist/cli/index.js is missing after tsc');
  process.exit(1);
}
const stamp = join(dist, '.built');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
