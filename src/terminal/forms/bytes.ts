/**
 * The raw form: transcript bytes (the S3 object's body after the `script` header, or raw pty
 * output). One emulator per session, fed once, front to back: time is linear in the transcript
 * and memory is bounded by the emulator's scrollback plus the commands.
 */
import { CommandExtractor, type Position } from '../extractor/extractor.ts';
import { RawLines } from '../fallback/raw-lines.ts';
import { mergeUncertain, UncertainLines } from '../fallback/uncertain.ts';
import { EscapeSanitizer, type ScreenSize } from '../sanitize/sanitizer.ts';
import { createEmulator, prepareForExtraction, writeNow } from '../screen.ts';
import { DEFAULT_START_USER, type ExtractionResult, type ExtractOptions } from '../types.ts';
import { chooseWidth, type ViolationCounter, type Width } from '../width/choose.ts';
import { PRESCAN_BYTES, WidthScanner } from '../width/scanner.ts';
import { toCommand } from './command.ts';

/** Writes are cut into slices so byte offsets (approximate times) stay fine-grained. */
const SLICE_BYTES = 16 * 1024;
/** Trials are fed in slices and stop at the first violation: only "any or none" matters. */
const TRIAL_SLICE = 4096;

/**
 * Commands from a transcript's terminal bytes, streamed chunk by chunk.
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
      run = new ByteRun(chooseWidth(options, scanner, replayer(pending, options)), options);
      for (const p of pending.splice(0)) run.write(p);
    }
  }
  if (!run) {
    run = new ByteRun(chooseWidth(options, scanner, replayer(pending, options)), options);
    for (const p of pending) run.write(p);
  }
  return run.finish();
}

/** Width trials replay the buffered prefix through a full extraction run at each candidate width. */
function replayer(prefix: Uint8Array[], options: ExtractOptions): ViolationCounter | null {
  if (prefix.length === 0) return null;
  return (cols, limit) => {
    const run = new ByteRun({ cols, source: 'wrap' }, options, false);
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
}

class ByteRun {
  private offset = 0;
  private readonly term;
  private readonly extractor;
  private readonly screen: ScreenSize;
  /** Every byte passes it before the emulator: counts clamped, strings bounded. */
  private readonly sanitizer: EscapeSanitizer;
  /** Raw lines where the screen may hide them (null in width trials, which only count violations). */
  private readonly rawLines: RawLines | null;
  private readonly uncertain: UncertainLines;
  private readonly trust = (index: number) => this.extractor.altScreenTrusted(index);

  constructor(
    private readonly width: Width,
    private readonly options: ExtractOptions,
    readRaw = true,
  ) {
    this.term = createEmulator(width.cols);
    prepareForExtraction(this.term);
    this.screen = { rows: this.term.rows, cols: this.term.cols };
    this.sanitizer = new EscapeSanitizer(this.screen);
    const position = (): Position => ({ offset: this.offset, timestamp: null });
    this.extractor = new CommandExtractor(
      this.term,
      width.cols,
      options.startUser ?? DEFAULT_START_USER,
      position,
    );
    const extractor = this.extractor;
    this.uncertain = new UncertainLines(
      () => extractor.promptsSoFar,
      () => extractor.currentUser,
      () => this.screen.cols,
    );
    const uncertain = this.uncertain;
    this.rawLines = readRaw
      ? new RawLines(
          (bytes, end, suspect) => uncertain.bytesLine(bytes, end, suspect),
          () => uncertain.sigils(),
        )
      : null;
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
      this.screen.cols = this.term.cols;
      from = hint.end;
    }
    this.writeSlices(bytes.subarray(from));
  }

  private writeSlices(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i += SLICE_BYTES) {
      const slice = chunk.subarray(i, Math.min(chunk.length, i + SLICE_BYTES));
      this.writeSlice(slice);
      this.rawLines?.feed(
        slice,
        this.offset,
        this.sanitizer.suspect,
        this.extractor.takeBeyondReach(),
        this.trust,
      );
      this.offset += slice.length;
    }
  }

  /** Writes one slice; each `^C` in it is announced to the extractor before it is drawn. */
  private writeSlice(slice: Uint8Array): void {
    const bytes = Buffer.from(slice.buffer, slice.byteOffset, slice.length);
    let from = 0;
    for (let at = bytes.indexOf(CARET_C); at >= 0; at = bytes.indexOf(CARET_C, at + 2)) {
      if (at > from) writeNow(this.term, this.sanitizer.write(bytes.subarray(from, at)));
      this.extractor.beforeInterruptEcho();
      from = at;
    }
    writeNow(this.term, this.sanitizer.write(from === 0 ? slice : bytes.subarray(from)));
  }

  finish(): ExtractionResult {
    this.extractor.finish();
    this.rawLines?.finish(this.offset, this.sanitizer.suspect, this.trust);
    const drafts = mergeUncertain(this.extractor.drafts, this.uncertain.candidates);
    const { startedAt, endedAt } = this.options;
    const total = this.offset;
    // No event times in this form: a command's place in the byte stream spreads it over the session.
    const spread = startedAt != null && endedAt != null && endedAt >= startedAt && total > 0;
    const commands = drafts.map((d, seq) =>
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
      droppedCommands: this.extractor.droppedCommands,
    };
  }
}

const RESIZE_PREFIX = Buffer.from('\x1b[8;');
/** The tty's echo of Ctrl-C. */
const CARET_C = Buffer.from('^C');

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
