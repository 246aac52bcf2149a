/**
 * The command extractor: hooks into the emulator's parser and reads input lines back from the
 * rendered buffer at the moment the shell accepts them.
 *
 * How an input line is told apart from output that merely looks like one:
 * - marker shells (bash >= 5.1 emits `ESC[?2004h` before every prompt and `ESC[?2004l` after the
 *   Enter; shell integration emits OSC 133 A/B/C/D): only text between those markers is input, so
 *   `printf '$ rm -rf /\n'` or `cat` of a prompt-filled file is output, however it looks;
 * - plain shells (dash, bash 4): a finished line is input when it starts with a prompt this shell
 *   was seen to print (learned at session start or right after a shell switch), and is not the
 *   literal echo of the previous command's own text.
 */
import type { IBufferNamespace, IMarker } from '@xterm/headless';
import {
  mayStartWithPrompt,
  needsContinuation,
  type PromptInfo,
  type PromptSplit,
  promptInfo,
  splitPrompt,
  startsWithLearned,
  titleInfo,
} from './prompt.ts';
import {
  coreBuffer,
  cursorRow,
  type Emulator,
  firstRowOf,
  isAlternate,
  joinRows,
  logicalStart,
  rowText,
} from './screen.ts';
import { COMMAND_MAX_CHARS, OUTPUT_MAX_CHARS, OUTPUT_MAX_LINES } from './types.ts';
import { isShellExit, shellSwitch } from './users.ts';

/** Where in the transcript the parser is: byte offset (S3/raw) and line timestamp (CloudWatch). */
export interface Position {
  offset: number;
  timestamp: number | null;
}

export interface Draft {
  text: string;
  user: string | null;
  executed: boolean;
  pos: Position;
  cwd: string | null;
  exitCode: number | null;
  lossy: boolean;
  output: string[];
  outputChars: number;
}

/** Where an OSC 133 shell is in its cycle: D (idle) -> A (prompt) -> B (input) -> C (running) -> D. */
type Phase = 'idle' | 'prompt' | 'input' | 'running';

interface Frame {
  user: string | null;
  /** true once the shell showed bracketed-paste markers; null while unknown. */
  markers: boolean | null;
  osc133: boolean;
  phase?: Phase;
  /** OSC 133 shell that also shows bracketed-paste mode: readline's `ESC[?2004h` precedes each A. */
  pasteMode?: boolean;
  armed?: boolean;
  /** The command whose exit status the next D carries. */
  awaiting?: Draft | null;
  prompts: string[];
  /** The user just changed PS1: the next prompt-shaped line is this shell's new prompt. */
  relearn?: boolean;
}

interface Region {
  marker: IMarker | undefined;
  x: number;
  lossy: boolean;
  promptEnd: { marker: IMarker | undefined; x: number } | null;
  lfPos: Position | null;
}

/** A plain-shell input line waiting for what follows it (see Pending). */
interface Pending {
  split: PromptSplit;
  line: string;
  pos: Position;
  lossy: boolean;
  output: string[];
  imitation: boolean;
}

const MAX_DEPTH = 32;
/** Lines after a pending input line before it is accepted without further evidence. */
const PENDING_MAX_LINES = 500;
const MAX_REGION_ROWS = 2000;
const MAX_LEARNED = 20;
const MIN_COLS = 20;
const MAX_COLS = 1000;
const MAX_RESIZES = 64;
/** How far into a line a prompt can reach (learned prompts and shapes); see mayStartWithPrompt. */
const PROMPT_REACH = 240;

export class CommandExtractor {
  readonly drafts: Draft[] = [];
  readonly prompts = new Set<string>();
  /** Set by the CloudWatch driver for the line being written: the agent's stripping hurt it. */
  lineLossy = false;
  /** CloudWatch form: escape sequences and `\r` were stripped by the agent. */
  strippedForm = false;
  /** Redraws that make no sense at this width (width trials minimise it). */
  violations = 0;
  private readonly frames: Frame[];
  private region: Region | null = null;
  private outputSince = 0;
  private title: PromptInfo | null = null;
  private lastEmpty = false;
  /** Row of the last input line: its own line feed (after Ctrl-C) is not output. */
  private inputRow = -1;
  /**
   * Plain shells only: an input line is held until the next one, because output imitating a
   * transcript (`cat` of a file of fake prompt lines) gives itself away by what follows it: lines
   * shaped like other shells' prompts that the command line itself does not contain.
   */
  private pending: Pending | null = null;
  /** Cached: every `term.buffer` read goes through xterm's proposed-API check, per line feed. */
  private readonly buffers: IBufferNamespace;
  private resizes = 0;

