/**
 * The command extractor: hooks into the emulator's parser and reads input lines back from the
 * rendered buffer at the moment the shell accepts them.
 *
 * How an input line is told apart from output that merely looks like one depends on the shell:
 * marker shells delimit their input themselves (regions.ts, markers.ts); plain shells are read
 * line by line against the prompts they were seen to print (plain-input.ts).
 */
import type { IBuffer, IBufferNamespace } from '@xterm/headless';
import { runsFullScreenProgram } from '../fallback/fullscreen.ts';
import {
  continuesBelow,
  coreBuffer,
  type Emulator,
  firstRowOf,
  isAlternate,
  joinRows,
  logicalStart,
  rowText,
  styleAt,
} from '../screen.ts';
import { MAX_COLS, MIN_COLS } from '../width/bounds.ts';
import { CommandLog } from './command-log.ts';
import type { Draft, Feed, Position } from './draft.ts';
import { FullScreenText } from './fullscreen-text.ts';
import { InterruptEcho, isSearchLine, MAX_SNAPSHOT_ROWS } from './interrupt.ts';
import { ShellMarkers } from './markers.ts';
import { PlainInput } from './plain-input.ts';
import { titleInfo } from './prompt.ts';
import { InputRegions } from './regions.ts';
import { ShellStack } from './shells.ts';

export type { Draft, Position } from './draft.ts';

/** Each resize reflows the whole buffer: a stream of them is an attack, not a user. */
const MAX_RESIZES = 64;
/** How far into a line a prompt can reach (learned prompts and shapes); see mayStartWithPrompt. */
const PROMPT_REACH = 240;
/**
 * Joining a longer logical line (a pasted blob, binary) at every line feed would cost more than it
 * can tell: its last row stands for it.
 */
const MAX_JOINED_ROWS = 100;
const MAX_TITLE_CHARS = 512;
const ALT_SCREEN_MODES = new Set([47, 1047, 1049]);
/** Alternate-screen switches remembered (past it, later switches count as untrusted). */
const MAX_ALT_SWITCHES = 100_000;

/** Whether CSI `?...h/l` parameters name an alternate-screen mode (main parameters only). */
function namesAltScreen(params: (number | number[])[]): boolean {
  return params.some((p) => ALT_SCREEN_MODES.has(Array.isArray(p) ? p[0]! : p));
}

export class CommandExtractor {
  private readonly feed: Feed;
  private readonly shells: ShellStack;
  private readonly log: CommandLog;
  private readonly regions: InputRegions;
  private readonly plain: PlainInput;
  private readonly interrupt = new InterruptEcho();
  /** What full-screen programs showed (an editor's file), told apart when a command prints it. */
  private readonly fullScreen = new FullScreenText();
  /** A plain-shell line read past its line feed (rows below it), not to be read again. */
  private readThrough: { start: number; last: number } | null = null;
  /** Row where the bell last rang (readline: an ambiguous Tab completion), -1 when none since. */
  private bellRow = -1;
  /** Cached: every `term.buffer` read goes through xterm's proposed-API check, per line feed. */
  private readonly buffers: IBufferNamespace;
  private resizes = 0;
  private promptsCache: { size: number; pending: string | null; prompts: string[] } | null = null;
  private altOn = false;
  private originMode = false;
  private scrollRegion = false;
  /** Per alternate-screen switch of the session: whether a full-screen program made it. */
  private readonly altTrust: boolean[] = [];

