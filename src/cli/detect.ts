/**
 * `shelltrail detect [--rules DIR]... [--no-builtin] [FILE]`: evaluates NDJSON command lines
 * (`{"text", "user"?}`) from FILE or standard input against the rules, without a store, and prints
 * one NDJSON result per line, in order. Load reports go to standard error; exit 2 after any invalid
 * input line.
 */
import { createReadStream } from 'node:fs';
import { runDetect } from '../detect/detect-command.ts';
import { UsageError } from '../errors.ts';
import { type CommandContext, parseCommandArgs } from './context.ts';

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    rules: { type: 'string', multiple: true },
    'no-builtin': { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError('detect takes at most one input file');
  const file = positionals[0];
  const builtin = !values['no-builtin'];
  const ruleDirs = values.rules ?? [];
  if (!builtin && ruleDirs.length === 0) throw new UsageError('--no-builtin needs at least one --rules DIR');
  const input = file && file !== '-' ? createReadStream(file) : process.stdin;
  if (file && file !== '-')
    await new Promise<void>((resolve, reject) => {
      (input as ReturnType<typeof createReadStream>).once('open', () => resolve());
      input.once('error', (e: NodeJS.ErrnoException) =>
        reject(new UsageError(`${file}: cannot read (${e.code ?? 'error'})`)),
      );
    });
  return runDetect({ ruleDirs, builtin, input, stdout: ctx.stdout, stderr: ctx.stderr });
}
