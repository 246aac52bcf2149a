/**
 * The shell's own input markers, which open and close input regions: readline's bracketed-paste
 * switches (`ESC[?2004h` / `ESC[?2004l`) and OSC 133 shell-integration marks, which also carry
 * the exit status.
 */
import type { IBufferNamespace } from '@xterm/headless';
import { isAlternate } from '../screen.ts';
import type { CommandLog } from './command-log.ts';
import type { Feed } from './draft.ts';
import type { InputRegions } from './regions.ts';
import type { ShellStack } from './shells.ts';

export class ShellMarkers {
  constructor(
    private readonly buffers: IBufferNamespace,
    private readonly shells: ShellStack,
    private readonly regions: InputRegions,
    private readonly log: CommandLog,
    private readonly feed: Feed,
    /** Called before a region opens: a plain-shell line still waiting is decided first. */
    private readonly settle: () => void,
  ) {}

  bracketedPaste(on: boolean): void {
    // In the stripped form markers survive only in some lines: relying on them would lose the rest.
    if (this.feed.strippedForm || isAlternate(this.buffers)) return;
    const shell = this.shells.current();
    if (shell.osc133) {
      if (on) shell.pasteMode = shell.armed = true;
      return;
    }
    if (on) {
      shell.markers = true;
      this.beginRegion();
    } else if (this.regions.open) this.regions.end();
  }

  /**
   * OSC 133 marks, accepted only in cycle order: marks printed by a command's output (between C and
   * the shell's own D) are ignored, and when the shell shows bracketed-paste mode a prompt start
   * must follow readline's `ESC[?2004h`. A program can still forge a whole cycle in-band; these
   * checks stop the cheap forgeries (`printf` of A/B/C marks), as the prompt rules do for plain text.
   */
  shellIntegration(data: string): void {
    const shell = this.shells.current();
    if (!shell.osc133) {
      shell.osc133 = true;
      shell.phase = 'idle';
    }
    const kind = data[0];
    // D still closes the cycle on the alternate screen (a program that died without leaving it).
    if (kind !== 'D' && isAlternate(this.buffers)) return;
    if (kind === 'A') {
      if (shell.phase !== 'idle' || (shell.pasteMode && !shell.armed)) return;
      this.beginRegion();
      shell.phase = 'prompt';
    } else if (kind === 'B') {
      if (shell.phase !== 'prompt' || !this.regions.open) return;
      this.regions.markPromptEnd();
      shell.phase = 'input';
    } else if (kind === 'C') {
      if (shell.phase !== 'input' || !this.regions.open) return;
      const before = this.log.drafts.length;
      this.regions.end(true); // C: the shell runs it, whatever the line ends with
      shell.awaiting = this.log.drafts.length > before ? this.log.last()! : null;
      shell.phase = 'running';
    } else if (kind === 'D') {
      if (shell.phase === 'running' && shell.awaiting?.executed) {
        const code = Number.parseInt(data.split(';')[1] ?? '', 10);
        if (Number.isFinite(code)) shell.awaiting.exitCode = code;
      } else if (shell.phase === 'input' && this.regions.open && !isAlternate(this.buffers)) {
        this.regions.end(false); // no C: the line never ran (Ctrl-C)
      } else this.regions.dispose();
      shell.awaiting = null;
      shell.phase = 'idle';
      shell.armed = false;
    }
  }

  private beginRegion(): void {
    this.settle();
    this.regions.begin();
  }
}
