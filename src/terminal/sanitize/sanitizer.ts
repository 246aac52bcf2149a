/**
 * A streaming sanitizer between transcript bytes and the emulator. Transcripts are written by
 * whoever controls the node: one `ESC[2147483647L` kept xterm.js busy for minutes, a REP count
 * grew to gigabytes, and an unterminated OSC was buffered whole. Every CSI count and position is
 * clamped to the screen, parameter lists are capped, and control strings are cut past a bound.
 *
 * It follows xterm.js's own parser (VT500 table and UTF-8 decoder of @xterm/headless 6) state for
 * state, so a byte is a parameter here exactly when it is one there: C1 controls (UTF-8 `C2 80` to
 * `C2 9F`), C0 controls executed inside a CSI, CAN/SUB aborts and malformed UTF-8 are handled as
 * xterm.js does. Text passes untouched; a chunk without anything to change is returned as is.
 *
 * It also reports where the screen may stop showing what the bytes hold (see `SuspectTracker`):
 * a line break inside a control string (the terminal swallows it), the alternate screen, a scroll
 * region or origin mode, and sequences that swallow printable text (intermediate bytes).
 */
import { type CsiParams, clampAll, newCsiParams, serializeCsi } from './csi.ts';
import { MAX_CSI_PARAMS, MAX_CSI_SUBPARAMS, MAX_STRING_BYTES } from './limits.ts';
import { SuspectTracker } from './suspect.ts';

const GROUND = 0;
const ESCAPE = 1;
const ESC_INT = 2;
const CSI_ENTRY = 3;
const CSI_PARAM = 4;
const CSI_INT = 5;
const CSI_IGNORE = 6;
const OSC = 7;
const DCS_ENTRY = 8;
const DCS_PARAM = 9;
const DCS_INT = 10;
const DCS_IGNORE = 11;
const DCS_PASS = 12;
const SOS = 13;

/** Any decoded code point from U+00A0 up (xterm.js's NON_ASCII_PRINTABLE class). */
const NON_ASCII = 0xa0;
const SATURATED = 0x7fffffff;
/**
 * An escape sequence cut by the chunk's end is held back whole (re-read with the next chunk) when
 * it is at most this long; a longer one (only an attack has kilobytes of parameters) is rebuilt
 * from its parsed parameters instead.
 */
const HOLD_MAX = 256;

export interface ScreenSize {
  rows: number;
  cols: number;
}

export class EscapeSanitizer {
  /** Parameters clamped so far. */
  clampedParams = 0;
  /** Control strings cut at MAX_STRING_BYTES. */
  cutStrings = 0;
  readonly suspect = new SuspectTracker();
  private state = GROUND;
  /** Absolute offset (input bytes) of the chunk being read. */
  private base = 0;
  // UTF-8 decoding outside ground, as xterm.js does it.
  private u8need = 0;
  private u8cp = 0;
  private u8type = 0;
  private held: Uint8Array | null = null;
  // The CSI being read.
  private csi: CsiParams = newCsiParams();
  private cur = -1;
  /** Index in this chunk where the current sequence started, or -1 (started in an earlier chunk). */
  private seqStart = -1;
  /** The sequence cannot be passed as it came: it is rebuilt at its final byte. */
  private rebuild = false;
  private escIntermediates = '';
  private stringBytes = 0;
  private dropping = false;
  private out: Uint8Array[] = [];
  private emitFrom = 0;

  constructor(readonly screen: ScreenSize) {}

  /** Absolute input offset up to which bytes have been read (held-back bytes excluded). */
  get offset(): number {
    return this.base;
  }

  /** Whether a control string (OSC, DCS, SOS/PM/APC) is open: the emulator shows nothing now. */
  get inString(): boolean {
    return this.state >= OSC;
  }

