/**
 * Terminal width inference. Session Manager records no terminal size, yet readline's redraws only
 * make sense at the width the user's terminal had. A cheap byte scanner (no emulation) follows the
 * cursor column over the first part of the transcript and collects evidence:
 * - readline wraps: at the right margin bash prints the first character of the next row and `\r`
 *   (bash 5: `X\rX`; older readline: ` \r`), so the column before that `\r` is width + 1;
 * - readline redraws of a wrapped line (Ctrl-R search, accept after a search): it prints up to the
 *   first character of the next row and edits that row in place (`ESC[n@`, `ESC[nP`) right after
 *   printing, so an insert/delete that directly follows printed text also sits at width + 1
 *   (elsewhere readline moves the cursor first: `\b`, `\r`, CUF/CUB);
 * - `ESC[8;<rows>;<cols>t` resize requests;
 * - full-screen programs on the alternate screen address or fill the last column.
 */
import { MAX_COLS, MIN_COLS } from './bounds.ts';
import { charWidth } from './wcwidth.ts';

/** How much of a transcript the scanner sees before emulation starts (buffered once). */
export const PRESCAN_BYTES = 1 << 20;

export type WidthSource = 'wrap' | 'fullscreen' | 'resize';

export interface WidthGuess {
  cols: number;
  source: WidthSource;
}

const ESC = 0x1b;
/** A voted column stands for at most this many rows of one printed line. */
const MAX_FRACTION = 8;

