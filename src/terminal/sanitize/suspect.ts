/**
 * Where the emulated screen may stop showing what the bytes hold, in absolute input offsets: a
 * line break inside a control string (the terminal swallows everything up to the terminator), the
 * alternate screen, a scroll region or origin mode (rows that move or vanish), and sequences that
 * swallow printable bytes (intermediates no program sends). The raw-line fallback reads the bytes
 * of lines that touch such a place.
 */
import { type CsiParams, KNOWN_INTERMEDIATE } from './csi.ts';

const ALT_SCREEN_MODES = new Set([47, 1047, 1049]);
const ORIGIN_MODE = 6;
/** Events kept per chunk (a chunk of 16 KB cannot hold more sequences than this anyway). */
const MAX_EVENTS = 8192;

export class SuspectTracker {
  private alt = false;
  private origin = false;
  private region = false;
  private swallowing = false;
  private active = false;
  private chunkStart = 0;
  private startActive = false;
  /** Offsets in this chunk where `active` toggled. */
  private flips: number[] = [];
  /** Offsets in this chunk of one-off suspicious sequences. */
  private points: number[] = [];
  /** Last offset before this chunk at which anything was suspicious (-1: never). */
  private lastBefore = -1;
  private lastInChunk = -1;

  /** Whether anything is suspicious now (the screen may be hiding what follows). */
  get now(): boolean {
    return this.active;
  }

  beginChunk(start: number): void {
    this.lastBefore = this.active ? start : Math.max(this.lastBefore, this.lastInChunk);
    this.lastInChunk = -1;
    this.chunkStart = start;
    this.startActive = this.active;
    this.flips.length = 0;
    this.points.length = 0;
  }

  /** Whether suspicion touches the absolute byte range [from, to] (`to` in this chunk). */
  touched(from: number, to: number): boolean {
    const start = Math.max(from, this.chunkStart);
    if (from < this.chunkStart && this.lastBefore >= from) return true;
    for (const p of this.points) if (p >= start && p <= to) return true;
    let active = this.startActive;
    for (const f of this.flips) {
      if (f > to) break;
      if (f >= start) return true;
      active = !active;
    }
    return active;
  }

  point(offset: number): void {
    if (this.points.length < MAX_EVENTS) this.points.push(offset);
    else this.set(offset, true); // too many to list: the rest of the chunk is suspect
    this.lastInChunk = offset;
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
      for (const mode of csi.values) {
        if (ALT_SCREEN_MODES.has(mode)) this.alt = on;
        else if (mode === ORIGIN_MODE) this.origin = on;
      }
    } else if (csi.prefix === 0 && final === 0x72) {
      const top = Math.max(1, csi.values[0] ?? 1);
      const bottom = (csi.values[1] ?? 0) <= 0 ? rows : csi.values[1]!;
      this.region = !(top <= 1 && bottom >= rows);
    } else return;
    this.update(offset);
  }

  private update(offset: number): void {
    this.set(offset, this.alt || this.origin || this.region || this.swallowing);
  }

  private set(offset: number, active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (this.flips.length < MAX_EVENTS) this.flips.push(offset);
    else this.points.push(offset);
    this.lastInChunk = offset;
  }
}
