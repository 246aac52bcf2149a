/**
 * The small typed error hierarchy used inside shelltrail. Messages name the file/object and what was
 * wrong, never secrets or transcript content; the underlying error travels in `cause`.
 */
export class ShelltrailError extends Error {
  override name = 'ShelltrailError';
}

/** Configuration that does not validate; `issues` lists every wrong field. */
export class ConfigError extends ShelltrailError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** Input that cannot be used (an object, a file, a record): it goes to quarantine, ingestion continues. */
export class BadInputError extends ShelltrailError {
  override name = 'BadInputError';
  constructor(
    /** Short machine-readable reason, e.g. `corrupt_gzip`, `not_cloudtrail`. */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another process holds the writer lease. */
export class LeaseHeldError extends ShelltrailError {
  override name = 'LeaseHeldError';
}
