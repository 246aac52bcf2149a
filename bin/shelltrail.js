#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

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

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
