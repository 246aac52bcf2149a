import { resolve } from 'node:path';
import { type Config, DEFAULT_CONFIG } from '../config.ts';
import { generateDemo } from '../demo/index.ts';
import { createLocalDirSource } from '../ingest/sources/local-dir.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { LISTING_PAGE, readPages } from './pages.ts';
import { runWorkerCommand } from './run-worker.ts';
import { printSessionsTable } from './sessions.ts';

/**
 * `shelltrail demo [--dir d]`: writes a realistic dataset (trail files in S3 layout, saved API
 * output, session logs), imports it into the store exactly as `import` would, and shows what
 * shelltrail made of it.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(ctx, { dir: { type: 'string' }, seed: { type: 'string' } }, false);
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
    return report.failures.length > 0 ? 1 : 0;
  });
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
