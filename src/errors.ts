/**
 * The small typed error hierarchy used inside shelltrail. Messages name the file/object and what was
 * wrong, never secrets or transcript content; the underlying error travels in `cause`. Each class
 * carries the exit code the CLI uses for it, so the CLI has one error path (src/cli/errors.ts):
 * 0 ok, 1 runtime failure, 2 usage / configuration / bad input, 3 writer lease held elsewhere.
 */
export class ShelltrailError extends Error {
  override name = 'ShelltrailError';
  /** The CLI's exit code for this error. */
  readonly exitCode: number = 1;
}

/** A mistake in how a command was called (flags, arguments): exit code 2. */
export class UsageError extends ShelltrailError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/** Configuration that does not validate; `issues` lists every wrong field. */
export class ConfigError extends ShelltrailError {
  override name = 'ConfigError';
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Evidence that cannot be used (an object, a file, a record). Inside ingest it sends the item to
 * quarantine and ingestion continues; at the CLI edge (`commands <file>`) it is bad input, exit 2.
 */
export class BadInputError extends ShelltrailError {
  override name = 'BadInputError';
  override readonly exitCode = 2;
  constructor(
    /** Short machine-readable reason, e.g. `corrupt_gzip`, `not_cloudtrail`. */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request the caller made that the store cannot answer as asked (a too-long query, a bad limit). */
export class InvalidRequestError extends ShelltrailError {
  override name = 'InvalidRequestError';
  override readonly exitCode = 2;
  constructor(
    /** Short machine-readable reason, e.g. `query_too_long`, `bad_cursor`. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Another process holds the writer lease. */
export class LeaseHeldError extends ShelltrailError {
  override name = 'LeaseHeldError';
  override readonly exitCode = 3;
}

/** This process held the writer lease and lost it (it lapsed and another writer took it). */
export class LeaseLostError extends ShelltrailError {
  override name = 'LeaseLostError';
  override readonly exitCode = 3;
}

/**
 * The store cannot be used: not a shelltrail store, made by a newer version, full, read-only.
 * `reason` says which; the exit code is 2 where the user pointed at the wrong thing, else 1.
 */
export class StoreError extends ShelltrailError {
  override name = 'StoreError';
  override readonly exitCode: number;
  constructor(
    readonly reason: 'not_a_store' | 'too_new' | 'disk_full' | 'read_only' | 'cannot_open',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.exitCode = reason === 'not_a_store' || reason === 'too_new' ? 2 : 1;
  }
}
