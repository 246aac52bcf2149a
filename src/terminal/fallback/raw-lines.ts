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

export type RawLineSink = (bytes: Uint8Array, end: number, suspect: boolean) => void;

export class RawLines {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** Absolute offset where the unfinished line starts. */
  private lineStart = 0;

  constructor(private readonly sink: RawLineSink) {}

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
    let from = 0;
    for (let lf = chunk.indexOf(0x0a); lf >= 0; lf = chunk.indexOf(0x0a, from)) {
      const lineEnd = start + lf;
      let line: Uint8Array;
      if (this.headBytes === 0) line = chunk.subarray(from, Math.min(lf, from + RAW_LINE_HEAD_BYTES));
      else {
        this.keep(chunk.subarray(from, lf));
        line = this.take();
      }
      this.sink(line, lineEnd, beyondReach || suspect.touched(this.lineStart, lineEnd, trust));
      from = lf + 1;
      this.lineStart = start + from;
    }
    this.keep(chunk.subarray(from));
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
