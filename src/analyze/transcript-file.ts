/**
 * Commands from one transcript file on disk, without a store (`shelltrail commands <file>`): the
 * first bytes say which form it is, an S3 `.log` (script typescript), raw terminal bytes, or a
 * CloudWatch export (get-log-events / filter-log-events JSON, arrays, NDJSON).
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { BadInputError } from '../errors.ts';
import { cloudWatchLines, parseCloudWatchExport } from '../ingest/normalize/cloudwatch-events.ts';
import { detectFormat, scriptBody } from '../ingest/normalize/transcript.ts';
import { type ExtractionJob, ExtractionPool } from '../terminal/budget/pool.ts';
import type { ExtractionResult } from '../terminal/types.ts';

const PROBE_BYTES = 8192;
/** CloudWatch exports are JSON read whole; bound them so a wrong file cannot exhaust memory. */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

export interface FileExtractOptions {
  /** Terminal width; guessed from the transcript when absent. */
  cols?: number;
  /** The user the session starts as. */
  startUser?: string;
  /** Wall-time budget of the extraction (default: the pool's, 60 s). */
  timeBudgetMs?: number;
}

/**
 * Extracts the commands of a transcript file in the form its first bytes announce. Throws
 * BadInputError for a file that is none of the readable forms (a PowerShell transcript, a broken
 * or oversized CloudWatch export).
 *
 * @example const { commands } = await extractFile('./session.log', { cols: 120 });
 */
export async function extractFile(file: string, options: FileExtractOptions): Promise<ExtractionResult> {
  const handle = await open(file, 'r');
  const probe = Buffer.alloc(PROBE_BYTES);
  let bytesRead: number;
  try {
    ({ bytesRead } = await handle.read(probe, 0, PROBE_BYTES, 0));
  } finally {
    await handle.close();
  }
  const format = detectFormat(probe.subarray(0, bytesRead));
  const extractOptions = { cols: options.cols, startUser: options.startUser };
  if (format === 'cloudwatch_stream' || format === 'cloudwatch_text') {
    const lines = cloudWatchLines(readExport(file));
    return withinBudget(file, { form: 'cloudwatch', lines, options: extractOptions }, options.timeBudgetMs);
  }
  if (format === 'powershell') {
    throw new BadInputError(
      'unsupported',
      `${file}: a PowerShell transcript; only Linux shell sessions are read`,
    );
  }
  const chunks: Uint8Array[] = [];
  for await (const piece of scriptBody(createReadStream(file))) chunks.push(piece);
  return withinBudget(file, { form: 'bytes', chunks, options: extractOptions }, options.timeBudgetMs);
}

/**
 * Runs one extraction in a worker with the time and memory budget of bounded extraction, so a
 * file built to stall the emulator ends in one clear line instead of running for minutes.
 */
async function withinBudget(
  file: string,
  job: ExtractionJob,
  timeBudgetMs: number | undefined,
): Promise<ExtractionResult> {
  const pool = new ExtractionPool({ size: 1, timeBudgetMs });
  try {
    const verdict = await pool.run(job);
    if (verdict.status === 'ok') return verdict.result;
    if (verdict.status === 'over_budget') {
      const limit = verdict.reason === 'time' ? `${verdict.limit} ms` : `${verdict.limit} MB`;
      throw new BadInputError(
        'over_budget',
        `${file}: extraction stopped at its ${verdict.reason} budget (${limit}); the transcript is built to stall the terminal emulator`,
      );
    }
    throw new Error(`${file}: extraction failed in its worker`);
  } finally {
    await pool.close();
  }
}

function readExport(file: string): ReturnType<typeof parseCloudWatchExport> {
  if (statSync(file).size > MAX_EXPORT_BYTES) {
    throw new BadInputError('too_large', `${file}: CloudWatch export larger than ${MAX_EXPORT_BYTES} bytes`);
  }
  try {
    return parseCloudWatchExport(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BadInputError(
      'bad_export',
      `${file}: not a readable CloudWatch export (${(err as Error).message})`,
      { cause: err },
    );
  }
}
