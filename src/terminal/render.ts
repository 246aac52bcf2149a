/**
 * Readable text of a transcript: the lines as the terminal finally showed them (edits applied,
 * colours and cursor movement gone, full-screen programs left out), scrollback included. Lines are
 * harvested as they scroll away from the live screen, so memory stays bounded on any input.
 */
import type { IBufferNamespace, IMarker } from '@xterm/headless';
import { createEmulator, joinRows, writeNow } from './screen.ts';
import { DEFAULT_COLS } from './types.ts';
import { PRESCAN_BYTES, WidthScanner } from './width/scanner.ts';

/** Rows kept live below the harvest point: redraws rarely reach further up than this. */
const KEEP_ROWS = 200;
const SCROLLBACK = 1000;
const SLICE_BYTES = 16 * 1024;
const MAX_LINE_ROWS = 400;
/** Rows one slice may add: with KEEP_ROWS and the screen this stays under SCROLLBACK. */
const SLICE_ROWS = 400;

export async function* renderText(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { cols?: number } = {},
): AsyncGenerator<string> {
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const scanner = options.cols ? null : new WidthScanner();
  let renderer: Renderer | null = null;
  for await (const chunk of chunks) {
    if (!renderer) {
      scanner?.feed(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < PRESCAN_BYTES) continue;
      renderer = new Renderer(options.cols ?? scanner?.guess()?.cols ?? DEFAULT_COLS);
      for (const p of pending.splice(0)) yield* renderer.write(p);
      continue;
    }
    yield* renderer.write(chunk);
  }
  renderer ??= new Renderer(options.cols ?? scanner?.guess()?.cols ?? DEFAULT_COLS);
  for (const p of pending.splice(0)) yield* renderer.write(p);
  yield* renderer.finish();
}

class Renderer {
  private readonly term;
  private readonly out: string[] = [];
  /** First row not yet emitted, tracked by a marker so scrollback trimming cannot shift it. */
  private boundary: IMarker | undefined;
  /** Cached: `term.buffer` runs xterm's proposed-API check on every read. */
  private readonly buffers: IBufferNamespace;

  constructor(private readonly cols: number) {
    this.term = createEmulator(cols, 50, SCROLLBACK);
    this.buffers = this.term.buffer;
    this.boundary = this.term.registerMarker(0);
    this.term.onLineFeed(() => this.harvest(KEEP_ROWS));
  }

  /**
   * Writes in slices and harvests after each one: a long line only wraps (no line feed, so
   * onLineFeed never fires), and without this the rows before it would be trimmed out of the
   * scrollback before anyone read them. A slice adds at most SLICE_ROWS rows, so nothing unread
   * ever reaches the trim.
   */
  *write(chunk: Uint8Array): Generator<string> {
    const slice = Math.max(1, Math.min(SLICE_BYTES, this.cols * SLICE_ROWS));
    for (let i = 0; i < chunk.length; i += slice) {
      writeNow(this.term, chunk.subarray(i, Math.min(chunk.length, i + slice)));
      this.harvest(KEEP_ROWS);
      if (this.out.length > 0) yield* this.out.splice(0);
    }
  }

  *finish(): Generator<string> {
    this.harvest(0);
    let lines = this.out.splice(0);
    while (lines.length > 0 && lines.at(-1) === '') lines = lines.slice(0, -1);
    yield* lines;
    this.term.dispose();
  }

  private harvest(keep: number): void {
    if (this.buffers.active.type === 'alternate') return;
    const buffer = this.buffers.normal;
    const end = keep === 0 ? buffer.length : buffer.baseY + buffer.cursorY - keep;
    let row = !this.boundary || this.boundary.isDisposed ? 0 : this.boundary.line;
    if (row >= end) return;
    while (row < end) {
      let last = row;
      while (last + 1 < buffer.length && last - row < MAX_LINE_ROWS && buffer.getLine(last + 1)?.isWrapped)
        last++;
      if (keep > 0 && last >= end) break;
      this.out.push(joinRows(buffer, row, last, this.cols).trimEnd());
      row = last + 1;
    }
    this.boundary?.dispose();
    const cursor = buffer.baseY + buffer.cursorY;
    this.boundary = this.term.registerMarker(row - cursor);
  }
}
