/**
 * `shelltrail detect` as a function (the CLI wires it): reads NDJSON lines `{"text", "user"?}` and
 * prints `{"index", "matches": [{id, title, level, tags}]}` per line, in order. A line that is not a
 * valid object prints `{"index", "error"}` and the run goes on; the exit code is then 2. Load reports
 * go to stderr.
 */
import { createInterface } from 'node:readline';
import { compileRuleSet, evaluate, loadRules, location } from './sigma/index.ts';

export interface RunDetectOptions {
  ruleDirs: string[];
  builtin: boolean;
  input: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs detection over NDJSON input; resolves to the exit code (0, or 2 after any invalid line). */
export async function runDetect(opts: RunDetectOptions): Promise<number> {
  const { rules, report } = loadRules({ builtin: opts.builtin, dirs: opts.ruleDirs });
  opts.stderr.write(
    `rules: ${report.loaded} loaded, ${report.skipped.length} skipped, ${report.notApplicable.length} not applicable\n`,
  );
  for (const s of report.skipped)
    opts.stderr.write(`skipped ${location(s)}${s.id ? ` (${s.id})` : ''}: ${s.reason}\n`);
  for (const n of report.notApplicable) opts.stderr.write(`not applicable ${location(n)}: ${n.logsource}\n`);
  const set = compileRuleSet(rules);
  let index = 0;
  let exit = 0;
  for await (const line of createInterface({ input: opts.input, crlfDelay: Number.POSITIVE_INFINITY })) {
    const n = index++;
    let out: string;
    try {
      const value: unknown = JSON.parse(line);
      if (
        value === null ||
        typeof value !== 'object' ||
        typeof (value as { text?: unknown }).text !== 'string'
      )
        throw new Error('expected an object with a string "text"');
      const { text, user } = value as { text: string; user?: unknown };
      const matches = evaluate(set, { text, ...(typeof user === 'string' ? { user } : {}) });
      out = JSON.stringify({
        index: n,
        matches: matches.map((r) => ({ id: r.id, title: r.title, level: r.level, tags: r.tags })),
      });
    } catch (error) {
      exit = 2;
      out = JSON.stringify({ index: n, error: (error as Error).message });
    }
    if (!opts.stdout.write(`${out}\n`)) await new Promise((resolve) => opts.stdout.once('drain', resolve));
  }
  return exit;
}
