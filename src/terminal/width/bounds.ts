/**
 * The widths a terminal is believed to have. Evidence outside them is noise or hostile
 * (`ESC[8;1;99999t` would make every row a wrap, or the emulator allocate huge rows).
 */
export const MIN_COLS = 20;
export const MAX_COLS = 1000;

export function clampCols(cols: number): number {
  return Math.min(MAX_COLS, Math.max(MIN_COLS, Math.floor(cols)));
}
