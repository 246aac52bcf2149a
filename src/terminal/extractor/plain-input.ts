/**
 * Input lines of plain shells (dash, bash 4, `sh`), which mark nothing: a finished line is input
 * when it starts with a prompt this shell was seen to print (learned at session start or right
 * after a shell switch), and is not the literal echo of the previous command's own text.
 *
 * Such a line is held until what follows it is seen, because output imitating a transcript (`cat`
 * of a file of fake prompt lines) gives itself away there: lines shaped like other shells' prompts
 * that the command line itself does not contain.
 */
import { ABORTED, type CommandLog, changesPrompt } from './command-log.ts';
import { needsContinuation, splitCommands } from './continuation.ts';
import type { Feed, Position } from './draft.ts';
import { printsOnlyItsText } from './literal-print.ts';
import { pasteBlock } from './paste-redraw.ts';
import { abortedSearch, type PromptSplit, promptInfo, splitPrompt, startsWithLearned } from './prompt.ts';
import type { ShellStack } from './shells.ts';
import { afterSpelledOutput, spells } from './spelled.ts';
import { isShellExit, shellSwitch } from './users.ts';

/** A plain-shell input line waiting for what follows it. */
interface Pending {
  split: PromptSplit;
  line: string;
  pos: Position;
  lossy: boolean;
  output: string[];
  /** What followed shows the line was output imitating a transcript. */
  imitation: boolean;
  /** The screen was not to be trusted when the line was read (Feed.screenSuspect). */
  suspect: boolean;
  /** Style of the prompt's first cell (screen.ts styleAt). */
  style: number;
  /** The prompt showed the colours this shell's prompt was seen with: no imitation judgement. */
  verified: boolean;
  /** Stripped form: the lines of a multi-line paste, recognised by readline's redraw of them. */
  block: string[] | null;
  /** The redraw's further lines, still to come (not output). */
  redraw: string[];
  /** The bell rang on the line (readline: an ambiguous Tab completion). */
  bell: boolean;
}

/** Lines of a completion listing (more and readline asks before showing them). */
const MAX_LISTING_LINES = 100;

/**
 * Readline rang the bell on the pending line, listed completions below it and redrew the prompt
 * with the line so far, which the new line continues: the pending line was never entered.
 */
function completedLater(pending: Pending, next: PromptSplit): boolean {
  return (
    pending.bell &&
    pending.output.length > 0 &&
    pending.output.length <= MAX_LISTING_LINES &&
    next.prompt === pending.split.prompt &&
    next.text.startsWith(pending.split.text.trimEnd())
  );
}

/** Prompt styles remembered per shell. */
const MAX_STYLES = 20;

/** Lines after a pending input line before it is accepted without further evidence. */
const PENDING_MAX_LINES = 500;
const CONTINUATION = /^> ?/;

export class PlainInput {
  private pending: Pending | null = null;

  constructor(
    private readonly shells: ShellStack,
    private readonly log: CommandLog,
    private readonly feed: Feed,
  ) {}

  /** An input line is waiting: every line matters until it is decided. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** Prompt of the input line still waiting, if any. */
  get pendingPrompt(): string | null {
    return this.pending?.split.prompt ?? null;
  }

  /** The input line still waiting, prompt included, if any. */
  get pendingLine(): string | null {
    return this.pending?.line ?? null;
  }

  /** Text of the input line still waiting, if any. */
  get pendingText(): string | null {
    return this.pending?.split.text ?? null;
  }

  /** Takes the line as input (now or pending) and returns true, or returns false: it is output. */
  take(line: string, styleAt: (index: number) => number = () => 0, bell = false): boolean {
    if (CONTINUATION.test(line) && this.continueLine(line)) return true;
    const pending = this.pending;
    // Output that quotes the previous command's own text (`printf '$ rm -rf /\n'`) is not input.
    const previousText = pending ? pending.split.text : this.log.last()?.text;
    if (spells(previousText, line)) return false;
    // `$ sudo reboot$ bash`: the previous command's unterminated output, then the real prompt.
    const prompts = this.shells.current().prompts;
    const known =
      pending && !prompts.includes(pending.split.prompt) ? [...prompts, pending.split.prompt] : prompts;
    const after = afterSpelledOutput(line, previousText, known);
    const search = abortedSearch(line);
    const split = after?.split ?? (search !== null ? { prompt: '', text: search } : this.promptOf(line));
    if (!split) return false;
    // A coloured prompt always shows its colours (PS1 sets them): an uncoloured copy is output.
    const style = styleAt(after?.at ?? 0);
    const seen = this.shells.current().promptStyles?.get(split.prompt);
    if (seen !== undefined && seen !== 0 && style !== seen) return false;
    // Tab listed completions: the line before the listing was never entered.
    const relisted = pending !== null && completedLater(pending, split);
    if (relisted) this.pending = null;
    this.settle();
    // After a literal printf/echo whose text does not spell this line, the line is no output of it.
    const afterLiteral =
      pending !== null && !relisted && !pending.imitation && printsOnlyItsText(pending.split.text);
    const next: Pending = {
      split,
      line,
      pos: this.feed.position(),
      lossy: this.feed.lineLossy,
      output: [],
      imitation: false,
      suspect: this.feed.screenSuspect,
      style,
      verified: (seen !== undefined && seen !== 0) || afterLiteral,
      block: null,
      redraw: [],
      // A redraw after a listing: a further Tab lists again, without another bell.
      bell: bell || relisted,
    };
    // Shell switches and aborted lines decide what the following lines are: no waiting.
    const switches = isShellExit(split.text) || shellSwitch(split.text) !== null;
    if (switches || ABORTED.test(split.text)) this.accept(next);
    else this.pending = next;
    return true;
  }

