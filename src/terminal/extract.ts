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
    const tried = trialWidth(prefix, options, scanner.lastInputCursorUpEnd);
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
/** Trials are fed in slices and stop at the first violation: only "any or none" matters. */
const TRIAL_SLICE = 4096;
/** Past the last cursor-up redraw a little output still shows whether the prompt came back right. */
const TRIAL_SLACK = 4096;

/**
 * Readline never moves the cursor above its prompt row, but at a width larger than the real one
 * its row arithmetic does (counted as violations); at smaller widths it stays inside the region.
 * So the real width is the largest one without violations: coarse candidates, then bisection.
 * Each trial replays only the prefix up to the last multi-row redraw (where violations can appear).
 */
function trialWidth(prefix: Uint8Array[], options: ExtractOptions, evidenceEnd: number): number | null {
  const limit = Math.min(TRIAL_BYTES, evidenceEnd + TRIAL_SLACK);
  const violations = (cols: number): number => {
    const run = new ByteRun({ cols, source: 'wrap' }, options);
    let fed = 0;
    for (const chunk of prefix) {
      for (let i = 0; i < chunk.length && fed < limit && run.violations() === 0; i += TRIAL_SLICE) {
        const slice = chunk.subarray(i, Math.min(chunk.length, i + TRIAL_SLICE, i + limit - fed));
        run.write(slice);
        fed += slice.length;
      }
      if (fed >= limit || run.violations() > 0) break;
    }
    const count = run.violations();
    run.finish();
    return count;
  };
  // Largest first: too-wide trials stop at their first violation, so only the widths at or below
  // the real one replay the whole prefix (once for the coarse step, then once per bisection step).
  let hi = -1;
  let lo = -1;
  for (let k = TRIAL_WIDTHS.length - 1; k >= 0; k--) {
    const cols = TRIAL_WIDTHS[k]!;
    if (violations(cols) > 0) hi = cols;
    else {
      lo = cols;
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
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let from = 0;
    for (let at = bytes.indexOf(RESIZE_PREFIX); at >= 0; at = bytes.indexOf(RESIZE_PREFIX, from)) {
      const hint = parseResize(bytes, at);
      if (!hint) {
        this.writeSlices(bytes.subarray(from, at + RESIZE_PREFIX.length));
        from = at + RESIZE_PREFIX.length;
        continue;
      }
      this.writeSlices(bytes.subarray(from, hint.end));
      this.extractor.followResize(hint.cols);
      from = hint.end;
    }
    this.writeSlices(bytes.subarray(from));
  }

  private writeSlices(chunk: Uint8Array): void {
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

const RESIZE_PREFIX = Buffer.from('\x1b[8;');

/** `ESC[8;<rows>;<cols>t` starting at `at`: the width and where the sequence ends (bounded scan). */
function parseResize(bytes: Buffer, at: number): { cols: number; end: number } | null {
  const start = at + RESIZE_PREFIX.length;
  const limit = Math.min(bytes.length, start + 16);
  for (let i = start; i < limit; i++) {
    if (bytes[i] !== 0x74) continue;
    const m = /^\d*;(\d+)$/.exec(bytes.subarray(start, i).toString('latin1'));
    return m ? { cols: Number(m[1]), end: i + 1 } : null;
  }
  return null;
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
function strippedLineLossy(raw: string, visible: string, cols: number): boolean {
  return (
    /[\b\x7f\ufffd]|\x1b\[[0-9;]*[ABCDGHJKPX@]|[^\s]\s+$/.test(raw) ||
    visible.length >= Math.min(cols, DEFAULT_COLS)
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
    let text = line.text;
    let kept = text;
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
      kept = text;
      text = text.replace(ESCAPES, '');
    } else if (fullScreen) {
      const prompts = [...extractor.prompts].filter((p) => p.length >= 2);
      if (prompts.some((p) => text.startsWith(p))) fullScreen = false;
      else text = kept = '';
    }
    // Judged on the part the shell wrote: a full-screen program's last redraw before it is gone.
    extractor.lineLossy = strippedLineLossy(kept, text, width.cols);
    writeNow(term, `${text}\r\n`);
    offset += line.text.length + 1;
  }
  extractor.lineLossy = false;
  extractor.settlePending();
  const commands = extractor.drafts.map((d, seq) => toCommand(d, seq, d.pos.timestamp, 'second', true));
  term.dispose();
  return { commands, cols: width.cols, colsSource: width.source, prompts: [...extractor.prompts] };
}
