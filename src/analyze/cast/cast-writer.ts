/**
 * Turns terminal output into asciicast v3 event lines, line by line: output is coalesced into
 * blocks, the line a command was entered on is "typed", and that command's marker follows it. Two
 * clocks: `timed` pieces carry their own time (CloudWatch events, about 1 s); `synthetic` pieces do
 * not (S3 objects) and are paced plausibly, optionally pulled forward to the commands' known times.
 * Memory is bounded by LINE_CAP + BLOCK_CAP whatever the input: a 1 MB line is passed on in pieces.
 */
import { type CastCommand, type CommandQueue, firstLine } from './command-queue.ts';
import { VisibleLine } from './visible-line.ts';

/** A line longer than this is output, never a command line: it is passed on without being read. */
const LINE_CAP = 16 * 1024;
/** Output held before it is written as one event. */
const BLOCK_CAP = 32 * 1024;

/** Synthetic pacing, in milliseconds: a person reads, thinks, types; a machine prints. */
const PACE = {
  promptToTyping: 900,
  keystroke: 70,
  maxTypingPieces: 24,
  enter: 250,
  firstOutput: 150,
  outputBlock: 20,
  perOutputLine: 4,
  maxOutputBlock: 400,
};

export type Clock = 'synthetic' | 'timed';

export class CastWriter {
  private clockMs = 0;
  private emittedMs = 0;
  private block = '';
  private line = '';
  private lineTooLong = false;
  private afterCommand = false;
  private readonly visible = new VisibleLine();

  /**
   * @param originMs the session's start (ms): command times and timed pieces are placed from it;
   *   null when unknown (timed pieces then start at the first one).
   */
  constructor(
    private readonly queue: CommandQueue,
    private readonly clock: Clock,
    private originMs: number | null,
  ) {}

  /** Event lines for one piece of filtered output; `atMs` is the piece's time in timed mode. */
  async write(text: string, atMs?: number): Promise<string[]> {
    const out: string[] = [];
    if (this.clock === 'timed' && atMs != null) {
      this.originMs ??= atMs;
      this.clockMs = Math.max(this.clockMs, atMs - this.originMs);
    }
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      this.appendToLine(newline < 0 ? text.slice(from) : text.slice(from, newline), out);
      if (newline < 0) return out;
      // Awaited once per page of commands, not once per line: a 100 MB transcript has millions.
      if (!this.queue.ready()) await this.queue.fillWindow();
      this.endLine(out);
      from = newline + 1;
    }
  }

  /** The rest of the output, then a marker for every command no line matched. */
  async finish(): Promise<string[]> {
    const out: string[] = [];
    this.block += this.line;
    this.line = '';
    this.flushBlock(out);
    for await (const command of this.queue.rest()) out.push(this.event('m', command.text));
    return out;
  }

  private appendToLine(piece: string, out: string[]): void {
    if (piece === '') return;
    if (!this.lineTooLong && this.line.length + piece.length <= LINE_CAP) {
      this.visible.feed(piece);
      this.line += piece;
      return;
    }
    this.lineTooLong = true;
    this.block += this.line + piece;
    this.line = '';
    if (this.block.length >= BLOCK_CAP) this.flushBlock(out);
  }

  private endLine(out: string[]): void {
    const matched = this.lineTooLong ? [] : this.queue.matchLine(this.visible.text());
    this.visible.reset();
    this.lineTooLong = false;
    const raw = this.line;
    this.line = '';
    if (matched.length === 0) {
      this.block += `${raw}\n`;
      if (this.block.length >= BLOCK_CAP) this.flushBlock(out);
      return;
    }
    this.flushBlock(out);
    this.typeLine(raw, matched.at(-1)!, out);
    for (const command of matched) out.push(this.event('m', command.text));
    if (this.clock === 'synthetic') this.clockMs += PACE.enter;
    this.block = '\n';
    this.afterCommand = true;
  }

  /** The prompt line: the prompt, then the command as typed (synthetic), then what follows it. */
  private typeLine(raw: string, command: CastCommand, out: string[]): void {
    const head = firstLine(command.text);
    const at = raw.lastIndexOf(head);
    if (this.clock === 'timed' || at < 0) {
      if (this.clock === 'synthetic') this.clockMs += PACE.promptToTyping;
      this.anchor(command, 0);
      out.push(this.event('o', raw));
      return;
    }
    const prompt = raw.slice(0, at);
    if (prompt !== '') out.push(this.event('o', prompt));
    const pieces = Math.min(PACE.maxTypingPieces, head.length);
    const size = Math.ceil(head.length / pieces);
    this.clockMs += PACE.promptToTyping;
    this.anchor(command, pieces * PACE.keystroke);
    for (let i = 0; i < head.length; i += size) {
      out.push(this.event('o', head.slice(i, i + size)));
      this.clockMs += PACE.keystroke;
    }
    const tail = raw.slice(at + head.length);
    if (tail !== '') out.push(this.event('o', tail));
  }

  /** Pulls a synthetic clock forward so the command's marker lands near its recorded time. */
  private anchor(command: CastCommand, typingMs: number): void {
    if (this.clock !== 'synthetic' || command.at == null || this.originMs == null) return;
    if (command.atPrecision !== 'second' && command.atPrecision !== 'exact') return;
    this.clockMs = Math.max(this.clockMs, command.at - this.originMs - typingMs);
  }

  private flushBlock(out: string[]): void {
    if (this.block === '') return;
    if (this.clock === 'synthetic') {
      const lines = countNewlines(this.block);
      this.clockMs +=
        (this.afterCommand ? PACE.firstOutput : PACE.outputBlock) +
        Math.min(PACE.maxOutputBlock, lines * PACE.perOutputLine);
    }
    this.afterCommand = false;
    out.push(this.event('o', this.block));
    this.block = '';
  }

  /** One event line; intervals are whole milliseconds since the previous event. */
  private event(code: 'o' | 'm', data: string): string {
    const interval = Math.max(0, Math.round(this.clockMs - this.emittedMs));
    this.emittedMs += interval;
    return `${JSON.stringify([interval / 1000, code, data])}\n`;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
