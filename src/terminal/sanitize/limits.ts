/**
 * Bounds the sanitizer applies before the emulator sees a byte. Every value here is what a real
 * program needs, with room; anything past it is an attack on the emulator's time or memory.
 */

/**
 * Parameters kept per CSI (xterm.js itself keeps 32 and drops the rest); sub-parameters likewise.
 * SGR with truecolour needs 5 per colour, so 32 is several times what any program sends.
 */
export const MAX_CSI_PARAMS = 32;
export const MAX_CSI_SUBPARAMS = 32;

/**
 * Upper bound of any parameter whose meaning is not a count or position (mode numbers such as
 * 2004 or 1049, SGR colours, window operations): no such parameter needs more than 16 bits.
 */
export const MAX_GENERIC_PARAM = 65_535;

/**
 * Bytes of one OSC/DCS/SOS/PM/APC string passed to the emulator. Titles, OSC 133 marks, OSC 7
 * paths and OSC 8 links fit in a fraction of it; past it the string is cut (the rest is dropped
 * until its terminator) and counted. xterm.js would otherwise buffer up to 10 million characters
 * per string, and a 20 MB unterminated OSC took 805 MB.
 */
export const MAX_STRING_BYTES = 8 * 1024;

/** What a CSI's numeric parameters count or address, by final byte (no prefix, no intermediate). */
export const AXIS_GENERIC = 0;
export const AXIS_ROWS = 1;
export const AXIS_COLS = 2;
/** CUP/HVP: row then column. */
export const AXIS_ROW_COL = 3;

/**
 * Counts and positions: xterm.js loops once per unit for IL, DL, SU, SD, CHT, CBT and REP, so a
 * count of 2^31 runs for minutes (or, for REP, allocates gigabytes). Clamped to the screen's rows
 * or columns, every one of them does exactly what the unclamped one would on that screen (cursor
 * moves stop at the margin, inserting more lines than the region holds clears it), except REP,
 * which repeats at most one row's worth.
 */
export const CSI_AXIS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const c of 'ABEFLMSTder') table[c.charCodeAt(0)] = AXIS_ROWS;
  for (const c of '@CDGIPXZ`ab') table[c.charCodeAt(0)] = AXIS_COLS;
  table['H'.charCodeAt(0)] = AXIS_ROW_COL;
  table['f'.charCodeAt(0)] = AXIS_ROW_COL;
  return table;
})();
