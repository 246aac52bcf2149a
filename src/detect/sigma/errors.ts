/** A rule uses a Sigma feature shelltrail does not evaluate exactly; the rule is skipped, never half-run. */
export class UnsupportedRule extends Error {
  override readonly name = 'UnsupportedRule';
}
