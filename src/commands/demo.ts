import { resolve } from 'node:path';
import { generateDemo } from '../demo/index.ts';
import { summaryLines } from '../ingest/progress.ts';
import { emptyCounters } from '../ingest/source.ts';
import { localDirSource } from '../ingest/sources/local-dir.ts';
import { abortOnSignals, runWorker } from '../ingest/worker.ts';
import { listAttempts, listSessions } from '../store/session-queries.ts';
import { countFindings } from '../store/transcripts.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  sessionSettings,
  withStore,
  writeLine,
} from './context.ts';
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
    const controller = new AbortController();
    const removeHooks = abortOnSignals(controller, (line) => writeLine(ctx.stderr, line));
    try {
      const started = Date.now();
      const report = await runWorker({
        store,
        sources: [localDirSource(dir)],
        settings: await sessionSettings(config, (line) => writeLine(ctx.stderr, line)),
        terminal: config.terminal,
        once: true,
        intervalMs: 0,
        signal: controller.signal,
        log: (line) => writeLine(ctx.stderr, line),
        holder: 'shelltrail demo',
        counters: emptyCounters(),
      });
      for (const line of summaryLines(report.counters, Date.now() - started, countFindings(store)))
        writeLine(ctx.stdout, `  ${line}`);
      writeLine(ctx.stdout);
      printSessionsTable(ctx.stdout, listSessions(store));
      const attempts = listAttempts(store);
      writeLine(ctx.stdout);
      writeLine(ctx.stdout, `${attempts.length} denied attempts (shelltrail attempts --db ${config.db})`);
      writeLine(ctx.stdout, `try: shelltrail sessions --json --kind port_forward --db ${config.db}`);
      return report.failures.length > 0 ? 1 : 0;
    } finally {
      removeHooks();
    }
  });
}
