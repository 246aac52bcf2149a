/** A rule uses a Sigma feature shelltrail does not evaluate exactly; the rule is skipped, never half-run. */
export class UnsupportedRule extends Error {
  override readonly name = 'UnsupportedRule';
  /**
   * Where in the rule document the offending part is, as keys (and list indexes) from the
   * document's root, e.g. `['detection', 'sel', 'CommandLine|foo']`: the loader turns it into a
   * line number. Filled in from the inside out by `within`, so the compilers deep down need not
   * know where they are.
   */
  readonly path: (string | number)[];
  constructor(message: string, path: (string | number)[] = []) {
    super(message);
    this.path = path;
  }
}

/** Runs `fn`; an UnsupportedRule it throws gets `key` put in front of its path. */
export function within<T>(key: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UnsupportedRule) error.path.unshift(key);
    throw error;
  }
}