/** Incremental scanner: feed byte chunks, then ask for the best guess. Memory is constant. */
export class WidthScanner {
  private col = 0;
  private state: 'text' | 'esc' | 'csi' | 'str' | 'strEsc' = 'text';
  private csiParams = '';
  private alt = false;
  private inInput = false;
  private markersSeen = false;
  private pendingCr = false;
  private lastChar = -1;
  private utf8Need = 0;
  private utf8Cp = 0;
  private readonly wrapVotes = new Map<number, number>();
  private resize: number | null = null;
  private fullscreenMax = 0;
  private crPrevChar = -1;
  private crCol = 0;
  /** The last thing in the stream was a printed character (colours aside): no cursor movement. */
  private afterPrint = false;
  /** `\r` came right after a printed space (older readline's wrap: ` \r`, then up a row). */
  private crAfterSpace = false;
  /** A space then erase-to-end at this column, waiting for a wide character (-1: none). */
  private wideEdge = -1;
  /** Cursor-up moves inside input: readline redrawing a multi-row line, where width matters. */
  inputCursorUps = 0;
  /** Bytes fed so far, and the offset just after the last input cursor-up (where trials can stop). */
  private fed = 0;
  private upPending = false;
  lastInputCursorUpEnd = 0;
  get sawMarkers(): boolean {
    return this.markersSeen;
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      this.byte(bytes[i]!);
      if (this.upPending) {
        this.upPending = false;
        this.lastInputCursorUpEnd = this.fed + i + 1;
      }
    }
    this.fed += bytes.length;
  }

  /**
   * Widths the wrap votes support best, widest first. A vote can be a multiple of the width (the
   * column counted across rows readline printed without a `\r`), so each voted column and its
   * fractions are candidates, supported by every vote they divide.
   */
  wrapCandidates(): number[] {
    const support = new Map<number, number>();
    for (const voted of this.wrapVotes.keys()) {
      for (let k = 1; k <= MAX_FRACTION; k++) {
        const cols = voted / k;
        if (!Number.isInteger(cols) || cols < MIN_COLS || support.has(cols)) continue;
        let n = 0;
        for (const [v, votes] of this.wrapVotes) if (v % cols === 0) n += votes;
        support.set(cols, n);
      }
    }
    const best = Math.max(0, ...support.values());
    if (best === 0) return [];
    return [...support]
      .filter(([, n]) => n === best)
      .map(([cols]) => cols)
      .sort((a, b) => b - a);
  }

  /** Best evidence so far, strongest kind first; null when there is none. */
  guess(): WidthGuess | null {
    let best = 0;
    let bestVotes = 0;
    for (const [cols, votes] of this.wrapVotes) {
      if (votes > bestVotes || (votes === bestVotes && cols < best)) {
        best = cols;
        bestVotes = votes;
      }
    }
    if (bestVotes > 0) return { cols: this.wrapCandidates()[0] ?? best, source: 'wrap' };
    if (this.resize !== null) return { cols: this.resize, source: 'resize' };
    if (this.fullscreenMax >= MIN_COLS)
      return { cols: Math.min(this.fullscreenMax, MAX_COLS), source: 'fullscreen' };
    return null;
  }

  private byte(b: number): void {
    switch (this.state) {
      case 'esc':
        if (b === 0x5b) {
          this.state = 'csi';
          this.csiParams = '';
        } else if (b === 0x5d || b === 0x50 || b === 0x5f || b === 0x5e || b === 0x58) this.state = 'str';
        else this.state = 'text';
        return;
      case 'csi':
        if (b >= 0x40 && b <= 0x7e) {
          this.state = 'text';
          this.csi(b);
        } else if (this.csiParams.length < 32) this.csiParams += String.fromCharCode(b);
        return;
      case 'str':
        if (b === 0x07) this.state = 'text';
        else if (b === ESC) this.state = 'strEsc';
        return;
      case 'strEsc':
        this.state = b === 0x5c ? 'text' : 'str';
        return;
    }
    if (this.utf8Need > 0 && (b & 0xc0) === 0x80) {
      this.utf8Cp = (this.utf8Cp << 6) | (b & 0x3f);
      if (--this.utf8Need === 0) this.print(this.utf8Cp);
      return;
    }
    this.utf8Need = 0;
    const printed = this.afterPrint;
    if (b < 0x20 && b !== ESC) this.afterPrint = false;
    if (b === ESC) {
      this.state = 'esc';
      this.pendingCr = false;
    } else if (b === 0x0d) {
      this.crAfterSpace = printed && this.afterPrintSpace();
      this.pendingCr = true;
      this.crPrevChar = this.lastChar;
      this.crCol = this.col;
      this.col = 0;
    } else if (b === 0x0a) {
      this.pendingCr = false;
    } else if (b === 0x08) {
      if (this.col > 0) this.col--;
    } else if (b === 0x09) {
      this.col = (this.col & ~7) + 8;
    } else if (b >= 0x20 && b < 0x7f) {
      this.print(b);
    } else if (b >= 0xc0 && b < 0xf8) {
      this.utf8Need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      this.utf8Cp = b & (b >= 0xf0 ? 0x07 : b >= 0xe0 ? 0x0f : 0x1f);
    }
  }

  private afterPrintSpace(): boolean {
    return this.lastChar === 0x20 && this.col > 0 && !this.alt && (this.inInput || !this.markersSeen);
  }

  private print(cp: number): void {
    const wideEdge = this.wideEdge;
    const crAfterSpace = this.crAfterSpace;
    this.wideEdge = -1;
    this.crAfterSpace = false;
    // Readline pads a row whose last column a wide character does not fit: ` `, `ESC[K`, then the
    // character on the next row. The column after that space is the width.
    if (wideEdge > 0 && charWidth(cp) === 2) this.vote(wideEdge);
    if (this.pendingCr) {
      this.pendingCr = false;
      // Readline (bash 5) typed slowly: ` \r` at the margin, then the next row's text over the space
      // (not `\r(reverse-i-search)`, which replaces a prompt ending in a space).
      const slowWrap = crAfterSpace && cp !== 0x20 && cp !== 0x28;
      if (slowWrap && this.markersSeen && this.inInput && !this.alt) this.vote(this.crCol - 1);
      // A wrap redraw: the character after `\r` repeats the one before it (bash 5).
      const wrapPattern = cp === this.crPrevChar && cp !== 0x20;
      if (wrapPattern && !this.alt && (this.inInput || !this.markersSeen)) this.vote(this.crCol - 1);
    }
    this.lastChar = cp;
    this.afterPrint = true;
    this.col += charWidth(cp);
    if (this.alt && this.col > this.fullscreenMax && this.col <= MAX_COLS) this.fullscreenMax = this.col;
  }

  private vote(cols: number): void {
    if (cols < MIN_COLS || cols > MAX_COLS) return;
    if (this.wrapVotes.size > 64 && !this.wrapVotes.has(cols)) return;
    this.wrapVotes.set(cols, (this.wrapVotes.get(cols) ?? 0) + 1);
  }

  private csi(final: number): void {
    const p = this.csiParams;
    const afterPrint = this.afterPrint;
    const crAfterSpace = this.crAfterSpace;
    this.crAfterSpace = false;
    // Older readline at the right margin: the last character, ` \r`, then up a row to continue
    // editing there; the column before the `\r` was width + 1.
    if (final === 0x41 && crAfterSpace && p === '') this.vote(this.crCol - 1);
    const wideEdge = afterPrint && final === 0x4b && (p === '' || p === '0') && this.afterPrintSpace();
    this.wideEdge = wideEdge ? this.col : -1;
    if (final !== 0x6d) this.afterPrint = false; // SGR colours do not move the cursor
    if ((final === 0x40 || final === 0x50) && afterPrint && !p.startsWith('?') && !this.alt && this.inInput) {
      this.vote(this.col - 1);
    }
    if (final === 0x68 || final === 0x6c) {
      // DECSET / DECRST
      if (!p.startsWith('?')) return;
      const on = final === 0x68;
      for (const mode of p.slice(1).split(';')) {
        if (mode === '2004') {
          this.markersSeen = true;
          this.inInput = on && !this.alt;
        } else if (mode === '1049' || mode === '47' || mode === '1047') this.alt = on;
      }
      return;
    }
    const nums = p.split(';').map((s) => Number.parseInt(s, 10));
    const n1 = Number.isFinite(nums[0]) ? nums[0]! : 0;
    if (final === 0x41 && this.inInput) {
      this.inputCursorUps++;
      this.upPending = true;
    }
    if (final === 0x43) this.col += Math.min(Math.max(n1, 1), MAX_COLS);
    else if (final === 0x44) this.col = Math.max(0, this.col - Math.max(n1, 1));
    else if (final === 0x47) this.col = Math.max(0, n1 - 1);
    else if (final === 0x48 || final === 0x66) {
      const c = Number.isFinite(nums[1]) ? nums[1]! : 1;
      this.col = Math.max(0, c - 1);
      if (this.alt && c > this.fullscreenMax && c <= MAX_COLS) this.fullscreenMax = c;
    } else if (final === 0x74 && n1 === 8) {
      const c = nums[2];
      // The first hint: later ones are followed during emulation (ByteRun), the first sets the start.
      if (c !== undefined && c >= MIN_COLS && c <= MAX_COLS) this.resize ??= c;
    }
  }
}
