/**
 * Runs the real CLI in a fresh process and records every module it loaded: ES modules through a
 * module.register load hook (it runs on the loader thread, so it appends to a file), CommonJS ones
 * from require.cache at exit. Lets tests check what a command does not load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function initialize(data) { globalThis.traceOut = data.out; }
export async function load(url, context, next) {
  appendFileSync(globalThis.traceOut, url + '\\n');
  return next(url, context);
}`;

const PRELOAD = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const out = process.env.MODULE_TRACE_OUT;
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { out } });
const require = createRequire(import.meta.url);
process.on('exit', () => {
  appendFileSync(out, Object.keys(require.cache).map((p) => 'file://' + p).join('\\n') + '\\n');
});`;

export interface TracedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** file: URLs (and node: builtins) of every module loaded, in load order, deduplicated. */
  modules: string[];
}

/** Runs `node <bin> ...args` with the tracer preloaded and returns its output and loaded modules. */
export function traceModules(bin: string, args: string[], env: Record<string, string> = {}): TracedRun {
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-trace-'));
  try {
    const preload = join(dir, 'preload.mjs');
    const out = join(dir, 'modules.txt');
    writeFileSync(preload, PRELOAD);
    writeFileSync(out, '');
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', ...env, MODULE_TRACE_OUT: out },
      timeout: 120_000,
    });
    const modules = [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))];
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The node_modules packages among `modules` (`@scope/name` or `name`), sorted. */
export function packagesIn(modules: string[]): string[] {
  const names = new Set<string>();
  for (const m of modules) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}
