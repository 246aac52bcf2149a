/**
 * Character widths as the shell's line editor counts them: glibc's `wcwidth`, which readline and
 * the tty use to place the cursor. Where the emulator's own table differs (xterm's Unicode 6 table
 * gives ✅ one column, glibc two), readline's cursor moves land elsewhere on our screen than on the
 * user's and the line read back is wrong. glibc's rule, from Unicode data: East Asian Wide and
 * Fullwidth are 2 (get-east-asian-width), non-spacing and enclosing marks, format characters
 * (except the soft hyphen) and Hangul medial vowels / final consonants are 0, the rest 1.
 */
import type { IUnicodeVersionProvider } from '@xterm/headless';
import { eastAsianWidthType } from 'get-east-asian-width';

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const SOFT_HYPHEN = 0xad;

/** glibc wcwidth of a printable code point (0, 1 or 2). */
export function glibcWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x300) return cp === SOFT_HYPHEN || cp >= 0x20 ? 1 : 0;
  if (cp >= 0x1160 && cp <= 0x11ff) return 0;
  if (cp >= 0xd7b0 && cp <= 0xd7ff) return 0;
  const type = eastAsianWidthType(cp);
  if (type === 'wide' || type === 'fullwidth') return 2;
  if (cp !== SOFT_HYPHEN && ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return 1;
}

/** Widths below this are cached in a table (every printed character asks). */
const TABLE_SIZE = 0x20000;
let table: Uint8Array | null = null;

function cachedWidth(cp: number): 0 | 1 | 2 {
  if (cp >= TABLE_SIZE) return glibcWidth(cp);
  if (table === null) table = new Uint8Array(TABLE_SIZE).fill(255);
  let w = table[cp]!;
  if (w === 255) {
    w = glibcWidth(cp);
    table[cp] = w;
  }
  return w as 0 | 1 | 2;
}

/** The emulator's Unicode provider with glibc widths; joining as xterm's own Unicode 6 provider. */
export const GLIBC_UNICODE: IUnicodeVersionProvider = {
  version: 'glibc',
  wcwidth: cachedWidth,
  charProperties(codepoint: number, preceding: number): number {
    let width: number = cachedWidth(codepoint);
    let join = width === 0 && preceding !== 0;
    if (join) {
      const before = (preceding >> 1) & 3;
      if (before === 0) join = false;
      else if (before > width) width = before;
    }
    // xterm's UnicodeService.createPropertyValue(state 0, width, join).
    return ((width & 3) << 1) | (join ? 1 : 0);
  },
};