  /**
   * Bytes safe to give the emulator for this chunk. A UTF-8 sequence cut at the chunk's end is held
   * back for the next call (xterm.js decodes such a split differently from a whole one).
   */
  write(input: Uint8Array): Uint8Array {
    let chunk = input;
    const heldLength = this.held?.length ?? 0;
    if (this.held) {
      const joined = new Uint8Array(heldLength + input.length);
      joined.set(this.held);
      joined.set(input, heldLength);
      chunk = joined;
      this.held = null;
    }
    this.base -= heldLength;
    this.suspect.beginChunk(this.base);
    this.out = [];
    this.emitFrom = 0;
    if (this.state !== GROUND) this.seqStart = -1;
    const end = chunk.length - incompleteTail(chunk);
    this.scan(chunk, end);
    let keep = end;
    if (this.state >= ESCAPE && this.state < OSC) {
      if (!this.rebuild && this.seqStart >= 0 && chunk.length - this.seqStart <= HOLD_MAX) {
        // Read the whole sequence again with the next chunk, from ground.
        keep = this.seqStart;
        this.state = GROUND;
      } else if (this.state >= CSI_ENTRY) {
        this.startRebuild(chunk);
        this.seqStart = -1;
      }
    }
    if (!this.dropping) this.emit(chunk, this.emitFrom, keep);
    if (keep < chunk.length) this.held = chunk.slice(keep);
    this.base += keep;
    return this.result(chunk);
  }

  private result(chunk: Uint8Array): Uint8Array {
    const out = this.out;
    if (out.length === 1 && out[0]!.length === chunk.length) return chunk;
    if (out.length === 0) return new Uint8Array(0);
    if (out.length === 1) return out[0]!;
    let total = 0;
    for (const part of out) total += part.length;
    const joined = new Uint8Array(total);
    let at = 0;
    for (const part of out) {
      joined.set(part, at);
      at += part.length;
    }
    return joined;
  }

  private emit(chunk: Uint8Array, from: number, to: number): void {
    if (to > from) this.out.push(chunk.subarray(from, to));
  }

  private scan(chunk: Uint8Array, end: number): void {
    let i = 0;
    let nextC2 = -2;
    while (i < end) {
      if (this.state === GROUND) {
        // Text: only ESC and C1 controls (UTF-8 C2 80..C2 9F) leave the ground state.
        let esc = chunk.indexOf(0x1b, i);
        if (esc < 0 || esc >= end) esc = end;
        if (nextC2 < i && nextC2 !== -1) nextC2 = chunk.indexOf(0xc2, i);
        let at = esc;
        while (nextC2 >= 0 && nextC2 < at) {
          const next = chunk[nextC2 + 1];
          if (next !== undefined && next >= 0x80 && next <= 0x9f && nextC2 + 1 < end) {
            at = nextC2;
            break;
          }
          nextC2 = chunk.indexOf(0xc2, nextC2 + 1);
        }
        if (at >= end) return;
        this.u8need = 0;
        if (at === esc) {
          this.seqStart = at;
          this.state = ESCAPE;
          i = at + 1;
        } else {
          this.seqStart = at;
          this.control(chunk[at + 1]!, chunk, at + 1);
          i = at + 2;
        }
        continue;
      }
      if (this.state >= OSC && this.u8need === 0 && this.state !== DCS_ENTRY) {
        // Long strings are mostly printable ASCII: every string state keeps those bytes.
        let j = i;
        while (j < end && chunk[j]! >= 0x20 && chunk[j]! < 0x7f) j++;
        if (j > i && this.state !== DCS_PARAM && this.state !== DCS_INT) {
          this.stringRun(chunk, i, j);
          i = j;
          continue;
        }
      }
      const byte = chunk[i]!;
      if (byte < 0x80 && this.u8need === 0) {
        this.step(byte, chunk, i);
        i++;
        continue;
      }
      const cp = this.decode(byte);
      if (cp === -2) continue; // a broken sequence: this byte starts afresh
      i++;
      if (cp >= 0) this.step(cp, chunk, i - 1);
    }
  }

