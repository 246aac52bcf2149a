/**
 * Input regions of marker shells: bash >= 5.1 shows `ESC[?2004h` before every prompt and
 * `ESC[?2004l` after the Enter; shell integration shows OSC 133 A/B/C. Only text between those
 * markers is input, so `printf '$ rm -rf /\n'` or `cat` of a prompt-filled file is output however
 * it looks. When the region ends, the input is read back from the rendered screen, where every
 * edit, redraw and wrap has already been applied.
 */
import type { IBufferNamespace, IMarker } from '@xterm/headless';
import { continuesBelow, cursorRow, type Emulator, joinRows } from '../screen.ts';
import type { CommandLog } from './command-log.ts';
import { splitCommands } from './continuation.ts';
import type { Feed, Position } from './draft.ts';
import { isSearchLine } from './interrupt.ts';
import { type PromptSplit, splitPrompt, startsWithPrompt } from './prompt.ts';
import type { ShellStack } from './shells.ts';

interface Region {
  marker: IMarker | undefined;
  x: number;
  lossy: boolean;
  /** OSC 133 B: where the prompt ends and the input begins, exactly. */
  promptEnd: { marker: IMarker | undefined; x: number } | null;
  /** The last line feed inside the region: the Enter, the time the command was accepted. */
  lfPos: Position | null;
}

/** A region whose start scrolled away is read from at most this many rows back. */
const MAX_REGION_ROWS = 2000;

export class InputRegions {
  /** Redraws that make no sense at this width (width trials minimise it). */
  violations = 0;
  /** Row of the last input line: its own line feed (after Ctrl-C) is not output. */
  private inputRow = -1;
  private region: Region | null = null;

  constructor(
    private readonly term: Emulator,
    private readonly buffers: IBufferNamespace,
    private readonly cols: () => number,
    private readonly shells: ShellStack,
    private readonly log: CommandLog,
    private readonly feed: Feed,
    /** A line whose `^C` echo overwrote part of it, as it was before (interrupt.ts). */
    private readonly unInterrupt: (line: string) => string = (line) => line,
  ) {}

  get open(): boolean {
    return this.region !== null;
  }

  begin(): void {
    this.dispose();
    this.region = {
      marker: this.term.registerMarker(0),
      x: this.buffers.active.cursorX,
      lossy: this.feed.lineLossy,
      promptEnd: null,
      lfPos: null,
    };
  }

  /** Whether this line feed ends the input line just read (it is not output); once per line. */
  endsInputRow(row: number): boolean {
    if (row !== this.inputRow) return false;
    this.inputRow = -1;
    return true;
  }

  /** OSC 133 B: the prompt ends at the cursor. */
  markPromptEnd(): void {
    if (this.region)
      this.region.promptEnd = { marker: this.term.registerMarker(0), x: this.buffers.active.cursorX };
  }

  dispose(): void {
    this.region?.marker?.dispose();
    this.region?.promptEnd?.marker?.dispose();
    this.region = null;
  }

  /** A line feed inside the region: the latest is the Enter that ends the input. */
  lineFeed(): void {
    const region = this.region!;
    region.lfPos = this.feed.position();
    if (this.feed.lineLossy) region.lossy = true;
  }

  /** Readline never moves above its prompt row; at a wrong width its row arithmetic does. */
  cursorUp(): void {
    const marker = this.region?.marker;
    if (marker && !marker.isDisposed && cursorRow(this.buffers.active) <= marker.line) this.violations++;
  }

