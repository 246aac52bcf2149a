/**
 * `shelltrail commands <file> [--json] [--cols N] [--user U]`: the commands in one transcript file,
 * without a store. Accepts an S3 `.log` (script typescript), raw terminal bytes, or a CloudWatch
 * export (the format dispatch is src/analyze/transcript-file.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { commandJson } from '../analyze/shapes.ts';
import { extractFile } from '../analyze/transcript-file.ts';
import { UsageError } from '../errors.ts';
import type { ExtractionResult } from '../terminal/types.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, parseCommandArgs, writeLine } from './context.ts';
import { writeJson } from './json-out.ts';

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    json: { type: 'boolean' },
    cols: { type: 'string' },
    user: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one transcript file');
  const file = positionals[0]!;
  const cols = parseCols(values.cols);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const options = { cols, startUser: values.user };
  const result = await extractFile(file, options);
  if (values.json) {
    writeJson(ctx.stdout, result.commands.map(commandJson));
  } else {
    printTable(ctx.stdout, file, result);
  }
  return 0;
}

function parseCols(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 20 || n > 1000)
    throw new UsageError(`--cols: expected a width from 20 to 1000, got "${value}"`);
  return n;
}

function printTable(out: NodeJS.WritableStream, file: string, result: ExtractionResult): void {
  const rows = result.commands.map((c) => [
    String(c.seq),
    c.at === null ? '-' : new Date(c.at).toISOString().replace('T', ' ').slice(0, 19),
    visible(c.user ?? '-'),
    visible(c.cwd ?? '-'),
    [
      c.executed ? '' : 'aborted',
      c.exitCode !== null ? `exit ${c.exitCode}` : '',
      c.fidelity === 'lossy' ? 'lossy' : '',
    ]
      .filter(Boolean)
      .join(','),
    c.text.split('\n').map(visible).join(' ⏎ '),
  ]);
  const header = ['#', 'time', 'user', 'cwd', 'flags', 'command'];
  const widths = header.map((h, i) => Math.min(32, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.slice(0, widths[i]).padEnd(widths[i]!)))
      .join('  ');
  writeLine(
    out,
    `${file}: ${result.commands.length} commands (terminal ${result.cols} columns, ${result.colsSource})`,
  );
  writeLine(out, line(header));
  for (const row of rows) writeLine(out, line(row));
}
