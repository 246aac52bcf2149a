/**
 * A deliberately small renderer for one raw line, used where the emulator's screen cannot be
 * trusted (see sanitize/suspect.ts). It applies what a shell's echo uses (printable text, `\r`,
 * backspace, tabs, autowrap at `cols` with readline's pending-wrap) and drops escape sequences.
 * It never lets a control string swallow text: an OSC or DCS ends at the end of the line, and a
 * CSI ends before any byte that is not a parameter or final, so text hidden behind an unfinished
 * sequence shows here.
 */

const ESC = '\x1b';

/**
 * The texts a line shows when nothing hides it, at most `maxChars` cells each: one per segment,
 * where a control string left open in the line (`printf '\033]0;'` before the prompt) starts a
 * new segment after its introducer (an OSC's number aside), because the terminal swallowed what follows it.
 * @example renderRawLine('$ ecoh\b\b\bcho hi\r\r', 80, 1000) // ['$ echo hi']
 */
export function renderRawLine(line: string, cols: number, maxChars: number): string[] {
  const segments: string[] = [];
  let cells: string[] = [];
  let pos = 0;
  let pendingWrap = false;
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const ch = line[i]!;
    const code = ch.charCodeAt(0);
    if (code === 0x1b || (code >= 0x80 && code < 0xa0)) {
      const end = skipSequence(line, i);
      const open = end >= n ? openStringBody(line, i) : -1;
      if (open >= 0) {
        segments.push(joinCells(cells));
        cells = [];
        pos = 0;
        pendingWrap = false;
        i = open - 1;
        continue;
      }
      i = end - 1;
      continue;
    }
    if (code < 0x20 || code === 0x7f) {
      const rowStart = pos - (pos % cols) - (pendingWrap ? cols : 0);
      if (code === 0x0d) pos = Math.max(0, rowStart);
      else if (code === 0x08 && !pendingWrap && pos % cols > 0) pos--;
      else if (code === 0x08 && pendingWrap) pos--;
      else if (code === 0x09)
        pos = Math.min(pos - (pos % cols) + cols - 1, pos - (pos % cols) + (((pos % cols) >> 3) + 1) * 8);
      pendingWrap = false;
      continue;
    }
    if (pos >= maxChars) continue;
    cells[pos] = ch;
    pos++;
    // At the right margin the cursor stays on the row until the next printable character.
    pendingWrap = pos % cols === 0;
  }
  segments.push(joinCells(cells));
  return segments;
}

function joinCells(cells: string[]): string {
  let text = '';
  for (let k = 0; k < cells.length; k++) text += cells[k] ?? ' ';
  return text.trimEnd();
}

/**
 * Where the swallowed text of a control string left open at `i` begins (after an OSC's number and
 * `;`), or -1 when `i` does not open a string.
 */
function openStringBody(line: string, i: number): number {
  let k = line[i] === ESC ? i + 2 : i + 1;
  const kind =
    line[i] === ESC
      ? line[i + 1]
      : line.charCodeAt(i) === 0x9d
        ? ']'
        : line.charCodeAt(i) === 0x90
          ? 'P'
          : 'X';
  if (kind === ']') {
    while (k < line.length && /[0-9]/.test(line[k]!)) k++;
    if (line[k] === ';') k++;
    return k;
  }
  // A DCS header (parameters, intermediates, final) can be any printable bytes (`ESC P $ s` swallows
  // `$ s`): what follows its introducer is read as text.
  return kind === 'P' || kind === 'X' || kind === '^' || kind === '_' ? k : -1;
}

/** Index just past the escape sequence (or C1 control) starting at `i`. */
function skipSequence(line: string, i: number): number {
  const n = line.length;
  let kind: string;
  let k: number;
  if (line[i] === ESC) {
    const next = line[i + 1];
    if (next === undefined) return n;
    kind = next;
    k = i + 2;
  } else {
    const c1 = line.charCodeAt(i);
    kind = c1 === 0x9b ? '[' : c1 === 0x9d ? ']' : c1 === 0x90 ? 'P' : c1 === 0x98 || c1 >= 0x9e ? 'X' : '';
    k = i + 1;
    if (kind === '') return k;
  }
  if (kind === '[') {
    while (k < n && /[0-?]/.test(line[k]!)) k++;
    return k < n && line.charCodeAt(k) >= 0x40 && line.charCodeAt(k) <= 0x7e ? k + 1 : k;
  }
  if (kind === ']' || kind === 'P' || kind === 'X' || kind === '^' || kind === '_') {
    for (; k < n; k++) {
      const c = line.charCodeAt(k);
      if (c === 0x07 || c === 0x9c) return k + 1;
      if (c === 0x1b) return line[k + 1] === '\\' ? k + 2 : k;
    }
    return n;
  }
  // ESC with one final byte (ESC 7, ESC M, ESC =); intermediates are not given the text after them.
  const code = kind.charCodeAt(0);
  return code >= 0x30 && code <= 0x7e ? k : k - 1;
}
