import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../config.ts';
import { generateDemo } from '../demo/index.ts';
import { localDirSource } from '../ingest/sources/local-dir.ts';
import { listAttempts, listSessions } from '../store/session-queries.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
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
  const config = configFor(ctx, values);
  const { lines } = generateDemo(dir, values.seed ? Number(values.seed) : undefined);
  writeLine(ctx.stdout, `demo dataset written to ${dir}`);
  for (const line of lines) writeLine(ctx.stdout, `  ${line}`);
  writeLine(ctx.stdout, `importing into ${config.db} ...`);
  return withStore(config, async (store) => {
    const report = await runWorkerCommand(ctx, config, store, {
      sources: [localDirSource(dir)],
      once: true,
      intervalMs: 0,
      holder: 'shelltrail demo',
      log: (line) => writeLine(ctx.stderr, visible(line)),
      progress: false,
      summaryPrefix: '  ',
    });
    writeLine(ctx.stdout);
    printSessionsTable(ctx.stdout, listSessions(store));
    const attempts = listAttempts(store);
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