  /** A `> ` line that continues the pending line or the command just accepted. */
  private continueLine(line: string): boolean {
    const pending = this.pending;
    const rest = line.replace(CONTINUATION, '');
    if (pending && pending.output.length === 0 && needsContinuation(pending.split.text)) {
      pending.split = { prompt: pending.split.prompt, text: `${pending.split.text}\n${rest}` };
      pending.line += `\n${line}`;
      return true;
    }
    const last = this.log.last();
    if (!pending && last && this.log.outputSince === 0 && last.executed && needsContinuation(last.text)) {
      this.log.commit({ prompt: '>', text: rest }, this.feed.position(), this.feed.lineLossy, false);
      return true;
    }
    return false;
  }

  /** The prompt that starts the line: this shell's, an enclosing shell's, or a first/new one. */
  private promptOf(line: string): PromptSplit | null {
    const shell = this.shells.current();
    const pending = this.pending?.split.prompt;
    const known = pending && !shell.prompts.includes(pending) ? [...shell.prompts, pending] : shell.prompts;
    const learned = startsWithLearned(line, known);
    // A PS1 change shows at the very next prompt: if that one is already known, nothing to learn
    // (left armed, a later line shaped like any prompt would be taken as this shell's prompt).
    if (learned) {
      shell.relearn = false;
      return learned;
    }
    const shaped = splitPrompt(line);
    if (!shaped || shaped.prompt === '>') return null;
    const info = promptInfo(shaped.prompt);
    const sameShell = known.some((p) => {
      const known = promptInfo(p);
      return known.user !== null && known.user === info.user && known.host === info.host;
    });
    let split: PromptSplit | null = null;
    const parent = this.shells.parentWithPrompt(line);
    if (parent >= 0) {
      this.settle();
      this.shells.returnTo(parent);
      split = startsWithLearned(line, this.shells.current().prompts);
    } else if (
      known.length === 0 ||
      sameShell ||
      shell.relearn ||
      (pending && changesPrompt(this.pending!.split.text))
    )
      split = shaped;
    shell.relearn = false;
    return split;
  }

  /** Ends the wait on the pending input line: a command, or output of the command before it. */
  settle(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (!pending.imitation) {
      this.accept(pending);
      return;
    }
    this.log.addOutput(pending.line);
    for (const line of pending.output) this.log.addOutput(line);
  }

  private accept(pending: Pending): void {
    const shell = this.shells.current();
    shell.promptStyles ??= new Map();
    const styles = shell.promptStyles;
    if (!styles.has(pending.split.prompt) && styles.size < MAX_STYLES)
      styles.set(pending.split.prompt, pending.style);
    const pieces = pending.block ? splitCommands(pending.block.join('\n')) : [pending.split.text];
    for (let i = 0; i < pieces.length; i++) {
      const split = { prompt: i === 0 ? pending.split.prompt : '', text: pieces[i]! };
      this.log.commit(split, pending.pos, pending.lossy, false, null, pending.suspect);
    }
    for (const line of pending.output) this.log.addOutput(line);
  }

  /**
   * Output after the pending line: another shell's prompt it does not itself contain is evidence.
   * `evidence` false: a line only partly read (beyond the screen's reach) proves nothing.
   */
  output(line: string, evidence = true): void {
    const pending = this.pending!;
    if (!evidence) {
      pending.output.push(line);
      return;
    }
    if (this.reprinted(pending, line)) return;
    if (this.feed.strippedForm && this.followsPasteRedraw(pending, line)) return;
    if (this.feed.strippedForm && this.shells.promptInside(line)) pending.lossy = true;
    const shaped = splitPrompt(line);
    // A prompt is followed by a space before the typed text: `%Cpu(s):` in top's header is not one.
    if (
      !pending.verified &&
      shaped &&
      shaped.prompt !== '>' &&
      // A bare `#` starts every comment line of a config file: no evidence of anything.
      shaped.prompt !== '#' &&
      line[shaped.prompt.length] === ' ' &&
      shaped.text.trim() !== '' &&
      !spells(pending.line, line) &&
      // `printf '\033]133;A\007$ \033]133;B\007rm -rf /\n'`: the command spells its output's text.
      !spells(pending.line, shaped.text)
    ) {
      pending.imitation = true;
    }
    pending.output.push(line);
    if (pending.output.length >= PENDING_MAX_LINES && !pending.imitation) this.settle();
  }

  /**
   * The tty's reprint (Ctrl-R, VREPRINT, in a shell without a line editor such as dash): `^R`, a new
   * row, the line so far again; typing goes on there. That row is the input line from now on.
   */
  private reprinted(pending: Pending, line: string): boolean {
    const text = pending.split.text;
    if (pending.output.length > 0 || !text.endsWith('^R')) return false;
    const before = text.slice(0, -2);
    if (!line.startsWith(before)) return false;
    pending.split = { prompt: pending.split.prompt, text: line };
    pending.line = line;
    if (ABORTED.test(line)) this.settle();
    return true;
  }

  /** Stripped form: readline's redraw of a multi-line paste (pasteBlock), and its repeated lines. */
  private followsPasteRedraw(pending: Pending, line: string): boolean {
    if (pending.redraw.length > 0) {
      if (line === pending.redraw[0]) {
        pending.redraw.shift();
        return true;
      }
      pending.redraw = [];
    }
    if (pending.block) return false;
    const block = pasteBlock(pending.line, pending.split.text, pending.output, line);
    if (!block) return false;
    pending.block = block;
    pending.redraw = block.slice(1);
    pending.output = [];
    pending.imitation = false;
    return true;
  }
}
