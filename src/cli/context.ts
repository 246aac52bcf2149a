/**
 * What every command shares: its view of the outside world, flag parsing, config, the store, and
 * the flag value checks that turn a mistake into a UsageError (exit code 2).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.ts';
import { SESSION_KINDS } from '../domain.ts';
import { UsageError } from '../errors.ts';
import { openStore, type ProjectionSettings, type Store } from '../store/index.ts';
import { projectionSettings } from '../store/projection.ts';

/** What a command may touch of the outside world; tests pass their own. */
export interface CommandContext {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export type CommandRun = (ctx: CommandContext) => Promise<number>;

/** Flags every command accepts. */
export const commonOptions = {
  db: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parses a command's argv with the common flags added; unknown flags are errors. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  ctx: CommandContext,
  options: O,
  allowPositionals = true,
) {
  return parseArgs({
    args: ctx.argv,
    options: { ...commonOptions, ...options },
    allowPositionals,
    strict: true,
  });
}

/** Config from --config / SHELLTRAIL_CONFIG / ./shelltrail.yaml, with --db / SHELLTRAIL_DB applied. */
export function configFor(ctx: CommandContext, values: { db?: string; config?: string }): Config {
  return loadConfig({ file: values.config, env: ctx.env, overrides: { db: values.db } });
}

/** Opens the store a command works on and closes it when the body finishes. */
export async function withStore<T>(config: Config, body: (store: Store) => Promise<T> | T): Promise<T> {
  const store = await openStore(config.db);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** Parses --since/--until: ISO dates/times, or relative `7d`, `12h`, `30m`. */
export function parseTimeFlag(value: string | undefined, name: string, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d+)([smhdw])$/.exec(value);
  if (rel) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[rel[2] as 's'];
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(`--${name}: expected an ISO date/time or a relative age like 7d, got "${value}"`);
  return t;
}

/** Parses an integer flag within [min, max]; throws UsageError naming the flag otherwise. */
export function parseIntegerFlag(
  value: string | undefined,
  name: string,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const expected = Number.isFinite(max)
      ? `an integer from ${min} to ${max}`
      : min === 1
        ? 'a positive integer'
        : `an integer >= ${min}`;
    throw new UsageError(`--${name}: expected ${expected}, got "${value}"`);
  }
  return n;
}

/** Parses --kind: one of the session kinds. */
export function parseKindFlag(value: string | undefined): string | undefined {
  if (value && !(SESSION_KINDS as readonly string[]).includes(value))
    throw new UsageError(`--kind: expected one of ${SESSION_KINDS.join(', ')}, got "${value}"`);
  return value;
}

/**
 * Projection settings for a writing command: the config's session rules plus the expected
 * transcript destinations read from each account's Session Manager preferences when configured.
 */
export async function sessionSettings(
  config: Config,
  log: (line: string) => void,
): Promise<ProjectionSettings> {
  // Loaded here, not at the top: it pulls in the AWS SDK, which read-only commands never need and
  // which costs more start-up time than the rest of a `shelltrail sessions` run.
  const { resolveExpectedDestinations } = await import('../ingest/aws/preferences.ts');
  const expectedDestinations = await resolveExpectedDestinations(config, log);
  return projectionSettings({ ...config.sessions, expectedDestinations });
}
