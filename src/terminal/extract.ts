/**
 * Entry points: transcript bytes (S3 `.log` body or raw pty output) or CloudWatch lines in,
 * the commands the shell received out. One emulator per session, fed once, front to back: time is
 * linear in the transcript and memory is bounded by the emulator's scrollback plus the commands.
 */
import { CommandExtractor, type Draft, type Position } from './extractor.ts';
import { createEmulator, writeNow } from './screen.ts';
import {
  type ColsSource,
  DEFAULT_COLS,
  DEFAULT_START_USER,
  type ExtractedCommand,
  type ExtractionResult,
  type ExtractOptions,
} from './types.ts';
import { WidthScanner } from './width.ts';

/** How much of the transcript the width scanner sees before emulation starts (buffered once). */
const PRESCAN_BYTES = 1 << 20;
/** Writes are cut into slices so byte offsets (approximate times) stay fine-grained. */
const SLICE_BYTES = 16 * 1024;

interface Width {
  cols: number;
  source: ColsSource;
}

function chooseWidth(
  options: ExtractOptions,
  scanner: WidthScanner | null,
  prefix: Uint8Array[] = [],
): Width {
  if (options.cols) return { cols: clampCols(options.cols), source: 'configured' };
  const guess = scanner?.guess();
  if (guess?.source === 'wrap') return guess;
  // Readline moved up through a multi-row input line but never showed a wrap point: replay the
  // beginning at common widths and keep the one whose input lines come out clean.
  if (scanner?.sawMarkers && scanner.inputCursorUps > 0 && prefix.length > 0) {
    const tried = trialWidth(prefix, options);
    if (tried !== null) return { cols: tried, source: 'wrap' };
  }
  if (guess) return { cols: guess.cols, source: guess.source };
  return { cols: clampCols(options.defaultCols ?? DEFAULT_COLS), source: 'default' };
}

function clampCols(cols: number): number {
  return Math.min(1000, Math.max(20, Math.floor(cols)));
}

const TRIAL_WIDTHS = [40, 60, 80, 100, 120, 132, 160, 200, 250, 320];
const TRIAL_BYTES = 128 * 1024;

/**
 * Readline never moves the cursor above its prompt row, but at a width larger than the real one
 * its row arithmetic does (counted as violations); at smaller widths it stays inside the region.
 * So the real width is the largest one without violations: coarse candidates, then bisection.
 */
function trialWidth(prefix: Uint8Array[], options: ExtractOptions): number | null {
  const violations = (cols: number): number => {
    const run = new ByteRun({ cols, source: 'wrap' }, options);
    let fed = 0;
    for (const chunk of prefix) {
      if (fed >= TRIAL_BYTES) break;
      run.write(chunk.subarray(0, TRIAL_BYTES - fed));
      fed += chunk.length;
    }
    const count = run.violations();
    run.finish();
    return count;
  };
  let lo = -1;
  let hi = -1;
  for (const cols of TRIAL_WIDTHS) {
    if (violations(cols) === 0) lo = cols;
    else if (lo >= 0) {
      hi = cols;
      break;
    }
  }
  if (lo < 0 || hi < 0) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (violations(mid) === 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Commands from a transcript's terminal bytes (the S3 object's body after the `script` header, or
 * raw pty output), streamed chunk by chunk.
 * @example const { commands } = await extractFromBytes(scriptBody(createReadStream(file)));
 */
export async function extractFromBytes(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ExtractOptions = {},
): Promise<ExtractionResult> {
  const scanner = options.cols ? null : new WidthScanner();
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let run: ByteRun | null = null;
  for await (const chunk of chunks) {
    if (run) {
      run.write(chunk);
      continue;
    }
    scanner?.feed(chunk);
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= PRESCAN_BYTES) {
      run = new ByteRun(chooseWidth(options, scanner, pending), options);
      for (const p of pending.splice(0)) run.write(p);
    }
  }
  if (!run) {
    run = new ByteRun(chooseWidth(options, scanner, pending), options);
    for (const p of pending) run.write(p);
  }
  return run.finish();
}

class ByteRun {
  private offset = 0;
  private readonly term;
  private readonly extractor;

  constructor(
    private readonly width: Width,
    private readonly options: ExtractOptions,
  ) {
    this.term = createEmulator(width.cols);
    const position = (): Position => ({ offset: this.offset, timestamp: null });
    this.extractor = new CommandExtractor(
      this.term,
      width.cols,
      options.startUser ?? DEFAULT_START_USER,
      position,
    );
  }

  violations(): number {
    return this.extractor.violations;
  }

