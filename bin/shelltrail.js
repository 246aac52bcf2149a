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

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
