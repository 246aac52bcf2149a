/** Runs the real CLI entry in-process with captured stdout/stderr. */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/index.ts';

export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) =>
    new Writable({
      highWaterMark: 64 * 1024,
      write(chunk, _enc, done) {
        into.push(Buffer.from(chunk));
        setImmediate(done); // asynchronous like a pipe, so backpressure is exercised
      },
    });
  const stdout = sink(out);
  const stderr = sink(err);
  const code = await main(argv, { env: { SHELLTRAIL_CONFIG: undefined, ...env }, stdout, stderr });
  await Promise.all([stdout, stderr].map((s) => new Promise((resolve) => s.end(resolve))));
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}
