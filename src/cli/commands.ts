/**
 * `shelltrail commands <file> [--json] [--cols N] [--user U]`: the commands in one transcript file,
 * without a store. Accepts an S3 `.log` (script typescript), raw terminal bytes, or a CloudWatch
 * export (get-log-events / filter-log-events JSON, arrays, NDJSON).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { BadInputError } from '../errors.ts';
import { cloudWatchLines, parseCloudWatchExport } from '../ingest/cloudwatch-events.ts';
import { detectFormat, scriptBody } from '../ingest/transcript.ts';
import { extractFromBytes, extractFromCloudWatch } from '../terminal/index.ts';
import type { ExtractedCommand, ExtractionResult } from '../terminal/types.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, isoOrNull, parseCommandArgs, UsageError, writeLine } from './context.ts';

const PROBE_BYTES = 8192;
/** CloudWatch exports are JSON read whole; bound them so a wrong file cannot exhaust memory. */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

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
    writeLine(ctx.stdout, JSON.stringify(result.commands.map(jsonCommand), null, 2));
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

/** Reads the file in the shape its first bytes announce. */
export async function extractFile(
  file: string,
  options: { cols?: number; startUser?: string },
): Promise<ExtractionResult> {
  const handle = await open(file, 'r');
  const probe = Buffer.alloc(PROBE_BYTES);
  const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, 0);
  await handle.close();
  const format = detectFormat(probe.subarray(0, bytesRead));
  if (format === 'cloudwatch_stream' || format === 'cloudwatch_text') {
    if (statSync(file).size > MAX_EXPORT_BYTES) {
      throw new BadInputError(
        'too_large',
        `${file}: CloudWatch export larger than ${MAX_EXPORT_BYTES} bytes`,
      );
    }
    let events: ReturnType<typeof parseCloudWatchExport>;
    try {
      events = parseCloudWatchExport(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new BadInputError(
        'bad_export',
        `${file}: not a readable CloudWatch export (${(err as Error).message})`,
        {
          cause: err,
        },
      );
    }
    return extractFromCloudWatch(cloudWatchLines(events), options);
  }
  if (format === 'powershell') {
    throw new BadInputError(
      'unsupported',
      `${file}: a PowerShell transcript; only Linux shell sessions are read`,
    );
  }
  return extractFromBytes(scriptBody(createReadStream(file)), options);
}

function jsonCommand(c: ExtractedCommand) {
  return {
    seq: c.seq,
    text: c.text,
    user: c.user,
    executed: c.executed,
    at: isoOrNull(c.at),
    atPrecision: c.atPrecision,
    cwd: c.cwd,
    exitCode: c.exitCode,
    fidelity: c.fidelity,
  };
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
