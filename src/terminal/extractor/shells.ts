/**
 * The stack of nested interactive shells (`sudo su -`, `bash`, `exit` back): who types in each,
 * which prompts each was seen to print, and how each marks its input lines.
 */

import type { Draft } from './draft.ts';
import { mayStartWithPrompt, type PromptInfo, startsWithLearned } from './prompt.ts';

/** Where an OSC 133 shell is in its cycle: D (idle) -> A (prompt) -> B (input) -> C (running) -> D. */
export type Phase = 'idle' | 'prompt' | 'input' | 'running';

export interface Shell {
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
  /** Style of each learned prompt's first cell (screen.ts styleAt): a coloured prompt's copy differs. */
  promptStyles?: Map<string, number>;
  /** The user just changed PS1: the next prompt-shaped line is this shell's new prompt. */
  relearn?: boolean;
}

/** Deeper nesting is someone looping `bash`: the extra levels add nothing to attribution. */
const MAX_DEPTH = 32;
const MAX_LEARNED = 20;
const MAX_SESSION_PROMPTS = 50;

export class ShellStack {
  /** Every prompt learned in the session, reported with the result. */
  readonly prompts = new Set<string>();
  private readonly shells: Shell[];

  constructor(startUser: string | null) {
    this.shells = [newShell(startUser)];
  }

  current(): Shell {
    return this.shells[this.shells.length - 1]!;
  }

  get nested(): boolean {
    return this.shells.length > 1;
  }

  /** A command started an interactive shell. */
  enter(user: string | null): void {
    if (this.shells.length < MAX_DEPTH) this.shells.push(newShell(user ?? this.current().user));
  }

  /** The current shell ended (`exit`, Ctrl-D); the outermost one is never left. */
  leave(): void {
    if (this.shells.length > 1) this.shells.pop();
  }

  /** Back to the enclosing shell at `depth` (0 = the session's first shell). */
  returnTo(depth: number): void {
    this.shells.length = depth + 1;
  }

  learn(prompt: string): void {
    const shell = this.current();
    if (this.prompts.size < MAX_SESSION_PROMPTS) this.prompts.add(prompt);
    if (!shell.prompts.includes(prompt) && shell.prompts.length < MAX_LEARNED) shell.prompts.push(prompt);
  }

  /** Whether a plain-shell line could start with any prompt (this shell's, a parent's, a shape). */
  mayStartWithPrompt(firstRow: string): boolean {
    for (let i = this.shells.length - 1; i >= 0; i--) {
      if (mayStartWithPrompt(firstRow, this.shells[i]!.prompts)) return true;
    }
    return false;
  }

  /** Depth of an enclosing shell whose prompt starts the line (the nested one ended unseen), or -1. */
  parentWithPrompt(line: string): number {
    for (let i = this.shells.length - 2; i >= 0; i--) {
      if (startsWithLearned(line, this.shells[i]!.prompts)) return i;
    }
    return -1;
  }

  /** Our own prompt in the middle of a line: in the stripped form, a redraw that lost its `\r`. */
  promptInside(line: string): boolean {
    return this.current().prompts.some((p) => p.length >= 2 && line.indexOf(p, 1) > 0);
  }

  /** The prompt names the user (`user@host`) or shows root's `#`: that is who types now. */
  followPromptUser(info: PromptInfo): void {
    const user = info.user ?? (info.root ? 'root' : null);
    if (user === null) return;
    const shell = this.current();
    if (shell.user === user) return;
    // A shell switch that never happened (`su` refused): the enclosing shell's prompt comes back.
    for (let i = this.shells.length - 2; i >= 0 && shell.prompts.length === 0; i--) {
      if (this.shells[i]!.user === user && info.user !== null) {
        this.returnTo(i);
        return;
      }
    }
    shell.user = user;
  }
}

function newShell(user: string | null): Shell {
  return { user, markers: null, osc133: false, prompts: [] };
}
