/** A command while the session is still being read: what the forms turn into ExtractedCommand. */

/** Where in the transcript the parser is: byte offset (S3/raw) and line timestamp (CloudWatch). */
export interface Position {
  offset: number;
  timestamp: number | null;
}

export interface Draft {
  text: string;
  user: string | null;
  executed: boolean;
  pos: Position;
  cwd: string | null;
  exitCode: number | null;
  lossy: boolean;
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
  position(): Position;
}
