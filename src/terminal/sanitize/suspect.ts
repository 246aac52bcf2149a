/**
 * Where the emulated screen may stop showing what the bytes hold, in absolute input offsets: a
 * line break inside a control string (the terminal swallows everything up to the terminator), a
 * scroll region or origin mode (rows that move or vanish), sequences that swallow printable bytes
 * (intermediates no program sends), and the alternate screen, kept apart because full-screen
 * programs use it legitimately (the driver decides whether it counts). The raw-line fallback reads
 * the bytes of lines that touch such a place.
 */
import { type CsiParams, KNOWN_INTERMEDIATE } from './csi.ts';

const ALT_SCREEN_MODES = new Set([47, 1047, 1049]);
const ORIGIN_MODE = 6;
/** Events kept per chunk (a 16 KB chunk cannot hold more sequences than this anyway). */
const MAX_EVENTS = 8192;

/** One on/off condition over the stream, with where it changed in the current chunk. */
class Signal {
  on = false;
  private startOn = false;
  private flips: number[] = [];
  private lastBefore = -1;
  private lastInChunk = -1;
  private chunkStart = 0;

  beginChunk(start: number): void {
    this.lastBefore = this.on ? start : Math.max(this.lastBefore, this.lastInChunk);
    this.lastInChunk = -1;
    this.chunkStart = start;
    this.startOn = this.on;
    this.flips.length = 0;
  }

  set(offset: number, on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    if (this.flips.length < MAX_EVENTS) this.flips.push(offset);
    this.lastInChunk = offset;
  }

  touched(from: number, to: number): boolean {
    if (from < this.chunkStart && this.lastBefore >= from) return true;
    const start = Math.max(from, this.chunkStart);
    let on = this.startOn;
    for (const f of this.flips) {
      if (f > to) break;
      if (f >= start) return true;
      on = !on;
    }
    return on;
  }
}

/** Alternate-screen windows kept for queries (older ones are dropped first). */
const MAX_ALT_WINDOWS = 4096;

interface AltWindow {
  on: number;
  off: number;
  /** Which alternate-screen switch of the session opened it (0-based), matched with the emulator's. */
  index: number;
}

/** Whether the alternate-screen window `index` belongs to a full-screen program (decided downstream). */
export type AltTrust = (index: number) => boolean;

export class SuspectTracker {
  private alt = false;
  private origin = false;
  private region = false;
  private swallowing = false;
  private readonly modes = new Signal();
  private readonly altWindows: AltWindow[] = [];
  private altCount = 0;
  /** Offsets in this chunk of one-off suspicious sequences. */
  private points: number[] = [];
  private lastPointBefore = -1;
  private chunkStart = 0;

  /** Whether something hides text now (an alternate screen counts unless `trust` says otherwise). */
  now(trust: AltTrust): boolean {
    const open = this.altWindows.at(-1);
    return (
      this.modes.on || (open !== undefined && open.off === Number.POSITIVE_INFINITY && !trust(open.index))
    );
  }

  beginChunk(start: number): void {
    this.modes.beginChunk(start);
    if (this.points.length > 0) this.lastPointBefore = this.points[this.points.length - 1]!;
    this.points.length = 0;
    this.chunkStart = start;
  }

  /** Whether suspicion touches the absolute byte range [from, to] (`to` in this chunk). */
  touched(from: number, to: number, trust: AltTrust): boolean {
    if (from < this.chunkStart && this.lastPointBefore >= from) return true;
    for (const p of this.points) if (p >= from && p <= to) return true;
    if (this.modes.touched(from, to)) return true;
    // Queries move forward: windows closed before this one are done with.
    while (this.altWindows.length > 1 && this.altWindows[0]!.off < from) this.altWindows.shift();
    return this.altWindows.some((w) => w.on <= to && w.off >= from && !trust(w.index));
  }

  point(offset: number): void {
    // On the alternate screen the window itself decides (a program's own queries are its business).
    if (this.alt) return;
    if (this.points.length < MAX_EVENTS) this.points.push(offset);
    else this.modes.set(offset, true);
  }

  swallowedLine(offset: number): void {
    this.swallowing = true;
    this.update(offset);
  }

  stringEnded(offset: number): void {
    if (!this.swallowing) return;
    this.swallowing = false;
    this.update(offset);
  }

  /** RIS: every mode back to its default. */
  reset(offset: number): void {
    this.alt = this.origin = this.region = false;
    this.update(offset);
  }

  csi(csi: CsiParams, rows: number, offset: number): void {
    const final = csi.final;
    if (csi.intermediates !== '') {
      const name = csi.intermediates + String.fromCharCode(final);
      if (name === '!p') this.origin = this.region = false;
      else if (!KNOWN_INTERMEDIATE.has(name)) this.point(offset);
    } else if (csi.prefix === 0x3f && (final === 0x68 || final === 0x6c)) {
      const on = final === 0x68;
      for (let k = 0; k < csi.values.length; k++) {
        if (k > 0 && csi.subs[k - 1]) continue; // sub-parameters name no mode (as in xterm.js)
        const mode = csi.values[k]!;
        if (ALT_SCREEN_MODES.has(mode)) this.alt = on;
        else if (mode === ORIGIN_MODE) this.origin = on;
      }
    } else if (csi.prefix === 0 && final === 0x72) {
      // A full-screen program's region belongs to the alternate buffer (xterm.js keeps one per buffer).
      if (this.alt) return;
      const top = Math.max(1, csi.values[0] ?? 1);
      const bottom = (csi.values[1] ?? 0) <= 0 ? rows : csi.values[1]!;
      this.region = !(top <= 1 && bottom >= rows);
    } else return;
    this.update(offset);
  }

  private update(offset: number): void {
    this.modes.set(offset, (this.origin || this.region) && !this.alt ? true : this.swallowing);
    const open = this.altWindows.at(-1);
    const isOpen = open !== undefined && open.off === Number.POSITIVE_INFINITY;
    if (this.alt && !isOpen) {
      if (this.altWindows.length >= MAX_ALT_WINDOWS) this.altWindows.shift();
      this.altWindows.push({ on: offset, off: Number.POSITIVE_INFINITY, index: this.altCount++ });
    } else if (!this.alt && isOpen) open.off = offset;
  }
}
