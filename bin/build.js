#!/usr/bin/env node
// `npm run build` (and `prepare`, which npm runs on `npm ci`, `npm install` and `npm pack`): bundles
// src/ into dist/ with esbuild, copies the files the code reads next to itself (detection rules,
// web assets, the read worker's bootstrap), and writes dist/.built last. bin/shelltrail.js runs
// dist/ only when that stamp exists and is newer than every source file, so a failed or stale build
// is never run.
//
// Why a bundle and not one .js per .ts: a fresh process spends most of its start-up resolving and
// instantiating modules, not running them. zod and drizzle-orm alone are some 600 small ES modules;
// inlined (they are pure ESM), a read command loads a handful of files. Each command module stays
// its own chunk, loaded only when that command runs (code splitting keeps src/cli/index.ts's lazy
// imports lazy). Every other package stays external: native addons (better-sqlite3), CommonJS
// (yaml), and what read commands never load anyway (the AWS SDK, xterm, hono).
//
// A bundled module no longer sits where its source would put it, so `import.meta.url` (used to find
// migrations/, demo-data/, the detection rules, web assets and worker files next to a module) is
// rewritten to the URL the module would have had as dist/<its path>.js, found from the dist/ folder
// the running file is in. Worker files are entry points of their own at those paths.
//
// The build does not type-check: `npm run typecheck` does, and a type error elsewhere must not
// make `npm ci` fail. esbuild comes with tsx (a runtime dependency); without it there is nothing to
// build with: the CLI then runs the sources through tsx. Packing without a build would ship a
// broken package, so `npm pack` and `npm publish` fail instead.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The real path: esbuild hands plugins resolved paths, which must be compared with this one.
const src = realpathSync(join(root, 'src'));
const dist = join(root, 'dist');
const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');

/** Modules started by file (worker threads, bin/shelltrail.js): each keeps its dist/ path. */
const ENTRY_POINTS = ['cli/index.ts', 'terminal/budget/worker.ts', 'server/read-worker.ts'];
/** Packages inlined into the bundle: pure ESM, many small modules, loaded by read commands. */
const INLINED = /^(zod|drizzle-orm)(\/|$)/;

let esbuild;
try {
  const resolved = createRequire(join(root, 'package.json')).resolve('esbuild');
  esbuild = await import(pathToFileURL(resolved).href);
} catch {
  if (packing) {
    console.error('shelltrail build: esbuild is not installed; cannot pack without dist/');
    process.exit(1);
  }
  console.error('shelltrail build: esbuild is not installed, skipping; the CLI will run the sources via tsx');
  process.exit(0);
}

/** Every package but the inlined ones is loaded from node_modules at run time. */
const externals = {
  name: 'shelltrail-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      INLINED.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * `import.meta.url` in src/<path>.ts becomes the URL of dist/<path>.js: the running file's URL cut
 * after its last `/dist/` (our output has no nested dist/ folder) plus the module's own path.
 */
const moduleUrls = {
  name: 'shelltrail-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const inSrc = !relative(src, args.path).startsWith('..');
      if (!inSrc || !text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const path = relative(src, args.path).replaceAll('\\', '/').replace(/\.ts$/, '.js');
      const url = `new URL(${JSON.stringify(path)}, import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/') + 6)).href`;
      return { contents: text.replaceAll('import.meta.url', `(${url})`), loader: 'ts' };
    });
  },
};

// A source edited while the build runs must count as newer than the build: the stamp gets this time.
const started = new Date();
rmSync(dist, { recursive: true, force: true });
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS.map((p) => join(src, p)),
    outbase: src,
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [externals, moduleUrls],
    logLevel: 'warning',
  });
} catch (err) {
  console.error(`shelltrail build: esbuild failed: ${err instanceof Error ? err.message : err}`);
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
  console.error('shelltrail build: dist/cli/index.js is missing after esbuild');
  process.exit(1);
}
const stamp = join(dist, '.built');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
