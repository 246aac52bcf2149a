#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (bin/build.js, run by `prepare` on `npm ci`, `npm install`
// and `npm pack`): starting tsx costs more than most commands take. In a development checkout,
// when dist/ is missing or older than any file in src/, it runs the TypeScript sources through tsx
// instead, so an edit is never hidden by a stale build. SHELLTRAIL_RUN_FROM=src or =dist forces one
// (the start-time bench compares both).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `shelltrail sessions | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Commands report their own errors (src/cli/errors.ts); this catches what escapes them (a stream
// failing after its command returned) with the same one line, the stack only when debugging.
const lastResort = (err) => {
  const debug = process.env.SHELLTRAIL_DEBUG === '1';
  const line = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`shelltrail: ${debug && err instanceof Error ? err.stack : line}\n`);
  process.exit(1);
};
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

const sources = fileURLToPath(new URL('../src', import.meta.url));
const stamp = fileURLToPath(new URL('../dist/.built', import.meta.url));

/** Newest modification time of `dir`, any folder or file under it (a few hundred stats: a millisecond or two). */
function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs; // a file moved, added or deleted here
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** dist/ is complete (its stamp is written last) and, next to sources, at least as new as they are. */
function compiledIsCurrent() {
  const forced = process.env.SHELLTRAIL_RUN_FROM;
  if (forced === 'src' || forced === 'dist') return forced === 'dist';
  if (!existsSync(stamp)) return false;
  if (!existsSync(sources)) return true; // an installed package ships dist/ only
  return statSync(stamp).mtimeMs >= newestMtime(sources);
}

let entry;
if (compiledIsCurrent()) {
  entry = new URL('../dist/cli/index.js', import.meta.url).href;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/index.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