  write(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i += SLICE_BYTES) {
      const slice = chunk.subarray(i, Math.min(chunk.length, i + SLICE_BYTES));
      writeNow(this.term, slice);
      this.offset += slice.length;
    }
  }

  finish(): ExtractionResult {
    this.extractor.settlePending();
    const { startedAt, endedAt } = this.options;
    const total = this.offset;
    const spread = startedAt != null && endedAt != null && endedAt >= startedAt && total > 0;
    const commands = this.extractor.drafts.map((d, seq) =>
      toCommand(
        d,
        seq,
        spread ? Math.round(startedAt + ((endedAt - startedAt) * d.pos.offset) / total) : null,
        spread ? 'approximate' : null,
        false,
      ),
    );
    this.term.dispose();
    return {
      commands,
      cols: this.width.cols,
      colsSource: this.width.source,
      prompts: [...this.extractor.prompts],
    };
  }
}

function toCommand(
  d: Draft,
  seq: number,
  at: number | null,
  atPrecision: ExtractedCommand['atPrecision'],
  lossyForm: boolean,
): ExtractedCommand {
  return {
    seq,
    text: d.text,
    user: d.user,
    executed: d.executed,
    at,
    atPrecision: at === null ? null : atPrecision,
    cwd: d.cwd,
    exitCode: d.exitCode,
    fidelity: lossyForm && d.lossy ? 'lossy' : 'exact',
    output: d.output.length > 0 ? d.output.join('\n') : null,
  };
}

const ALT_ENTER = /\x1b\[\?(?:1049|1047|47)h/;
const ALT_LEAVE = /\x1b\[\?(?:1049|1047|47)l/;
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^[\]PX^_]?/g;

/**
 * What the agent's CloudWatch stripping may have broken in a line: backspace or cursor-editing
 * redraws (their `\r` and escape sequences are gone), multibyte text turned into U+FFFD, and lines
 * long enough that readline's wrap redraw (`X\rX`) left a doubled character.
 */
function strippedLineLossy(text: string, cols: number): boolean {
  return (
    /[\b\x7f\ufffd]|\x1b\[[0-9;]*[ABCDGHJKPX@]|[^\s]\s+$/.test(text) ||
    text.length >= Math.min(cols, DEFAULT_COLS)
  );
}

/**
 * Commands from CloudWatch lines (see cloudWatchLines in src/ingest/transcript.ts). Each command
 * gets its line's event time (second precision) and is marked lossy where stripping hurt it.
 */
export function extractFromCloudWatch(
  lines: Iterable<{ text: string; timestamp: number }>,
  options: ExtractOptions = {},
): ExtractionResult {
  const all = Array.isArray(lines) ? (lines as Array<{ text: string; timestamp: number }>) : [...lines];
  const scanner = options.cols ? null : new WidthScanner();
  if (scanner) {
    const encoder = new TextEncoder();
    let scanned = 0;
    for (const line of all) {
      if (scanned > PRESCAN_BYTES) break;
      const bytes = encoder.encode(`${line.text}\r\n`);
      scanner.feed(bytes);
      scanned += bytes.length;
    }
  }
  const width = chooseWidth(options, scanner);
  const term = createEmulator(width.cols);
  let timestamp: number | null = null;
  let offset = 0;
  const extractor = new CommandExtractor(term, width.cols, options.startUser ?? DEFAULT_START_USER, () => ({
    offset,
    timestamp,
  }));
  extractor.strippedForm = true;
  let fullScreen = false;
  for (const line of all) {
    timestamp = line.timestamp;
    extractor.lineLossy = strippedLineLossy(line.text, width.cols);
    let text = line.text;
    if (text.includes('\x1b')) {
      // Full-screen programs: their screens reach us as lines of text without `\r` and with the
      // switches only where the agent kept a line raw; drop what they drew, keep the shell's part.
      const enter = text.search(ALT_ENTER);
      const leave = text.search(ALT_LEAVE);
      if (leave >= 0 && (enter < 0 || leave > enter)) {
        text = text.slice(leave);
        fullScreen = false;
      } else if (enter >= 0) {
        text = text.slice(0, enter);
        fullScreen = true;
      }
      text = text.replace(ESCAPES, '');
    } else if (fullScreen) {
      const prompts = [...extractor.prompts].filter((p) => p.length >= 2);
      if (prompts.some((p) => text.startsWith(p))) fullScreen = false;
      else text = '';
    }
    writeNow(term, `${text}\r\n`);
    offset += line.text.length + 1;
  }
  extractor.lineLossy = false;
  extractor.settlePending();
  const commands = extractor.drafts.map((d, seq) => toCommand(d, seq, d.pos.timestamp, 'second', true));
  term.dispose();
  return { commands, cols: width.cols, colsSource: width.source, prompts: [...extractor.prompts] };
}
