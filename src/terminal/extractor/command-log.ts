/**
 * The session's commands as they are accepted: turning an input line into a command (Ctrl-C,
 * trailing blanks, continuation lines, cwd, effective user, shell switches) and the bounded
 * output excerpt that follows each one.
 */
import {
  COMMAND_MAX_CHARS,
  OUTPUT_MAX_CHARS,
  OUTPUT_MAX_LINES,
  SESSION_MAX_COMMANDS,
  SESSION_MAX_OUTPUT_CHARS,
} from '../types.ts';
import { needsContinuation } from './continuation.ts';
import type { Draft, Feed, Position } from './draft.ts';
import { type PromptInfo, type PromptSplit, promptInfo } from './prompt.ts';
import type { ShellStack } from './shells.ts';
import { isShellExit, shellSwitch } from './users.ts';

/** A line ending in `^C`: the shell discarded it (readline and the tty both echo the `^C`). */
export const ABORTED = /\^C\s*$/;
/**
 * A `#` starting a word: the rest of the line is a comment. A literal `#^C` typed before Enter
 * shows exactly as a Ctrl-C after `#`: whether the shell ran the line cannot be told from the screen.
 */
const COMMENT_BEFORE = /(?:^|\s)#[^\n]*$/;

/** A command that may change the prompt (PS1 set, a file sourced). */
export function changesPrompt(text: string): boolean {
  return /(?:^|[\s;])(?:export\s+)?PS1=|^\s*(?:source|\.)\s/.test(text);
}

export class CommandLog {
  readonly drafts: Draft[] = [];
  /** Output lines since the last command: continuation lines only follow a command directly. */
  outputSince = 0;
  /** The last input line was empty (Enter or Ctrl-D on an empty prompt). */
  lastEmpty = false;
  /** The window title the shell set last (Debian's `user@host: cwd`): cwd when the prompt has none. */
  title: PromptInfo | null = null;
  /** Commands past SESSION_MAX_COMMANDS: followed for user tracking, not kept. */
  dropped = 0;
  /** Output excerpt characters the session may still keep. */
  private outputBudget = SESSION_MAX_OUTPUT_CHARS;

  constructor(
    private readonly shells: ShellStack,
    private readonly feed: Feed,
  ) {}

  last(): Draft | undefined {
    return this.drafts.at(-1);
  }

  /** Whether the last command's excerpt still has room (output lines are worth reading). */
  wantsOutput(): boolean {
    const last = this.drafts.at(-1);
    return (
      last !== undefined &&
      this.dropped === 0 &&
      this.outputBudget > 0 &&
      last.output.length < OUTPUT_MAX_LINES &&
      last.outputChars < OUTPUT_MAX_CHARS
    );
  }

  /** An output line not worth reading: only counted. */
  skipOutput(): void {
    this.outputSince++;
  }

  addOutput(line: string): void {
    this.outputSince++;
    if (this.outputSince <= 2 && this.feed.strippedForm && this.shells.promptInside(line)) {
      const last = this.drafts.at(-1);
      if (last) last.lossy = true;
    }
    if (this.lastEmpty) {
      this.lastEmpty = false;
      // Ctrl-D on an empty line: bash prints `exit`/`logout` and the shell ends.
      if (/^(?:exit|logout)$/.test(line.trim()) && this.shells.nested) this.shells.leave();
    }
    const last = this.drafts.at(-1);
    if (!last || last.output.length >= OUTPUT_MAX_LINES || last.outputChars >= OUTPUT_MAX_CHARS) return;
    if (this.dropped > 0 || this.outputBudget <= 0) return;
    const piece = line.slice(0, Math.min(OUTPUT_MAX_CHARS - last.outputChars, this.outputBudget));
    last.output.push(piece);
    last.outputChars += piece.length + 1;
    this.outputBudget -= piece.length + 1;
  }

  /**
   * Accepts an input line. `marked`: the shell's own markers delimited it, so a `>` line right
   * after a command continues it even when the text alone would not say so. `ran`: what the
   * shell's marks say (OSC 133 C: it ran, a D without C: it did not; they outrank the `^C`
   * heuristic); null when only the screen can tell. `suspect`: the screen could not be trusted when
   * the line was read (Feed.screenSuspect): the command is kept as uncertain.
   */
  commit(
    split: PromptSplit,
    pos: Position,
    lossy: boolean,
    marked: boolean,
    ran: boolean | null = null,
    suspect = this.feed.screenSuspect,
  ): void {
    let text = split.text;
    let executed: boolean | null = ran ?? true;
    if (ran === null && ABORTED.test(text)) {
      // Ctrl-C, or a literal `^C` typed inside a comment and entered: only the latter can run.
      executed = COMMENT_BEFORE.test(text.replace(ABORTED, '')) ? null : false;
    }
    const aborted = executed === false;
    if (aborted && ABORTED.test(text)) text = text.replace(ABORTED, '');
    text = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
    if (text.length > COMMAND_MAX_CHARS) text = text.slice(0, COMMAND_MAX_CHARS);
    const prompt = split.prompt;
    if (prompt === '>' && this.continues(marked)) {
      const last = this.drafts.at(-1)!;
      if (last.text.length + text.length < COMMAND_MAX_CHARS) last.text += `\n${text}`;
      if (aborted) last.executed = false;
      else if (executed === null || suspect) last.uncertain = true;
      if (lossy) last.lossy = true;
      return;
    }
    const info = promptInfo(prompt);
    this.shells.followPromptUser(info);
    if (prompt && prompt !== '>') this.shells.learn(prompt);
    const title = this.title;
    this.title = null;
    if (text.trim() === '') {
      this.lastEmpty = !aborted;
      this.outputSince = 0;
      return;
    }
    const shell = this.shells.current();
    const draft: Draft = {
      text,
      user: shell.user,
      executed,
      pos,
      cwd: info.cwd ?? title?.cwd ?? null,
      exitCode: null,
      lossy,
      uncertain: executed === null || suspect,
      output: [],
      outputChars: 0,
    };
    if (this.drafts.length >= SESSION_MAX_COMMANDS) this.dropped++;
    else this.drafts.push(draft);
    this.outputSince = 0;
    this.lastEmpty = false;
    if (draft.executed === true) this.followShellChange(text);
  }

  /** Whether a continuation line (`> `) now belongs to the last command. */
  private continues(marked: boolean): boolean {
    const last = this.drafts.at(-1);
    if (last?.executed !== true || this.outputSince !== 0 || this.dropped > 0) return false;
    return marked || needsContinuation(last.text);
  }

  /** An executed command that changes the prompt, ends this shell or starts another. */
  private followShellChange(text: string): void {
    if (changesPrompt(text)) this.shells.current().relearn = true;
    if (isShellExit(text)) {
      this.shells.leave();
      return;
    }
    const next = shellSwitch(text);
    if (next) this.shells.enter(next.user);
  }
}
