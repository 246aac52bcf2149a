/**
 * The transcript's raw lines, for the places where the screen may not show them (sanitize/suspect.ts,
 * lines beyond the emulator's reach). Ordinary chunks cost two searches: where the last line feed
 * is, and the copy of the unfinished line's start. Only chunks that touch a suspect place are split
 * into lines and handed on, with whether each line touches it.
 */
import type { AltTrust, SuspectTracker } from '../sanitize/suspect.ts';

/**
 * Bytes kept of a line not yet finished: enough for a command of COMMAND_MAX_CHARS characters
 * with its prompt and escape sequences; a longer line's start is what identifies it.
 */
export const RAW_LINE_HEAD_BYTES = 192 * 1024;

/** Shown lines kept as anchors before a hidden one (the prompt line that precedes it is among them). */
const ANCHOR_LINES = 4;

export type RawLineSink = (bytes: Uint8Array, end: number, suspect: boolean) => void;

export class RawLines {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** Absolute offset where the unfinished line starts. */
  private lineStart = 0;

  /**
   * `sigils`: bytes one of which every line that can start with a learned prompt holds (each
   * prompt's last character), or null when that cannot be said (no prompt yet, a non-ASCII one).
   */
  constructor(
    private readonly sink: RawLineSink,
    private readonly sigils: () => number[] | null,
  ) {}

  /**
   * The chunk at absolute offset `start`, after the emulator has read it. `beyondReach`: a line
   * finished in it that the screen could not give back whole; `trust`: which alternate screens a
   * full-screen program opened (the others hide the shell's lines).
   */
  feed(
    chunk: Uint8Array,
    start: number,
    suspect: SuspectTracker,
    beyondReach: boolean,
    trust: AltTrust,
  ): void {
    const end = start + chunk.length;
    if (!beyondReach && !suspect.touched(this.lineStart, end, trust)) {
      const last = chunk.lastIndexOf(0x0a);
      if (last >= 0) {
        this.head = [];
        this.headBytes = 0;
        this.lineStart = start + last + 1;
        this.keep(chunk.subarray(last + 1));
      } else this.keep(chunk);
      return;
    }
    const firstLf = chunk.indexOf(0x0a);
    if (firstLf < 0) {
      this.keep(chunk);
      return;
    }
    // The line the previous chunks began.
    this.keep(chunk.subarray(0, firstLf));
    this.sink(
      this.take(),
      start + firstLf,
      beyondReach || suspect.touched(this.lineStart, start + firstLf, trust),
    );
    const lastLf = chunk.lastIndexOf(0x0a);
    // Lines the screen shows are read only as anchors (where the hidden ones go): the few just
    // before a hidden one, not every line of the chunk.
    const recent: Array<[number, number]> = [];
    const lineOf = (from: number, lf: number) => {
      if (!beyondReach && !suspect.touched(start + from, start + lf, trust)) {
        if (recent.push([from, lf]) > ANCHOR_LINES) recent.shift();
        return;
      }
      for (const [f, l] of recent.splice(0))
        this.sink(chunk.subarray(f, Math.min(l, f + RAW_LINE_HEAD_BYTES)), start + l, false);
      this.sink(chunk.subarray(from, Math.min(lf, from + RAW_LINE_HEAD_BYTES)), start + lf, true);
    };
    const sigils = this.sigils();
    if (sigils === null) {
      for (let from = firstLf + 1; from <= lastLf; ) {
        const lf = chunk.indexOf(0x0a, from);
        lineOf(from, lf);
        from = lf + 1;
      }
    } else {
      // Only lines holding a prompt's last character can start with a prompt: go from one such
      // byte to the next instead of visiting every line (a full-screen redraw has thousands).
      const next = sigils.map(() => -1);
      for (let pos = firstLf + 1; pos < lastLf; ) {
        let at = -1;
        for (let k = 0; k < sigils.length; k++) {
          if (next[k]! < pos && next[k] !== -2) next[k] = chunk.indexOf(sigils[k]!, pos);
          if (next[k] === -1) next[k] = -2; // none left in this chunk
          if (next[k]! >= 0 && (at < 0 || next[k]! < at)) at = next[k]!;
        }
        if (at < 0 || at > lastLf) break;
        const from = chunk.lastIndexOf(0x0a, at) + 1;
        const lf = chunk.indexOf(0x0a, at);
        lineOf(from, lf);
        pos = lf + 1;
      }
    }
    this.lineStart = start + lastLf + 1;
    this.keep(chunk.subarray(lastLf + 1));
  }

  /** End of the transcript: a last line without a line feed, when something hides it. */
  finish(end: number, suspect: SuspectTracker, trust: AltTrust): void {
    if (this.headBytes > 0 && suspect.now(trust)) this.sink(this.take(), end, true);
  }

  private keep(bytes: Uint8Array): void {
    const room = RAW_LINE_HEAD_BYTES - this.headBytes;
    if (room <= 0 || bytes.length === 0) return;
    const piece = bytes.slice(0, room);
    this.head.push(piece);
    this.headBytes += piece.length;
  }

  private take(): Uint8Array {
    const parts = this.head;
    this.head = [];
    this.headBytes = 0;
    if (parts.length === 1) return parts[0]!;
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    return joined;
  }
}
