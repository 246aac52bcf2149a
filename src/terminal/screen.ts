/**
 * The emulator and the few reads we make of its buffer. @xterm/headless does the real terminal
 * work (wrapping, cursor movement, erase, insert, wide characters, alternate screen); we only read
 * rows back. Writes are synchronous so parser hooks observe the buffer exactly at their byte.
 */

import type { IBuffer, IBufferNamespace, Terminal as XTerminal } from '@xterm/headless';
import xterm from '@xterm/headless';
import { GLIBC_UNICODE } from './width/glibc.ts';

const { Terminal } = xterm;

export type Emulator = XTerminal;

interface CoreWithWriteSync {
  _core: { writeSync(data: string | Uint8Array, maxSubsequentCalls?: number): void };
}

export function createEmulator(cols: number, rows = 50, scrollback = 1000): Emulator {
  return new Terminal({ cols, rows, scrollback, allowProposedApi: true, logLevel: 'off' });
}

/**
 * Parses data now. xterm's public write() is asynchronous; its core's writeSync parses in place,
 * which keeps hooks, markers and our own bookkeeping in step with the byte being processed.
 */
export function writeNow(term: Emulator, data: string | Uint8Array): void {
  (term as unknown as CoreWithWriteSync)._core.writeSync(data);
}

export function isAlternate(buffers: IBufferNamespace): boolean {
  return buffers.active.type === 'alternate';
}

/** Absolute row of the cursor in the active buffer. */
export function cursorRow(buffer: IBuffer): number {
  return buffer.baseY + buffer.cursorY;
}

/** Whether a row's last cell holds a character (the text reached the right margin). */
export function rowIsFull(buffer: IBuffer, row: number, cols: number): boolean {
  const line = buffer.getLine(row);
  if (!line) return false;
  const cell = line.getCell(cols - 1);
  if (!cell) return false;
  return cell.getChars() !== '' || cell.getWidth() === 0;
}

export function rowText(buffer: IBuffer, row: number, startCol = 0): string {
  return buffer.getLine(row)?.translateToString(true, startCol) ?? '';
}

/** First row of the logical line that contains `row` (following soft wraps upward, bounded). */
export function logicalStart(buffer: IBuffer, row: number, maxRows = 200): number {
  let r = row;
  while (r > 0 && row - r < maxRows && buffer.getLine(r)?.isWrapped) r--;
  return r;
}

/** Text of rows [from, to] joined across soft wraps; hard line breaks become '\n'. */
export function joinRows(buffer: IBuffer, from: number, to: number, cols: number, startCol = 0): string {
  let out = '';
  for (let r = from; r <= to; r++) {
    const line = buffer.getLine(r);
    if (!line) continue;
    if (r > from) {
      const continues = line.isWrapped || rowIsFull(buffer, r - 1, cols);
      if (!continues) out = `${out.trimEnd()}\n`;
    }
    const full = r < to && (buffer.getLine(r + 1)?.isWrapped || rowIsFull(buffer, r, cols));
    // A wide character that did not fit in the last column wrapped and left that cell empty.
    const end = full && r < to && wideSkippedEdge(buffer, r, cols) ? cols - 1 : undefined;
    out += line.translateToString(!full, r === from ? startCol : 0, end);
  }
  return out;
}

/** The row's last cell is blank and the next row, its wrapped continuation, starts wide. */
function wideSkippedEdge(buffer: IBuffer, row: number, cols: number): boolean {
  const last = buffer.getLine(row)?.getCell(cols - 1);
  // Readline pads that cell with a space (` ESC[K`); a bare emulator leaves it empty.
  const chars = last?.getChars();
  if ((chars !== '' && chars !== ' ') || last?.getWidth() !== 1) return false;
  const next = buffer.getLine(row + 1);
  return next?.isWrapped === true && next.getCell(0)?.getWidth() === 2;
}

interface CoreLine {
  isWrapped: boolean;
  translateToString(trimRight?: boolean, startCol?: number, endCol?: number): string;
}

/** The active buffer's internals (xterm 6 core: `ybase`, `y`, `lines`). */
export interface CoreBuffer {
  ybase: number;
  y: number;
  scrollTop: number;
  lines: { get(index: number): CoreLine | undefined };
}

/**
 * The public buffer API allocates a view object per row read; the per-line-feed fast path of
 * plain shells reads the core buffer directly instead.
 */
export function coreBuffer(term: Emulator): CoreBuffer {
  return (term as unknown as { _core: { buffer: CoreBuffer } })._core.buffer;
}

/** Text of the first row of the logical line that ends at `row` (soft wraps followed up, bounded). */
export function firstRowOf(buffer: CoreBuffer, row: number, maxChars: number, maxRows = 200): string {
  let r = row;
  while (r > 0 && row - r < maxRows && buffer.lines.get(r)?.isWrapped) r--;
  return buffer.lines.get(r)?.translateToString(true, 0, maxChars) ?? '';
}

/**
 * Colour and weight of the cell at character `index` of the logical line starting at `row`
 * (ASCII-width arithmetic: prompts are ASCII): 0 for the default style. A coloured prompt shows its
 * colours every time (PS1 sets them itself); a copy printed by a command usually does not.
 */
export function styleAt(buffer: IBuffer, row: number, index: number, cols: number): number {
  const line = buffer.getLine(row + Math.floor(index / cols));
  const cell = line?.getCell(index % cols);
  if (!cell) return 0;
  const mode = cell.getFgColorMode();
  const bold = cell.isBold() ? 1 : 0;
  if (mode === 0 && bold === 0) return 0;
  return mode * 0x4000000 + cell.getFgColor() * 2 + bold;
}

/**
 * A tty's line discipline erases with `\b \b` and knows nothing of rows: after a line wrapped, its
 * Backspace echo at column 0 must go up to the previous row's end to erase what the tty erased.
 * xterm's reverse-wraparound mode (DECSET 45) does that, for wrapped rows only.
 */
export function followTtyErase(term: Emulator): void {
  writeNow(term, '\x1b[?45h');
}

/**
 * The emulator as the extractor needs it: the tty's erase across wraps (followTtyErase) and the
 * line editor's character widths (glibc wcwidth, width/glibc.ts).
 */
export function prepareForExtraction(term: Emulator): void {
  followTtyErase(term);
  if (!term.unicode.versions.includes(GLIBC_UNICODE.version)) term.unicode.register(GLIBC_UNICODE);
  term.unicode.activeVersion = GLIBC_UNICODE.version;
}

/**
 * The row below `row` holds the rest of its logical line: soft-wrapped, or `row` is full to the
 * margin and the row below already has text (drawn before the line feed, so not output).
 */
export function continuesBelow(buffer: IBuffer, row: number, cols: number): boolean {
  const next = buffer.getLine(row + 1);
  if (!next) return false;
  if (next.isWrapped) return true;
  return rowIsFull(buffer, row, cols) && next.translateToString(true, 0, 1) !== '';
}

/**
 * Calls `hook` right before the emulator scrolls a row off the top of the scroll region (a line
 * feed on its last row): the only moment that row's text can still be read. xterm has no public
 * event for it (onScroll fires after), so the core's buffer service is wrapped.
 */
export function beforeScroll(term: Emulator, hook: () => void): void {
  const service = (term as unknown as { _core: { _bufferService: { scroll(...args: unknown[]): void } } })
    ._core._bufferService;
  const scroll = service.scroll.bind(service);
  service.scroll = (...args: unknown[]) => {
    hook();
    scroll(...args);
  };
}
