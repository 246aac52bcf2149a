/**
 * The tty echoes Ctrl-C as `^C` at the cursor, which is not always the line's end: in a reverse
 * search the cursor sits on the match, so `^C` overwrites two of its characters
 * (`(reverse-i-search)`host': cat /etc/^Cstname`). The byte driver reports each `^C` before the
 * emulator draws it; the line as it was then is the line the user abandoned.
 */

/** Rows of the cursor's logical line read at a `^C` (a longer line is not a line being edited). */
export const MAX_SNAPSHOT_ROWS = 8;

/** Readline's incremental-search prompt starts the line (the only line edited away from its end). */
export function isSearchLine(head: string): boolean {
  return /^\((?:failed )?(?:reverse-)?i-search\)/.test(head);
}

export class InterruptEcho {
  private before: string | null = null;

  /** The cursor's logical line just before a `^C` is drawn. */
  note(line: string): void {
    this.before = line;
  }

  /**
   * The line read back after the `^C`: when the echo overwrote text inside it, the line as it was
   * before, with `^C` at its end (so it reads as aborted). Anything else is returned unchanged.
   */
  repair(line: string): string {
    const before = this.before;
    if (before === null) return line;
    const at = line.lastIndexOf('^C');
    if (at < 0) return line;
    this.before = null;
    const end = line.trimEnd();
    if (at + 2 >= end.length) return line;
    const head = line.slice(0, at);
    if (!before.startsWith(head) || before.length < at + 2) return line;
    if (before.slice(at + 2).trimEnd() !== end.slice(at + 2)) return line;
    return `${before.trimEnd()}^C`;
  }
}