  constructor(
    private readonly term: Emulator,
    private cols: number,
    startUser: string | null,
    private readonly position: () => Position,
  ) {
    this.buffers = term.buffer;
    this.frames = [{ user: startUser, markers: null, osc133: false, prompts: [] }];
    const parser = term.parser;
    parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (params.includes(2004)) this.onBracketedPaste(true);
      return false;
    });
    parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (params.includes(2004)) this.onBracketedPaste(false);
      return false;
    });
    parser.registerCsiHandler({ final: 'A' }, () => {
      // Readline never moves above its prompt row; at a wrong width its row arithmetic does.
      const marker = this.region?.marker;
      if (marker && !marker.isDisposed && cursorRow(this.buffers.active) <= marker.line) this.violations++;
      return false;
    });
    parser.registerOscHandler(133, (data) => {
      this.onShellIntegration(data);
      return true;
    });
    const onTitle = (data: string) => {
      this.title = titleInfo(data.slice(0, 512));
      return false;
    };
    parser.registerOscHandler(0, onTitle);
    parser.registerOscHandler(2, onTitle);
    term.onLineFeed(() => this.onLineFeed());
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

  private frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private onBracketedPaste(on: boolean): void {
    // In the stripped form markers survive only in some lines: relying on them would lose the rest.
    if (this.strippedForm || isAlternate(this.buffers)) return;
    const frame = this.frame();
    if (frame.osc133) {
      if (on) frame.pasteMode = frame.armed = true;
      return;
    }
    if (on) {
      frame.markers = true;
      this.beginRegion();
    } else if (this.region) this.endRegion();
  }

  /**
   * OSC 133 marks, accepted only in cycle order: marks printed by a command's output (between C and
   * the shell's own D) are ignored, and when the shell shows bracketed-paste mode a prompt start
   * must follow readline's `ESC[?2004h`. A program can still forge a whole cycle in-band; these
   * checks stop the cheap forgeries (`printf` of A/B/C marks), as the prompt rules do for plain text.
   */
  private onShellIntegration(data: string): void {
    const frame = this.frame();
    if (!frame.osc133) {
      frame.osc133 = true;
      frame.phase = 'idle';
    }
    const kind = data[0];
    // D still closes the cycle on the alternate screen (a program that died without leaving it).
    if (kind !== 'D' && isAlternate(this.buffers)) return;
    if (kind === 'A') {
      if (frame.phase !== 'idle' || (frame.pasteMode && !frame.armed)) return;
      this.beginRegion();
      frame.phase = 'prompt';
    } else if (kind === 'B') {
      if (frame.phase !== 'prompt' || !this.region) return;
      this.region.promptEnd = { marker: this.term.registerMarker(0), x: this.buffers.active.cursorX };
      frame.phase = 'input';
    } else if (kind === 'C') {
      if (frame.phase !== 'input' || !this.region) return;
      const before = this.drafts.length;
      this.endRegion(false);
      frame.awaiting = this.drafts.length > before ? this.drafts.at(-1)! : null;
      frame.phase = 'running';
    } else if (kind === 'D') {
      if (frame.phase === 'running' && frame.awaiting?.executed) {
        const code = Number.parseInt(data.split(';')[1] ?? '', 10);
        if (Number.isFinite(code)) frame.awaiting.exitCode = code;
      } else if (frame.phase === 'input' && this.region && !isAlternate(this.buffers)) {
        this.endRegion(true); // no C: the line never ran (Ctrl-C)
      } else this.disposeRegion();
      frame.awaiting = null;
      frame.phase = 'idle';
      frame.armed = false;
    }
  }

  private beginRegion(): void {
    this.settlePending();
    this.disposeRegion();
    this.region = {
      marker: this.term.registerMarker(0),
      x: this.buffers.active.cursorX,
      lossy: this.lineLossy,
      promptEnd: null,
      lfPos: null,
    };
  }

  private disposeRegion(): void {
    this.region?.marker?.dispose();
    this.region?.promptEnd?.marker?.dispose();
    this.region = null;
  }

  /** Readline returned the line (or OSC 133;C): read what the screen shows from the prompt on. */
  private endRegion(aborted = false): void {
    const region = this.region!;
    const buffer = this.buffers.active;
    const current = cursorRow(buffer);
    const x = buffer.cursorX;
    const live = region.marker && !region.marker.isDisposed;
    let startRow = live ? region.marker!.line : Math.max(0, current - MAX_REGION_ROWS);
    const startX = live ? region.x : 0;
    const promptEnd = region.promptEnd;
    const peRow = promptEnd?.marker && !promptEnd.marker.isDisposed ? promptEnd.marker.line : -1;
    this.disposeRegion();
    if (startRow === current && startX === x) return; // an empty readline cycle (after Ctrl-C)
    const lastRow = x === 0 && current > startRow ? current - 1 : current;
    this.inputRow = lastRow === current ? current : -1;
    startRow = Math.max(startRow, lastRow - MAX_REGION_ROWS);
    const pos = region.lfPos ?? this.position();
    const lossy = region.lossy || this.lineLossy;
    if (peRow >= startRow && promptEnd) {
      const prompt = (buffer.getLine(peRow)?.translateToString(true, 0, promptEnd.x) ?? '').trimEnd();
      const text = stripContinuationPrompts(joinRows(buffer, peRow, lastRow, this.cols, promptEnd.x));
      this.commit({ prompt, text }, pos, lossy, true, aborted);
      return;
    }
    const lines = joinRows(buffer, startRow, lastRow, this.cols, startX).split('\n');
    this.commit(this.anchor(lines), pos, lossy, true, aborted);
  }

  /** The input starts at the last line that begins with this region's prompt (Tab listings redraw it). */
  private anchor(lines: string[]): PromptSplit {
    const learned = this.frame().prompts;
    const first = splitPrompt(lines[0]!, learned);
    if (first && first.prompt.length >= 2) this.violations += lines.join('\n').split(first.prompt).length - 2;
    let k = -1;
    if (first?.prompt) {
      for (let i = lines.length - 1; i >= 0; i--) {
        if (lines[i]!.startsWith(first.prompt)) {
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

  private onLineFeed(): void {
    if (isAlternate(this.buffers)) return;
    if (this.region) {
      this.region.lfPos = this.position();
      if (this.lineLossy) this.region.lossy = true;
      return;
    }
    const core = coreBuffer(this.term);
    const end = core.ybase + core.y - 1;
    if (end < 0) return;
    if (end === this.inputRow) {
      this.inputRow = -1;
      return;
    }
    const frame = this.frame();
    const plain = !frame.osc133 && frame.markers !== true;
    const last = this.drafts.at(-1);
    const wantOutput =
      last !== undefined && last.output.length < OUTPUT_MAX_LINES && last.outputChars < OUTPUT_MAX_CHARS;
    if (!plain && !wantOutput && !this.lastEmpty) {
      this.outputSince++;
      return;
    }
    if (
      plain &&
      !wantOutput &&
      !this.pending &&
      !this.lastEmpty &&
      (this.outputSince > 2 || !this.strippedForm)
    ) {
      // Most output lines of a plain shell: only a prompt at their start would matter, and the
      // first row is enough to rule that out without joining the whole logical line.
      if (!this.mayBeInput(firstRowOf(core, end, PROMPT_REACH))) {
        this.outputSince++;
        return;
      }
    }
    const buffer = this.buffers.active;
    const start = logicalStart(buffer, end);
    const line = end - start > 100 ? rowText(buffer, end) : joinRows(buffer, start, end, this.cols);
    if (plain && this.tryPlainInput(line)) return;
    if (this.pending) this.pendingOutput(this.pending, line);
    else this.addOutput(line);
  }

  /** Whether a plain-shell line could start with any prompt (this shell's, a parent's, a shape). */
  private mayBeInput(firstRow: string): boolean {
    if (mayStartWithPrompt(firstRow, this.frame().prompts)) return true;
    for (let i = this.frames.length - 2; i >= 0; i--) {
      if (mayStartWithPrompt(firstRow, this.frames[i]!.prompts)) return true;
    }
    return false;
  }

  private tryPlainInput(line: string): boolean {
    const frame = this.frame();
    const pending = this.pending;
    if (/^> ?/.test(line)) {
      const rest = line.replace(/^> ?/, '');
      if (pending && pending.output.length === 0 && needsContinuation(pending.split.text)) {
        pending.split = { prompt: pending.split.prompt, text: `${pending.split.text}\n${rest}` };
        pending.line += `\n${line}`;
        return true;
      }
      const last = this.drafts.at(-1);
      if (!pending && last && this.outputSince === 0 && last.executed && needsContinuation(last.text)) {
        this.commit({ prompt: '>', text: rest }, this.position(), this.lineLossy, false);
        return true;
      }
    }
    // Output that quotes the previous command's own text (`printf '$ rm -rf /\n'`) is not input.
    const previousText = pending ? pending.split.text : this.drafts.at(-1)?.text;
    const whole = line.trim();
    if (previousText !== undefined && whole.length > 2 && previousText.includes(whole)) return false;
    let split = startsWithLearned(line, frame.prompts);
    // A PS1 change shows at the very next prompt: if that one is already known, nothing to learn
    // (left armed, a later line shaped like any prompt would be taken as this shell's prompt).
    if (split) frame.relearn = false;
    if (!split) {
      const shaped = splitPrompt(line);
      if (!shaped || shaped.prompt === '>') return false;
      const info = promptInfo(shaped.prompt);
      const sameShell = frame.prompts.some((p) => {
        const known = promptInfo(p);
        return known.user !== null && known.user === info.user && known.host === info.host;
      });
      const parent = this.parentWithPrompt(line);
      if (parent >= 0) {
        this.settlePending();
        this.frames.length = parent + 1;
        split = startsWithLearned(line, this.frame().prompts);
      } else if (frame.prompts.length === 0 || sameShell || frame.relearn) split = shaped;
      frame.relearn = false;
      if (!split) return false;
    }
    this.settlePending();
    const next: Pending = {
      split,
      line,
      pos: this.position(),
      lossy: this.lineLossy,
      output: [],
      imitation: false,
    };
    const switches = isShellExit(split.text) || shellSwitch(split.text) !== null;
    if (switches || /\^C\s*$/.test(split.text)) this.accept(next);
    else this.pending = next;
    return true;
  }

  /** Ends the wait on the pending input line: a command, or output of the command before it. */
  settlePending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (!pending.imitation) {
      this.accept(pending);
      return;
    }
    this.addOutput(pending.line);
    for (const line of pending.output) this.addOutput(line);
  }

  private accept(pending: Pending): void {
    this.commit(pending.split, pending.pos, pending.lossy, false);
    for (const line of pending.output) this.addOutput(line);
  }

  /** Output after a pending line: another shell's prompt it does not itself contain is evidence. */
  private pendingOutput(pending: Pending, line: string): void {
    if (this.hasInnerPrompt(line)) pending.lossy = true;
    const shaped = splitPrompt(line);
    // A prompt is followed by a space before the typed text: `%Cpu(s):` in top's header is not one.
    if (
      shaped &&
      shaped.prompt !== '>' &&
      line[shaped.prompt.length] === ' ' &&
      shaped.text.trim() !== '' &&
      !pending.line.includes(line.trim()) &&
      // `printf '\033]133;A\007$ \033]133;B\007rm -rf /\n'`: the command spells its output's text.
      !pending.line.includes(shaped.text.trim())
    ) {
      pending.imitation = true;
    }
    pending.output.push(line);
    if (pending.output.length >= PENDING_MAX_LINES && !pending.imitation) this.settlePending();
  }

  /** A prompt of an enclosing shell: the nested one ended without an `exit` we saw. */
  private parentWithPrompt(line: string): number {
    for (let i = this.frames.length - 2; i >= 0; i--) {
      if (startsWithLearned(line, this.frames[i]!.prompts)) return i;
    }
    return -1;
  }

  /** Our own prompt in the middle of a line: a redraw whose `\r` and cursor moves were stripped. */
  private hasInnerPrompt(line: string): boolean {
    if (!this.strippedForm) return false;
    return this.frame().prompts.some((p) => p.length >= 2 && line.indexOf(p, 1) > 0);
  }

  private addOutput(line: string): void {
    this.outputSince++;
    if (this.outputSince <= 2 && this.hasInnerPrompt(line)) {
      const last = this.drafts.at(-1);
      if (last) last.lossy = true;
    }
    if (this.lastEmpty) {
      this.lastEmpty = false;
      // Ctrl-D on an empty line: bash prints `exit`/`logout` and the shell ends.
      if (/^(?:exit|logout)$/.test(line.trim()) && this.frames.length > 1) this.frames.pop();
    }
    const last = this.drafts.at(-1);
    if (!last || last.output.length >= OUTPUT_MAX_LINES || last.outputChars >= OUTPUT_MAX_CHARS) return;
    const piece = line.slice(0, OUTPUT_MAX_CHARS - last.outputChars);
    last.output.push(piece);
    last.outputChars += piece.length + 1;
  }

  private commit(split: PromptSplit, pos: Position, lossy: boolean, marked: boolean, notRun = false): void {
    let text = split.text;
    const aborted = notRun || /\^C\s*$/.test(text);
    if (aborted) text = text.replace(/\^C\s*$/, '');
    text = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
    if (text.length > COMMAND_MAX_CHARS) text = text.slice(0, COMMAND_MAX_CHARS);
    const prompt = split.prompt;
    if (prompt === '>' && this.continues(marked)) {
      const last = this.drafts.at(-1)!;
      if (last.text.length + text.length < COMMAND_MAX_CHARS) last.text += `\n${text}`;
      if (aborted) last.executed = false;
      if (lossy) last.lossy = true;
      return;
    }
    const info = promptInfo(prompt);
    this.followPromptUser(info);
    if (prompt && prompt !== '>') this.learn(this.frame(), prompt);
    const title = this.title;
    this.title = null;
    if (text.trim() === '') {
      this.lastEmpty = !aborted;
      this.outputSince = 0;
      return;
    }
    const current = this.frame();
    const draft: Draft = {
      text,
      user: current.user,
      executed: !aborted,
      pos,
      cwd: info.cwd ?? title?.cwd ?? null,
      exitCode: null,
      lossy,
      output: [],
      outputChars: 0,
    };
    this.drafts.push(draft);
    this.outputSince = 0;
    this.lastEmpty = false;
    if (!draft.executed) return;
    if (/(?:^|[\s;])(?:export\s+)?PS1=|^\s*(?:source|\.)\s/.test(text)) current.relearn = true;
    if (isShellExit(text)) {
      if (this.frames.length > 1) this.frames.pop();
      return;
    }
    const next = shellSwitch(text);
    if (next && this.frames.length < MAX_DEPTH) {
      this.frames.push({ user: next.user ?? current.user, markers: null, osc133: false, prompts: [] });
    }
  }

  private continues(marked: boolean): boolean {
    const last = this.drafts.at(-1);
    if (!last?.executed || this.outputSince !== 0) return false;
    return marked || needsContinuation(last.text);
  }

  private learn(frame: Frame, prompt: string): void {
    if (this.prompts.size < 50) this.prompts.add(prompt);
    if (!frame.prompts.includes(prompt) && frame.prompts.length < MAX_LEARNED) frame.prompts.push(prompt);
  }

  /** The prompt names the user (`user@host`) or shows root's `#`: that is who types now. */
  private followPromptUser(info: PromptInfo): void {
    const user = info.user ?? (info.root ? 'root' : null);
    if (user === null) return;
    const frame = this.frame();
    if (frame.user === user) return;
    // A shell switch that never happened (`su` refused): the enclosing shell's prompt comes back.
    for (let i = this.frames.length - 2; i >= 0 && frame.prompts.length === 0; i--) {
      if (this.frames[i]!.user === user && info.user !== null) {
        this.frames.length = i + 1;
        return;
      }
    }
    frame.user = user;
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
