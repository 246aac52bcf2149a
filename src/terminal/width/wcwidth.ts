/**
 * Display width of a code point as the shell's line editor counts it (glibc `wcwidth`, see
 * glibc.ts): 0 for combining marks and zero-width characters, 2 for East Asian wide/fullwidth
 * characters and wide emoji, 1 otherwise. Width inference and the emulator use the same rule.
 */
import { GLIBC_UNICODE } from './glibc.ts';

export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  return GLIBC_UNICODE.wcwidth(cp);
}
