/** Public shapes of the terminal module: what extraction returns and what it accepts. */

export type TimePrecision = 'exact' | 'second' | 'approximate';

export interface ExtractedCommand {
  /** 0-based order in the session. */
  seq: number;
  /** The line the shell received; multi-line commands joined with '\n', without continuation prompts. */
  text: string;
  /** Effective user when the line was entered. */
  user: string | null;
  /**
   * False for lines aborted with Ctrl-C (they are kept: an aborted `rm -rf /` still matters); null
   * when the extractor cannot tell whether the shell ran it (fidelity 'uncertain'), never "aborted".
   */
  executed: boolean | null;
  /** ms UTC. */
  at: number | null;
  atPrecision: TimePrecision | null;
  cwd: string | null;
  /** From OSC 133;D when the shell emits it. */
  exitCode: number | null;
  /** 'lossy' when the transcript form destroyed part of the line (CloudWatch stripping). */
  fidelity: 'exact' | 'lossy' | 'uncertain';
  /** Bounded excerpt of what the command printed. */
  output: string | null;
}

export type ColsSource = 'osc133' | 'wrap' | 'fullscreen' | 'resize' | 'default' | 'configured';

export interface ExtractionResult {
  commands: ExtractedCommand[];
  cols: number;
  colsSource: ColsSource;
  prompts: string[];
  /** Commands seen past SESSION_MAX_COMMANDS and not kept (0 for every ordinary session). */
  droppedCommands?: number;
  /** Set by mergeForms: how the S3 and CloudWatch forms compare (`disagree`: a forms_disagree finding). */
  formsComparison?: {
    disagree: boolean;
    cloudWatchOnly: ExtractedCommand[];
    s3Only: ExtractedCommand[];
  };
}

export interface ExtractOptions {
  /** Terminal width when known (skips inference). */
  cols?: number;
  /** Width used when inference finds nothing (default 80). */
  defaultCols?: number;
  /** User the session starts as (runAsUser); default 'ssm-user'. */
  startUser?: string;
  startedAt?: number | null;
  endedAt?: number | null;
}

export const DEFAULT_COLS = 80;
export const DEFAULT_START_USER = 'ssm-user';
/** Output excerpt bounds per command. */
export const OUTPUT_MAX_LINES = 20;
export const OUTPUT_MAX_CHARS = 2048;
/** A command longer than this is cut (a pasted megabyte is not a command anyone reads whole). */
export const COMMAND_MAX_CHARS = 64 * 1024;
/**
 * Per-session bounds. A transcript is attacker-controlled: millions of prompt-like lines must not
 * make extraction hold unbounded memory. Past these, commands are counted but not kept (and the
 * extraction pass records that), and output excerpts stop.
 */
export const SESSION_MAX_COMMANDS = 100_000;
export const SESSION_MAX_OUTPUT_CHARS = 8 * 1024 * 1024;
