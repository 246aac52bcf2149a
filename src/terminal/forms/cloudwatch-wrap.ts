/**
 * CloudWatch form: readline's wrap, with its `\r` stripped. At the right margin readline prints a
 * space and `\r` (the cursor goes to the next row, where the text goes on over the space), so a
 * stripped input line carries one extra space after every full row: `epsilon  zeta` at 60 columns
 * for `epsilon zeta`, `si gma` for `sigma`. Nothing records the width, but those spaces sit at
 * W, 2W+1, 3W+2 ... of every such line, so a session's long input lines can say W.
 *
 * Only bash-shaped prompts are read (readline draws them; dash has no line editor and no such
 * space), only ASCII lines without escape sequences or backspaces (plain typing), and a width is
 * taken only when every such line agrees, one of them shows the doubled space a wrap before a
 * real space leaves, and no other width fits as well. A line that ends one character past a
 * margin space repeating the character before it is readline's redraw of a line that filled its
 * row exactly (`w8 w` + ` ` + `w`): both go.
 */
import { MAX_COLS, MIN_COLS } from '../width/bounds.ts';

/** Prompts readline draws: `user@host:~$ `, `[user@host ~]$ `, `sh-4.2$ `, `bash-5.1# `. */
const READLINE_PROMPT =
  /^(?:[ -~]{0,64}?[\w.-]{1,64}@[\w.-]{1,128}[^$#]{0,256}?[$#] |(?:ba)?sh-\d{1,2}\.\d{1,2}[$#] )/;
const PLAIN_ASCII = /^[ -~]*$/;
/** Input lines looked at for the width (the first ones of the session). */
const MAX_LINES = 500;
/** Longer lines are no typed input worth the search (it is per width, per margin). */
const MAX_LINE_CHARS = 4096;

/** Whether `line` is a plain readline input line long enough to have wrapped at some width. */
function wrapCandidate(line: string): boolean {
  return (
    line.length > MIN_COLS + 1 &&
    line.length <= MAX_LINE_CHARS &&
    PLAIN_ASCII.test(line) &&
    READLINE_PROMPT.test(line)
  );
}

/** What a line's margin spaces at one width say: wraps before a space or an exact fill (strong), other spaces. */
interface Evidence {
  strong: number;
  weak: number;
}

/**
 * Walks the margins of `line` at width `cols` as readline's stripped wraps would leave them: a
 * space at a margin is taken as the wrap's own (the next margin is one further on), no space there
 * means that margin was crossed inside one write.
 */
function evidence(line: string, cols: number, into: Evidence): void {
  for (let at = cols; at <= line.length - 2; at += cols) {
    if (line[at] !== ' ') continue;
    const exactFill = at === line.length - 2 && line[at + 1] === line[at - 1];
    if (exactFill || line[at - 1] === ' ' || line[at + 1] === ' ') into.strong++;
    else into.weak++;
    at++;
  }
}

/**
 * The width readline's stripped wrap spaces show in these CloudWatch lines, or null: only from two
 * or more strong signs (a doubled space or an exact fill at a margin) that no other width matches
 * as well. With `known` (configured or inferred otherwise), that width under the same condition
 * (dash draws no such spaces, and a fast burst crosses margins without them).
 */
export function wrapWidth(texts: Iterable<string>, known: number | null): number | null {
  const lines: string[] = [];
  let longest = 0;
  for (const text of texts) {
    if (!wrapCandidate(text)) continue;
    lines.push(text);
    longest = Math.max(longest, text.length);
    if (lines.length >= MAX_LINES) break;
  }
  if (known !== null) {
    const found: Evidence = { strong: 0, weak: 0 };
    for (const line of lines) evidence(line, known, found);
    return found.strong >= 2 ? known : null;
  }
  // A width's divisors see its margins too (every second margin of W/2 is one of W's): among the
  // widths with the most strong signs the widest is taken, if all the others divide it.
  let most = 2;
  let widths: number[] = [];
  for (let cols = MIN_COLS; cols <= Math.min(MAX_COLS, longest - 2); cols++) {
    const found: Evidence = { strong: 0, weak: 0 };
    for (const line of lines) evidence(line, cols, found);
    if (found.strong > most) {
      most = found.strong;
      widths = [cols];
    } else if (found.strong === most) widths.push(cols);
  }
  const widest = widths.at(-1);
  if (widest === undefined || widths.some((cols) => widest % cols !== 0)) return null;
  return widest;
}

/**
 * `line` without readline's wrap spaces at width `cols` (unchanged unless it is a wrap candidate).
 * A margin with no space there was crossed inside one write (a fast burst: the terminal wrapped by
 * itself), which moves the later margins back by one.
 */
export function removeWrapSpaces(line: string, cols: number): string {
  if (line.length <= cols + 1 || !wrapCandidate(line)) return line;
  let out = '';
  let from = 0;
  for (let at = cols; at <= line.length - 2; at += cols) {
    if (line[at] !== ' ') continue;
    // The row filled exactly: readline went back up and drew its last character again.
    if (at === line.length - 2 && line[at + 1] === line[at - 1]) return out + line.slice(from, at);
    out += line.slice(from, at);
    from = at + 1;
    at++;
  }
  return out + line.slice(from);
}