  /**
   * xterm.js's UTF-8 decoder, one byte at a time: returns the code point when one completes, -1
   * while incomplete or when the bytes are discarded, -2 when this byte must be read again.
   */
  private decode(byte: number): number {
    if (this.u8need > 0) {
      if ((byte & 0xc0) !== 0x80) {
        this.u8need = 0;
        return -2;
      }
      this.u8cp = (this.u8cp << 6) | (byte & 0x3f);
      if (--this.u8need > 0) return -1;
      const cp = this.u8cp;
      if (this.u8type === 2) return cp < 0x80 ? -1 : cp;
      if (this.u8type === 3) return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfeff ? -1 : cp;
      return cp < 0x10000 || cp > 0x10ffff ? -1 : cp;
    }
    if ((byte & 0xe0) === 0xc0) [this.u8need, this.u8type, this.u8cp] = [1, 2, byte & 0x1f];
    else if ((byte & 0xf0) === 0xe0) [this.u8need, this.u8type, this.u8cp] = [2, 3, byte & 0x0f];
    else if ((byte & 0xf8) === 0xf0) [this.u8need, this.u8type, this.u8cp] = [3, 4, byte & 0x07];
    return -1;
  }

  /** One code point outside ground; `i` is the index of its last byte in the chunk. */
  private step(cp: number, chunk: Uint8Array, i: number): void {
    if (cp === 0x1b) {
      this.enterEscape(chunk, i);
      return;
    }
    if (cp >= 0x80 && cp < 0xa0) {
      this.control(cp, chunk, i);
      return;
    }
    if (cp === 0x18 || cp === 0x1a) {
      this.abort(chunk, i, true);
      return;
    }
    const state = this.state;
    if (state >= OSC) {
      this.stringByte(cp, chunk, i);
      return;
    }
    const code = Math.min(cp, NON_ASCII);
    if (code < 0x20) {
      // C0 controls inside escape and CSI sequences run in place.
      if (state >= CSI_ENTRY) this.executeInCsi(chunk, i);
      return;
    }
    if (code === 0x7f) {
      if (state >= CSI_ENTRY) this.rebuild = true;
      return;
    }
    if (state === ESCAPE) {
      this.escapeByte(code, chunk, i);
      return;
    }
    if (state === ESC_INT) {
      if (code === NON_ASCII) {
        this.abort(chunk, i, false);
        return;
      }
      if (code < 0x30) {
        if (this.escIntermediates.length < 4) this.escIntermediates += String.fromCharCode(code);
        return;
      }
      // ESC with intermediates swallows printable bytes up to its final one: only the sequences
      // programs send (charset designations, DECALN, S7C1T...) are beyond suspicion.
      if (!isKnownEscape(this.escIntermediates, code)) this.suspect.point(this.base + i);
      this.state = GROUND;
      return;
    }
    this.csiByte(code, chunk, i);
  }

  private escapeByte(code: number, _chunk: Uint8Array, i: number): void {
    if (code === 0x5b) this.beginCsi();
    else if (code === 0x5d) this.beginString(OSC);
    else if (code === 0x50) this.beginString(DCS_ENTRY);
    else if (code === 0x58 || code === 0x5e || code === 0x5f) this.beginString(SOS);
    else if (code >= 0x20 && code < 0x30) {
      this.escIntermediates = String.fromCharCode(code);
      this.state = ESC_INT;
    } else if (code === NON_ASCII) this.state = GROUND;
    else {
      if (code === 0x63) this.suspect.reset(this.base + i); // RIS
      this.state = GROUND;
    }
  }

  private beginCsi(): void {
    this.state = CSI_ENTRY;
    // Reused, not reallocated: a colourful transcript has a CSI every few bytes.
    const csi = this.csi;
    csi.prefix = 0;
    csi.values.length = 0;
    csi.subs.length = 0;
    csi.intermediates = '';
    csi.final = 0;
    csi.clamped = false;
    this.cur = -1;
    this.rebuild = false;
  }

  /** From here the CSI is written rebuilt: what came before it goes out now, its own bytes never. */
  private startRebuild(chunk: Uint8Array): void {
    if (this.rebuild) return;
    this.rebuild = true;
    if (this.seqStart >= 0) this.emit(chunk, this.emitFrom, this.seqStart);
    this.emitFrom = chunk.length;
  }

