/** A command while the session is still being read: what the forms turn into ExtractedCommand. */

/** Where in the transcript the parser is: byte offset (S3/raw) and line timestamp (CloudWatch). */
export interface Position {
  offset: number;
  timestamp: number | null;
}

export interface Draft {
  text: string;
  user: string | null;
  /** null: the shell may or may not have run it (then `uncertain`). */
  executed: boolean | null;
  pos: Position;
  cwd: string | null;
  exitCode: number | null;
  lossy: boolean;
  /** The extractor cannot tell input from output here, or whether the shell ran it. */
  uncertain: boolean;
  output: string[];
  outputChars: number;
}

/**
 * What the driver tells about the bytes being parsed now. One object shared by the extractor's
 * parts, so the CloudWatch driver's per-line flags reach all of them.
 */
export interface Feed {
  /** CloudWatch form: escape sequences and `\r` were stripped by the agent. */
  strippedForm: boolean;
  /** Set by the CloudWatch driver for the line being written: the agent's stripping hurt it. */
  lineLossy: boolean;
  /**
   * Set by the extractor when a line went beyond what the screen can give back (its start
   * scrolled away, or it spans more rows than are joined): the driver reads those bytes raw.
   * Cleared by the driver.
   */
  beyondReach: boolean;
  /**
   * Origin mode or a scroll region is set outside the alternate screen: rows move or vanish, so a
   * line read from the screen now may be wrong (its command is marked uncertain).
   */
  screenSuspect: boolean;
  position(): Position;
}
