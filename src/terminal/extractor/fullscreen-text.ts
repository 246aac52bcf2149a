/**
 * Text a full-screen program showed (an editor's buffer), remembered when it leaves the alternate
 * screen, so that a later command printing the same file is not read as typed commands.
 *
 * `vi draft.sh`, type `sudo reboot` and `$ rm -rf /`, save, then `cat draft.sh`: in dash the cat
 * output `$ rm -rf /` is byte for byte a prompt and a typed line (no line editor marks input, and
 * the S3 form has no timing). What tells it apart is that the line is the editor's row, printed by
 * a command that names the file the editor had open, right after the editor's row above it (or as
 * that command's first output line). All three must hold, so a typed command is hidden only when
 * the user first wrote it, prompt included, into that file and then printed the file's previous
 * line with a command naming it.
 */
import type { IBuffer } from '@xterm/headless';
import { beforeScroll, coreBuffer, type Emulator, rowIsFull, rowText } from '../screen.ts';

/** Screens remembered (the latest ones). */
const MAX_SCREENS = 4;
/** Screens read per session: each read costs rows x cols, a stream of switches must not multiply it. */
const MAX_READS = 256;
/** Rows read as they scroll off full-screen programs, per session (a line-feed flood stops here). */
const MAX_SCROLL_READS = 100_000;
/** Rows read per screen (a tall terminal's rest is not worth it). */
const MAX_ROWS = 200;
/** Names (files) taken from one command line. */
const MAX_NAMES = 16;
const MAX_LINE_CHARS = 4096;

interface Screen {
  /** Base names of the words the program's command line named (its files). */
  names: Set<string>;
  /** Logical lines of the screen, top to bottom (a row full to the margin continues below). */
  lines: string[];
  /** The same lines, for a cheap first look. */
  known: Set<string>;
}

/** Base names of a command line's words past the program name, options left out. */
function namesOf(command: string): Set<string> {
  const names = new Set<string>();
  const words = command.slice(0, MAX_LINE_CHARS).trim().split(/\s+/).slice(1);
  for (const word of words) {
    if (names.size >= MAX_NAMES) break;
    const bare = word.replace(/^['"]|['"]$/g, '');
    if (bare === '' || bare.startsWith('-')) continue;
    const base = bare.replace(/\/+$/, '').split('/').at(-1) ?? '';
    if (base !== '' && base !== '.' && base !== '..') names.add(base);
  }
  return names;
}

export class FullScreenText {
  private readonly screens: Screen[] = [];
  private reads = 0;
  private scrollReads = 0;
  /** Rows the open alternate screen scrolled off its top (vi's last message scrolls its first row). */
  private scrolledOff: string[] = [];

  /**
   * Follows `term`'s scrolling: while `watching()` says a full-screen program draws on its
   * alternate screen, a row about to scroll off the top is remembered.
   */
  watch(term: Emulator, watching: () => boolean): void {
    beforeScroll(term, () => {
      if (!watching() || term.buffer.active.type !== 'alternate') return;
      this.scrolling(term.buffer.active, coreBuffer(term).scrollTop);
    });
  }

  /** An alternate screen opens: nothing scrolled off it yet. */
  open(): void {
    this.scrolledOff = [];
  }

  /** The alternate screen's top row is about to scroll away (line feed on the region's last row). */
  private scrolling(buffer: IBuffer, scrollTop: number): void {
    if (this.reads >= MAX_READS || scrollTop !== 0 || this.scrollReads >= MAX_SCROLL_READS) return;
    this.scrollReads++;
    this.scrolledOff.push(rowText(buffer, 0).slice(0, MAX_LINE_CHARS).trimEnd());
    if (this.scrolledOff.length > 2 * MAX_ROWS) this.scrolledOff = this.scrolledOff.slice(-MAX_ROWS);
  }

  /** The alternate screen is about to close: remember its text, with what its program was given. */
  remember(buffer: IBuffer, rows: number, cols: number, command: string | null): void {
    if (command === null || this.reads >= MAX_READS) return;
    const names = namesOf(command);
    if (names.size === 0) return;
    this.reads++;
    const lines: string[] = this.scrolledOff.slice(-MAX_ROWS);
    this.scrolledOff = [];
    let current = '';
    for (let r = 0; r < Math.min(rows, MAX_ROWS); r++) {
      // A row padded with spaces to the margin (vi's `~` rows) does not go on below.
      const full =
        rowIsFull(buffer, r, cols) &&
        (buffer
          .getLine(r)
          ?.getCell(cols - 1)
          ?.getChars() ?? ' ') !== ' ';
      current += full ? (buffer.getLine(r)?.translateToString(false) ?? '') : rowText(buffer, r);
      if (full && r + 1 < rows) continue;
      lines.push(current.trimEnd());
      current = '';
    }
    this.screens.push({ names, lines, known: new Set(lines) });
    if (this.screens.length > MAX_SCREENS) this.screens.shift();
  }

  /**
   * Whether `line` is a line of a remembered screen printed by `command`, which names that screen's
   * file: `above` (the line before it) is the screen's line above it, or `command`'s own line.
   */
  quotes(line: string, above: () => string, command: string | null, commandLine: string | null): boolean {
    if (this.screens.length === 0 || command === null) return false;
    const text = line.trimEnd();
    if (text === '') return false;
    let names: Set<string> | null = null;
    for (const screen of this.screens) {
      if (!screen.known.has(text)) continue;
      names ??= namesOf(command);
      if (![...names].some((name) => screen.names.has(name))) continue;
      const previous = above().trimEnd();
      for (let i = screen.lines.indexOf(text); i >= 0; i = screen.lines.indexOf(text, i + 1)) {
        if ((i > 0 && screen.lines[i - 1] === previous) || previous === commandLine?.trimEnd()) return true;
      }
    }
    return false;
  }
}