  private csiByte(code: number, chunk: Uint8Array, i: number): void {
    const state = this.state;
    if (state === CSI_IGNORE) {
      if (code >= 0x40 && code < 0x7f) this.endIgnoredCsi(i);
      return;
    }
    if (code === NON_ASCII) {
      this.abort(chunk, i, false);
      return;
    }
    if (code >= 0x40) {
      this.dispatchCsi(code, chunk, i);
      return;
    }
    if (code >= 0x30 && code <= 0x3b && state !== CSI_INT) {
      this.state = CSI_PARAM;
      if (code <= 0x39) {
        const digit = code - 0x30;
        this.cur = this.cur < 0 ? digit : Math.min(SATURATED, this.cur * 10 + digit);
      } else this.pushParam(code === 0x3a);
      return;
    }
    if (code >= 0x3c && code <= 0x3f && state === CSI_ENTRY) {
      this.csi.prefix = code;
      this.state = CSI_PARAM;
      return;
    }
    if (code >= 0x20 && code < 0x30) {
      if (this.csi.intermediates.length < 4) this.csi.intermediates += String.fromCharCode(code);
      this.state = CSI_INT;
      return;
    }
    // A prefix byte after parameters, or a parameter after an intermediate: ignored to its final.
    this.suspect.point(this.base + i);
    this.state = CSI_IGNORE;
  }

  private pushParam(sub: boolean): void {
    const csi = this.csi;
    if (csi.values.length < MAX_CSI_PARAMS + MAX_CSI_SUBPARAMS) {
      csi.values.push(this.cur);
      csi.subs.push(sub);
    } else this.csi.clamped = true;
    this.cur = -1;
  }

  private dispatchCsi(final: number, chunk: Uint8Array, i: number): void {
    this.pushParam(false);
    const csi = this.csi;
    csi.final = final;
    this.clampedParams += clampAll(csi, this.screen);
    if (csi.clamped) this.startRebuild(chunk);
    this.suspect.csi(csi, this.screen.rows, this.base + i);
    if (this.rebuild) {
      this.out.push(serializeCsi(csi));
      this.emitFrom = i + 1;
    }
    this.rebuild = false;
    this.state = GROUND;
  }

  private endIgnoredCsi(i: number): void {
    if (this.rebuild) this.emitFrom = i + 1; // an ignored sequence does nothing: drop it
    this.rebuild = false;
    this.state = GROUND;
  }

  /** A C0 control inside a CSI runs where it stands; the CSI is rebuilt after it. */
  private executeInCsi(chunk: Uint8Array, i: number): void {
    this.startRebuild(chunk);
    this.out.push(chunk.subarray(i, i + 1));
  }

  /** The sequence ends without dispatch at chunk[i] (CAN/SUB, a non-ASCII code point). */
  private abort(chunk: Uint8Array, i: number, cancel: boolean): void {
    if (this.state >= CSI_ENTRY && this.state < OSC && this.rebuild) {
      // Reproduce the abort itself: an open CSI, then the byte that ends it.
      if (!cancel) this.out.push(CSI_INTRO);
      this.emitFrom = i - (cancel ? 0 : byteLengthBack(chunk, i));
    } else if (this.state >= OSC) this.endString(chunk, i);
    this.rebuild = false;
    this.state = GROUND;
  }

  private enterEscape(chunk: Uint8Array, i: number): void {
    if (this.state >= OSC) this.endString(chunk, i);
    else if (this.state >= CSI_ENTRY && this.rebuild) this.emitFrom = i;
    this.rebuild = false;
    this.seqStart = i;
    this.state = ESCAPE;
  }

  /** A C1 control (U+0080..U+009F): acts from any state, as in xterm.js. */
  private control(cp: number, chunk: Uint8Array, i: number): void {
    const start = i - 1; // C1 controls arrive as two UTF-8 bytes
    if (this.state >= OSC) this.endString(chunk, start);
    else if (this.state >= CSI_ENTRY && this.rebuild) this.emitFrom = start;
    this.rebuild = false;
    this.seqStart = start;
    if (cp === 0x9b) this.beginCsi();
    else if (cp === 0x9d) this.beginString(OSC);
    else if (cp === 0x90) this.beginString(DCS_ENTRY);
    else if (cp === 0x98 || cp === 0x9e || cp === 0x9f) this.beginString(SOS);
    else this.state = GROUND;
  }

