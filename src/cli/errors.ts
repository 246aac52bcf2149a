/**
 * The CLI's one error path. Whatever a command throws ends here and becomes one line on stderr,
 * `shelltrail <command>: <message>`, and the exit code its class carries (src/errors.ts): 1 runtime
 * failure, 2 usage / configuration / bad input, 3 writer lease held elsewhere. A configuration error
 * adds one line per wrong field. An error we did not expect prints its name and message, exit 1;
 * its stack only with SHELLTRAIL_DEBUG=1, since a stack says nothing to an operator.
 */
import { ConfigError, ShelltrailError, UsageError } from '../errors.ts';
import { visible } from '../util/visible.ts';

/** Longest message printed: a flag value can be 100 KB, and the line must stay readable. */
const MAX_MESSAGE_CHARS = 500;

/**
 * Writes the error for `command` to `stderr` and returns the exit code.
 *
 * @example return reportError(ctx.stderr, 'search', err, ctx.env);
 */
export function reportError(
  stderr: NodeJS.WritableStream,
  command: string,
  err: unknown,
  env: Record<string, string | undefined>,
): number {
  const prefix = `shelltrail ${command}: `;
  const debug = env.SHELLTRAIL_DEBUG === '1';
  if (err instanceof ConfigError) {
    stderr.write(
      `${prefix}${oneLine(err.message)}\n${err.issues.map((i) => `  - ${oneLine(i)}\n`).join('')}`,
    );
  } else if (err instanceof UsageError || isParseArgsError(err)) {
    stderr.write(`${prefix}${oneLine((err as Error).message)} (see 'shelltrail ${command} --help')\n`);
  } else if (err instanceof ShelltrailError) {
    stderr.write(`${prefix}${oneLine(err.message)}\n`);
  } else {
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : String(err);
    const hint = debug ? '' : ' (SHELLTRAIL_DEBUG=1 prints the stack)';
    stderr.write(`${prefix}${oneLine(name)}: ${oneLine(message)}${hint}\n`);
  }
  if (debug && err instanceof Error) stderr.write(`${stackOf(err)}\n`);
  return exitCodeOf(err);
}

/** The exit code for an error: its class's, 2 for a flag node:util rejected, else 1. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ShelltrailError) return err.exitCode;
  if (isParseArgsError(err)) return 2;
  return 1;
}

/** node:util parseArgs rejects unknown flags and missing values with these codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** One printable line: controls escaped (messages may quote file names or flag values), length bounded. */
function oneLine(text: string): string {
  const flat = visible(text);
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}

/** The stack and every cause's, for SHELLTRAIL_DEBUG=1. */
function stackOf(err: Error): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(depth === 0 ? (current.stack ?? String(current)) : `caused by: ${current.stack ?? current}`);
    current = current.cause;
  }
  return parts.join('\n');
}