  /**
   * Readline returned the line (or OSC 133;C): read what the screen shows from the prompt on.
   * `ran`: what OSC 133 says (C: ran, D without C: did not); null for readline's own markers,
   * where an Enter (the cursor on a fresh row) says it ran and a `^C` without one that it did not.
   */
  end(ran: boolean | null = null): void {
    const region = this.region!;
    const buffer = this.buffers.active;
    const cols = this.cols();
    const current = cursorRow(buffer);
    const x = buffer.cursorX;
    const live = region.marker && !region.marker.isDisposed;
    let startRow = live ? region.marker!.line : Math.max(0, current - MAX_REGION_ROWS);
    const startX = live ? region.x : 0;
    const promptEnd = region.promptEnd;
    const peRow = promptEnd?.marker && !promptEnd.marker.isDisposed ? promptEnd.marker.line : -1;
    this.dispose();
    if (startRow === current && startX === x) return; // an empty readline cycle (after Ctrl-C)
    let lastRow = x === 0 && current > startRow ? current - 1 : current;
    // The cursor on an upper row of a wrapped line (Ctrl-C in a search, Enter after an edit there):
    // the rows below it are the rest of the line.
    while (lastRow < current && lastRow - startRow < MAX_REGION_ROWS && continuesBelow(buffer, lastRow, cols))
      lastRow++;
    this.inputRow = lastRow === current ? current : -1;
    if (!live || lastRow - startRow > MAX_REGION_ROWS) {
      // The line's start is gone from the screen: what is left would be a wrong command.
      this.feed.beyondReach = true;
      return;
    }
    startRow = Math.max(startRow, lastRow - MAX_REGION_ROWS);
    const entered = region.lfPos !== null && x === 0 && current > startRow;
    const decided = ran ?? (entered ? true : null);
    const pos = region.lfPos ?? this.feed.position();
    const lossy = region.lossy || this.feed.lineLossy;
    if (peRow >= startRow && promptEnd) {
      const prompt = (buffer.getLine(peRow)?.translateToString(true, 0, promptEnd.x) ?? '').trimEnd();
      const raw = joinRows(buffer, peRow, lastRow, cols, promptEnd.x);
      const text = stripContinuationPrompts(raw);
      if (text !== raw) this.log.commit({ prompt, text }, pos, lossy, true, decided);
      else this.commitBlock({ prompt, text }, pos, lossy, decided);
      return;
    }
    const lines = joinRows(buffer, startRow, lastRow, cols, startX).split('\n');
    const last = this.unInterrupt(lines.pop()!);
    lines.push(last);
    // Ctrl-C in a reverse search: the line feeds were the search's own rows, not an Enter.
    const searchAborted = isSearchLine(last) && /\^C\s*$/.test(last);
    this.commitBlock(this.anchor(lines), pos, lossy, searchAborted ? null : decided);
  }

  /**
   * One readline line can hold several lines (a multi-line paste, then Enter): the shell runs
   * them one after another, each a command of its own (continuation.ts splitCommands).
   */
  private commitBlock(split: PromptSplit, pos: Position, lossy: boolean, decided: boolean | null): void {
    const pieces = splitCommands(split.text);
    for (let i = 0; i < pieces.length; i++)
      this.log.commit({ prompt: i === 0 ? split.prompt : '', text: pieces[i]! }, pos, lossy, true, decided);
  }

  /** The input starts at the last line that begins with this region's prompt (Tab listings redraw it). */
  private anchor(lines: string[]): PromptSplit {
    const learned = this.shells.current().prompts;
    const first = splitPrompt(lines[0]!, learned);
    if (first && first.prompt.length >= 2) this.violations += lines.join('\n').split(first.prompt).length - 2;
    let k = -1;
    if (first?.prompt) {
      for (let i = lines.length - 1; i >= 0; i--) {
        if (startsWithPrompt(lines[i]!, first.prompt)) {
          k = i;
          break;
        }
      }
    } else if (first) k = 0;
    if (k < 0) {
      for (let i = lines.length - 1; i >= 0; i--) {
        if (splitPrompt(lines[i]!, learned)) {
          k = i;
          break;
        }
      }
    }
    if (k < 0) return { prompt: '', text: lines.join('\n') };
    const split = splitPrompt(lines[k]!, learned)!;
    return { prompt: split.prompt, text: [split.text, ...lines.slice(k + 1)].join('\n') };
  }
}

/**
 * Between OSC 133 B and C a multi-line command shows the continuation prompt (PS2, `> ` by
 * default) at the start of every further line; it is not part of what the shell received.
 */
function stripContinuationPrompts(text: string): string {
  const lines = text.split('\n');
  if (lines.length < 2 || !lines.slice(1).every((l) => l.startsWith('>'))) return text;
  return [lines[0]!, ...lines.slice(1).map((l) => l.replace(/^> ?/, ''))].join('\n');
}