  private beginString(state: number): void {
    this.state = state;
    this.stringBytes = 0;
    this.dropping = false;
  }

  /** Printable ASCII chunk[from..to) inside OSC, DCS data or SOS/PM/APC: counted, maybe cut. */
  private stringRun(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_STRING_BYTES - this.stringBytes;
    this.stringBytes += to - from;
    if (!this.dropping && to - from > room) {
      this.dropping = true;
      this.cutStrings++;
      this.emit(chunk, this.emitFrom, from + Math.max(0, room));
    }
    if (this.dropping) this.emitFrom = to;
  }

  private stringByte(cp: number, chunk: Uint8Array, i: number): void {
    if (++this.stringBytes > MAX_STRING_BYTES && !this.dropping) {
      this.dropping = true;
      this.cutStrings++;
      this.emit(chunk, this.emitFrom, i - byteLengthBack(chunk, i));
    }
    if (this.dropping) this.emitFrom = i + 1;
    if (cp === 0x0a || cp === 0x0b || cp === 0x0c) this.suspect.swallowedLine(this.base + i);
    const state = this.state;
    const code = Math.min(cp, NON_ASCII);
    if (state === OSC) {
      if (code === 0x07) this.endString(chunk, i);
    } else if (state === SOS || state === DCS_ENTRY || state === DCS_PARAM || state === DCS_INT) {
      if (code === NON_ASCII) this.endString(chunk, i);
      else if (state !== SOS) this.dcsByte(code);
    }
  }

  private dcsByte(code: number): void {
    const state = this.state;
    if (code < 0x20 || code === 0x7f) return;
    if (code >= 0x40) this.state = DCS_PASS;
    else if (code < 0x30) this.state = state === DCS_PARAM || state === DCS_ENTRY ? DCS_INT : state;
    else if (state === DCS_INT || (code >= 0x3c && state === DCS_PARAM)) this.state = DCS_IGNORE;
    else this.state = DCS_PARAM;
  }

  /** The string ends at chunk[i] (its terminator passes to the emulator). */
  private endString(chunk: Uint8Array, i: number): void {
    if (this.dropping) this.emitFrom = i - byteLengthBack(chunk, i);
    this.dropping = false;
    this.suspect.stringEnded(this.base + i);
    this.state = GROUND;
  }
}

const CSI_INTRO = new Uint8Array([0x1b, 0x5b]);

/**
 * ESC sequences with one intermediate that terminals define: G0-G3 charset designations
 * (`ESC ( B`, with a digit, capital or `<=>` final), `ESC # 8` (DECALN and line sizes),
 * `ESC SP F`..`N` (S7C1T, ANSI conformance levels), `ESC % @`/`G` (UTF-8 switch).
 */
function isKnownEscape(intermediates: string, final: number): boolean {
  if (intermediates.length !== 1) return false;
  const i = intermediates;
  if ('()*+-./'.includes(i)) return (final >= 0x30 && final <= 0x39) || (final >= 0x3c && final <= 0x5a);
  if (i === '#') return final >= 0x33 && final <= 0x38;
  if (i === ' ') return final >= 0x46 && final <= 0x4e;
  if (i === '%') return final === 0x40 || final === 0x47;
  return false;
}

/** Bytes before index i that belong to the same UTF-8 code point (0 for ASCII). */
function byteLengthBack(chunk: Uint8Array, i: number): number {
  let k = 0;
  while (k < 3 && i - k > 0 && (chunk[i - k]! & 0xc0) === 0x80) k++;
  return k;
}

/** Length of an incomplete UTF-8 sequence at the end of the chunk (0 when it ends whole). */
function incompleteTail(chunk: Uint8Array): number {
  const n = chunk.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const byte = chunk[n - k]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = (byte & 0xe0) === 0xc0 ? 2 : (byte & 0xf0) === 0xe0 ? 3 : (byte & 0xf8) === 0xf0 ? 4 : 1;
    return need > k ? k : 0;
  }
  return 0;
}
