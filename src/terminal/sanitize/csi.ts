/** One CSI sequence as the sanitizer reads it, its clamping, and its rebuilt bytes. */
import {
  AXIS_COLS,
  AXIS_ROW_COL,
  AXIS_ROWS,
  CSI_AXIS,
  MAX_CSI_PARAMS,
  MAX_CSI_SUBPARAMS,
  MAX_GENERIC_PARAM,
} from './limits.ts';

export interface CsiParams {
  /** `?`, `>`, `=`, `<` or 0. */
  prefix: number;
  /** Parameter values in order, -1 where a parameter was left empty. */
  values: number[];
  /** Whether the separator after values[k] was `:` (the next value is a sub-parameter). */
  subs: boolean[];
  intermediates: string;
  final: number;
  clamped: boolean;
}

export function newCsiParams(): CsiParams {
  return { prefix: 0, values: [], subs: [], intermediates: '', final: 0, clamped: false };
}

/** Sequences with intermediates whose parameters count columns (xterm.js loops over them). */
const COLUMN_COUNTS = new Set([' @', ' A', "'}", "'~"]);

/** Sequences with intermediates that programs send (cursor style, soft reset, mode requests). */
export const KNOWN_INTERMEDIATE = new Set([
  ' q',
  '!p',
  '"q',
  '$p',
  '%m',
  '"p',
  "'w",
  "'z",
  "'{",
  "'|",
  '$}',
  '$~',
]);

export interface Bounds {
  rows: number;
  cols: number;
}

/**
 * The value a parameter may have: counts and positions at most the screen's rows or columns
 * (see CSI_AXIS), every other parameter at most MAX_GENERIC_PARAM. 0 and empty stay as they are.
 */
export function clampParam(
  csi: CsiParams,
  index: number,
  sub: boolean,
  value: number,
  screen: Bounds,
): number {
  if (value <= 0) return value;
  let bound = MAX_GENERIC_PARAM;
  if (sub || csi.prefix !== 0) bound = MAX_GENERIC_PARAM;
  else if (csi.intermediates !== '') {
    if (COLUMN_COUNTS.has(csi.intermediates + String.fromCharCode(csi.final))) bound = screen.cols;
  } else {
    const axis = csi.final < 128 ? CSI_AXIS[csi.final]! : 0;
    if (axis === AXIS_ROWS || (axis === AXIS_ROW_COL && index === 0)) bound = screen.rows;
    else if (axis === AXIS_COLS || (axis === AXIS_ROW_COL && index === 1)) bound = screen.cols;
  }
  return value > bound ? Math.max(1, bound) : value;
}

/** Clamps every parameter in place; returns how many changed. */
export function clampAll(csi: CsiParams, screen: Bounds): number {
  let clamped = 0;
  let index = 0;
  for (let k = 0; k < csi.values.length; k++) {
    const sub = k > 0 && csi.subs[k - 1] === true;
    if (k > 0 && !sub) index++;
    const before = csi.values[k]!;
    const after = clampParam(csi, index, sub, before, screen);
    if (after !== before) {
      csi.values[k] = after;
      clamped++;
    }
  }
  csi.clamped = csi.clamped || clamped > 0;
  return clamped;
}

/**
 * `ESC [` prefix, parameters, intermediates and final byte: what xterm.js reads from the original
 * sequence once clamped, with at most MAX_CSI_PARAMS parameters and MAX_CSI_SUBPARAMS sub-parameters
 * (xterm.js drops the rest too).
 */
export function serializeCsi(csi: CsiParams): Uint8Array {
  let text = '\x1b[';
  if (csi.prefix) text += String.fromCharCode(csi.prefix);
  let params = 0;
  let subParams = 0;
  for (let k = 0; k < csi.values.length; k++) {
    const sub = k > 0 && csi.subs[k - 1] === true;
    if (sub ? ++subParams > MAX_CSI_SUBPARAMS : ++params > MAX_CSI_PARAMS) break;
    if (k > 0) text += sub ? ':' : ';';
    const value = csi.values[k]!;
    if (value >= 0) text += String(value);
  }
  // A trailing empty parameter is what pushParam adds for every sequence: not worth a separator.
  text += csi.intermediates + String.fromCharCode(csi.final);
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
  return bytes;
}
