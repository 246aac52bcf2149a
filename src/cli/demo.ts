import { resolve } from 'node:path';
import { type Config, DEFAULT_CONFIG } from '../config.ts';
import { generateDemo } from '../demo/index.ts';
import { createLocalDirSource } from '../ingest/sources/local-dir.ts';
import { abortOnSignals } from '../ingest/worker.ts';
import { createLogger } from '../server/logger.ts';
import { startUiServer, type UiServer, untilAborted } from '../server/ui-server.ts';
import type { Store } from '../store/index.ts';
import { visible } from '../util/visible.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  withStore,
  writeLine,
} from './context.ts';
import { LISTING_PAGE, readPages } from './pages.ts';
import { runWorkerCommand } from './run-worker.ts';
import { printSessionsTable } from './sessions.ts';

/**
 * `shelltrail demo [--dir d] [--seed N] [--port 8080] [--no-serve]`: writes a realistic dataset
 * (trail files in S3 layout, saved API output, session logs), imports it into the store exactly as
 * `import` would, shows what shelltrail made of it, and then serves the web UI over it on loopback
 * (the URL and a one-time sign-in link printed) until SIGINT/SIGTERM, which exit 0. `--no-serve`
 * stops after the summary (scripts and tests).
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(
    ctx,
    {
      dir: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      'no-serve': { type: 'boolean' },
    },
    false,
  );
  const port = parseIntegerFlag(values.port, 'port', 0, 65535);
  const dir = resolve(values.dir ?? './data/demo');
  const config = withDemoExpectations(configFor(ctx, values));
  const { lines } = generateDemo(dir, values.seed ? Number(values.seed) : undefined);
  writeLine(ctx.stdout, `demo dataset written to ${dir}`);
  for (const line of lines) writeLine(ctx.stdout, `  ${line}`);
  for (const rule of config.sessions.expectedDestinations) {
    const where = [rule.accountId && `account ${rule.accountId}`, rule.region].filter(Boolean).join(' ');
    const wanted =
      [rule.s3 && 'S3', rule.cloudwatch && 'CloudWatch'].filter(Boolean).join(' + ') || 'nothing';
    writeLine(ctx.stdout, `  expected transcripts: ${where || 'every session'} -> ${wanted}`);
  }
  writeLine(ctx.stdout, `importing into ${config.db} ...`);
  return withStore(config, async (store) => {
    const report = await runWorkerCommand(ctx, config, store, {
      sources: [createLocalDirSource(dir)],
      once: true,
      intervalMs: 0,
      holder: 'shelltrail demo',
      log: (line) => writeLine(ctx.stderr, visible(line)),
      progress: false,
      summaryPrefix: '  ',
    });
    writeLine(ctx.stdout);
    printSessionsTable(ctx.stdout, await readPages((page) => store.sessions.list({}, page), LISTING_PAGE));
    const attempts = await readPages((page) => store.sessions.listAttempts({}, page), LISTING_PAGE);
    const db = config.db === DEFAULT_CONFIG.db ? '' : ` --db ${config.db}`;
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, `${attempts.length} denied attempts. Next, try:`);
    for (const example of [
      'findings                      # sessions with no transcript, or one that contradicts CloudTrail',
      'search "sudo"                 # who ran what, across every session',
      'search "rm -rf" --json',
      'attempts                      # denied StartSession calls',
      'sessions --kind port_forward',
      'transcript <sessionId> --text # what the terminal showed',
    ]) {
      writeLine(ctx.stdout, `  npx shelltrail ${example.replace(/^(\S+)/, `$1${db}`)}`);
    }
    const code = report.failures.length > 0 ? 1 : 0;
    if (values['no-serve']) return code;
    await serveDemo(ctx, store, config, port);
    return code;
  });
}

/**
 * Serves the UI over the demo store on loopback until SIGINT/SIGTERM. Without --port the
 * configured port is tried first and any free one if it is taken (the demo must not fail because
 * something else uses 8080).
 */
async function serveDemo(ctx: CommandContext, store: Store, config: Config, port: number | undefined) {
  const log = createLogger(ctx.stderr, 'warn');
  const controller = new AbortController();
  const removeHooks = abortOnSignals(controller, (line) => writeLine(ctx.stderr, line));
  try {
    const start = (p: number) => startUiServer(store, config, { host: '127.0.0.1', port: p, log });
    let server: UiServer;
    try {
      server = await start(port ?? config.server.port);
    } catch (error) {
      if (port !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      server = await start(0);
    }
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, `listening on ${server.url}`);
    writeLine(ctx.stdout, `sign in (one-time link, 15 minutes): ${server.signInLink}`);
    writeLine(ctx.stdout, 'Ctrl-C stops the server.');
    await untilAborted(controller.signal);
    await server.close();
  } finally {
    removeHooks();
  }
}

/**
 * Without configured destinations every transcript counts as complete; the demo shows what
 * shelltrail finds when one account's Session Manager preferences require both S3 and CloudWatch.
 */
const DEMO_EXPECTED = [{ accountId: '111122223333', s3: true, cloudwatch: true }];

function withDemoExpectations(config: Config): Config {
  const { sessions } = config;
  if (sessions.expectedDestinations.length > 0 || sessions.preferences.length > 0) return config;
  return { ...config, sessions: { ...sessions, expectedDestinations: DEMO_EXPECTED } };
}