  constructor(
    private readonly term: Emulator,
    private cols: number,
    startUser: string | null,
    position: () => Position,
  ) {
    this.buffers = term.buffer;
    this.feed = { strippedForm: false, lineLossy: false, beyondReach: false, screenSuspect: false, position };
    this.shells = new ShellStack(startUser);
    this.log = new CommandLog(this.shells, this.feed);
    this.regions = new InputRegions(
      term,
      this.buffers,
      () => this.cols,
      this.shells,
      this.log,
      this.feed,
      (line) => this.interrupt.repair(line),
    );
    this.plain = new PlainInput(this.shells, this.log, this.feed);
    const markers = new ShellMarkers(this.buffers, this.shells, this.regions, this.log, this.feed, () =>
      this.plain.settle(),
    );
    const parser = term.parser;
    parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (params.includes(2004)) markers.bracketedPaste(true);
      if (params.includes(6)) this.setModes(true, this.scrollRegion);
      if (!this.altOn && namesAltScreen(params)) {
        // Counted exactly as the sanitizer counts them, so both sides number the same windows.
        this.altOn = true;
        if (this.altTrust.length < MAX_ALT_SWITCHES)
          this.altTrust.push(runsFullScreenProgram(this.lastInputText));
        this.fullScreen.open();
        this.setModes(this.originMode, this.scrollRegion);
      }
      return false;
    });
    parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (params.includes(2004)) markers.bracketedPaste(false);
      if (namesAltScreen(params) && this.altOn) {
        this.altOn = false;
        // Still the alternate buffer: custom handlers run before xterm's own.
        if (isAlternate(this.buffers) && this.altTrust.at(-1) === true)
          this.fullScreen.remember(this.buffers.active, term.rows, this.cols, this.lastInputText);
      }
      this.setModes(params.includes(6) ? false : this.originMode, this.scrollRegion);
      return false;
    });
    parser.registerCsiHandler({ final: 'r' }, (params) => {
      // A full-screen program's region belongs to the alternate buffer (xterm.js keeps one per buffer).
      if (this.altOn) return false;
      const top = Math.max(1, Number(params[0] ?? 1) || 1);
      const bottom = Number(params[1] ?? 0) || term.rows;
      this.setModes(this.originMode, !(top <= 1 && bottom >= term.rows));
      return false;
    });
    parser.registerCsiHandler({ intermediates: '!', final: 'p' }, () => {
      this.setModes(false, false);
      return false;
    });
    parser.registerEscHandler({ final: 'c' }, () => {
      this.altOn = false;
      this.setModes(false, false);
      return false;
    });
    parser.registerCsiHandler({ final: 'A' }, () => {
      this.regions.cursorUp();
      return false;
    });
    parser.registerOscHandler(133, (data) => {
      markers.shellIntegration(data);
      return true;
    });
    const onTitle = (data: string) => {
      this.log.title = titleInfo(data.slice(0, MAX_TITLE_CHARS));
      return false;
    };
    parser.registerOscHandler(0, onTitle);
    parser.registerOscHandler(2, onTitle);
    term.onLineFeed(() => this.onLineFeed());
    this.fullScreen.watch(term, () => this.altOn && this.altTrust.at(-1) === true);
    term.onBell(() => {
      const core = coreBuffer(term);
      this.bellRow = core.ybase + core.y;
    });
  }

  /** Commands past the per-session bound, counted but not kept. */
  get droppedCommands(): number {
    return this.log.dropped;
  }

  get drafts(): readonly Draft[] {
    return this.log.drafts;
  }

  /** Who types in the current shell (the effective user of a line entered now). */
  get currentUser(): string | null {
    return this.shells.current().user;
  }

  private setModes(origin: boolean, region: boolean): void {
    this.originMode = origin;
    this.scrollRegion = region;
    this.feed.screenSuspect = (origin || region) && !this.altOn;
  }

  /** Whether the session's alternate-screen switch `index` (0-based) came from a full-screen program. */
  altScreenTrusted(index: number): boolean {
    return this.altTrust[index] === true;
  }

  /** The last input line (a plain shell's line still waiting included): what runs now. */
  get lastInputText(): string | null {
    return this.plain.pendingText ?? this.log.last()?.text ?? null;
  }

  /**
   * Prompts learned so far, with that of a plain-shell input line still waiting (cached: the raw-line
   * fallback asks for every line it reads, and the set rarely changes).
   */
  get promptsSoFar(): readonly string[] {
    const pending = this.plain.pendingPrompt;
    const cache = this.promptsCache;
    if (cache && cache.size === this.shells.prompts.size && cache.pending === pending) return cache.prompts;
    const prompts = [...this.shells.prompts].filter((p) => p !== '>' && p !== '');
    if (pending && pending !== '>' && !prompts.includes(pending)) prompts.push(pending);
    this.promptsCache = { size: this.shells.prompts.size, pending, prompts };
    return prompts;
  }

  /** Every prompt learned in the session. */
  get prompts(): ReadonlySet<string> {
    return this.shells.prompts;
  }

  /** Redraws that make no sense at this width (width trials minimise it). */
  get violations(): number {
    return this.regions.violations;
  }

  /**
   * CloudWatch form: a full-screen program's screen, drawn apart (`screen`, its alternate buffer
   * active) because the stripped lines cannot go through the session's own emulator. Remembered as
   * if it had closed here.
   */
  rememberFullScreen(screen: Emulator): void {
    if (screen.buffer.active.type !== 'alternate') return;
    this.fullScreen.remember(screen.buffer.active, screen.rows, screen.cols, this.lastInputText);
  }

  /** A CloudWatch full-screen program's screen opens (see rememberFullScreen). */
  openFullScreen(): void {
    this.fullScreen.open();
  }

  /** Follows a CloudWatch full-screen scratch emulator's scrolling (see rememberFullScreen). */
  watchFullScreen(screen: Emulator): void {
    this.fullScreen.watch(screen, () => true);
  }

  /** A line since the last call went beyond what the screen gives back (see Feed.beyondReach). */
  takeBeyondReach(): boolean {
    const beyond = this.feed.beyondReach;
    this.feed.beyondReach = false;
    return beyond;
  }

  /** Set by the CloudWatch driver for the line being written: the agent's stripping hurt it. */
  set lineLossy(lossy: boolean) {
    this.feed.lineLossy = lossy;
  }

  /** CloudWatch form: escape sequences and `\r` were stripped by the agent. */
  set strippedForm(stripped: boolean) {
    this.feed.strippedForm = stripped;
  }

  /**
   * `ESC[8;rows;cols t` in the stream (`resize`, scripts): the terminal's size changed. The emulator
   * follows, a bounded number of times (each one reflows). Called by the byte driver between
   * writes, because xterm's parser does not hand window-manipulation sequences to hooks.
   */
  followResize(cols: number): void {
    if (cols < MIN_COLS || cols > MAX_COLS || cols === this.cols || this.resizes >= MAX_RESIZES) return;
    this.resizes++;
    this.cols = cols;
    this.term.resize(cols, this.term.rows);
  }

  /** The byte driver is about to draw a `^C` (the tty's Ctrl-C echo): remember the line under it. */
  beforeInterruptEcho(): void {
    if (isAlternate(this.buffers)) return;
    const buffer = this.buffers.active;
    const row = buffer.baseY + buffer.cursorY;
    const start = logicalStart(buffer, row, MAX_SNAPSHOT_ROWS);
    // Only a search line has the cursor inside its text (a cheap look at its first characters).
    if (
      row - start >= MAX_SNAPSHOT_ROWS ||
      !isSearchLine(buffer.getLine(start)?.translateToString(true, 0, 40) ?? '')
    )
      return;
    let last = row;
    while (last - start < MAX_SNAPSHOT_ROWS && continuesBelow(buffer, last, this.cols)) last++;
    this.interrupt.note(joinRows(buffer, start, last, this.cols));
  }

  /** End of the transcript: a plain-shell line still waiting is decided with what was seen. */
  finish(): void {
    this.plain.settle();
  }

  /** The line is a full-screen program's text printed again by the command now running (cat of a file). */
  private printsFullScreenText(line: string, buffer: IBuffer, start: number): boolean {
    const above = () =>
      start > 0 ? joinRows(buffer, logicalStart(buffer, start - 1), start - 1, this.cols) : '';
    return this.fullScreen.quotes(line, above, this.lastInputText, this.plain.pendingLine);
  }

  /** Every finished line outside an input region is output or, in a plain shell, maybe input. */
  private onLineFeed(): void {
    if (isAlternate(this.buffers)) return;
    if (this.regions.open) {
      this.regions.lineFeed();
      return;
    }
    const core = coreBuffer(this.term);
    const end = core.ybase + core.y - 1;
    if (end < 0) return;
    if (this.regions.endsInputRow(end)) return;
    const shell = this.shells.current();
    const plain = !shell.osc133 && shell.markers !== true;
    const log = this.log;
    const wantOutput = log.wantsOutput();
    if (!plain && !wantOutput && !log.lastEmpty) {
      log.skipOutput();
      return;
    }
    if (
      plain &&
      !wantOutput &&
      !this.plain.waiting &&
      !log.lastEmpty &&
      (log.outputSince > 2 || !this.feed.strippedForm)
    ) {
      // Most output lines of a plain shell: only a prompt at their start would matter, and the
      // first row is enough to rule that out without joining the whole logical line. (In the
      // stripped form the first lines after a command are read whole: a redraw that lost its `\r`
      // shows there as our prompt inside the line, see CommandLog.addOutput.)
      if (!this.shells.mayStartWithPrompt(firstRowOf(core, end, PROMPT_REACH))) {
        log.skipOutput();
        return;
      }
    }
    const buffer = this.buffers.active;
    const start = logicalStart(buffer, end);
    if (end - start > MAX_JOINED_ROWS || (start === 0 && buffer.getLine(0)?.isWrapped)) {
      // Beyond the screen's reach: its last row could start with anything, even a prompt. The
      // driver reads the line from the raw bytes instead (as uncertain). The stripped form has no
      // raw bytes to go back to: there the last row is still read, and marked lossy at best.
      this.feed.beyondReach = true;
      const row = rowText(buffer, end);
      if (this.feed.strippedForm) {
        const lossy = this.feed.lineLossy;
        this.feed.lineLossy = true;
        const taken = plain && this.plain.take(row);
        this.feed.lineLossy = lossy;
        if (taken) return;
      }
      if (this.plain.waiting) this.plain.output(row, false);
      else log.addOutput(row);
      return;
    }
    // Enter pressed with the cursor on an upper row of a wrapped input line (after an edit there):
    // the line goes on below the line feed. Read it whole, once.
    const read = this.readThrough;
    if (plain && read && read.start === start && end <= read.last) return;
    let last = end;
    if (plain) while (last - start < MAX_JOINED_ROWS && continuesBelow(buffer, last, this.cols)) last++;
    this.readThrough = last > end ? { start, last } : null;
    const line = this.interrupt.repair(joinRows(buffer, start, last, this.cols));
    const bell = this.bellRow >= start && this.bellRow <= last;
    this.bellRow = -1;
    if (plain && this.printsFullScreenText(line, buffer, start)) {
      this.readThrough = null;
      if (this.plain.waiting) this.plain.output(line, false);
      else log.addOutput(line);
      return;
    }
    if (plain && this.plain.take(line, (index) => styleAt(buffer, start, index, this.cols), bell)) return;
    this.readThrough = null;
    if (this.plain.waiting) this.plain.output(line);
    else log.addOutput(line);
  }
}
