/**
 * Choosing a session's width before emulation starts: a configured width wins, then the byte
 * scanner's evidence, then replay trials, then the configured default.
 */
import { type ColsSource, DEFAULT_COLS, type ExtractOptions } from '../types.ts';
import { clampCols } from './bounds.ts';
import type { WidthScanner } from './scanner.ts';

export interface Width {
  cols: number;
  source: ColsSource;
}

/**
 * Replays the transcript's first `limit` bytes at `cols` and counts the redraws that make no
 * sense at that width (see CommandExtractor.violations); it may stop at the first one.
 */
export type ViolationCounter = (cols: number, limit: number) => number;

export function chooseWidth(
  options: ExtractOptions,
  scanner: WidthScanner | null,
  replay: ViolationCounter | null = null,
): Width {
  if (options.cols) return { cols: clampCols(options.cols), source: 'configured' };
  const guess = scanner?.guess();
  if (guess?.source === 'wrap') {
    // Votes that fit several widths (multiples): the widest one readline's redraws agree with.
    const candidates = scanner!.wrapCandidates();
    if (candidates.length > 1 && replay && scanner!.sawMarkers && scanner!.inputCursorUps > 0) {
      const limit = Math.min(TRIAL_BYTES, scanner!.lastInputCursorUpEnd + TRIAL_SLACK);
      for (const cols of candidates.slice(0, MAX_CANDIDATE_TRIALS))
        if (replay(cols, limit) === 0) return { cols, source: 'wrap' };
    }
    return guess;
  }
  // Readline moved up through a multi-row input line but never showed a wrap point: replay the
  // beginning at common widths and keep the one whose input lines come out clean.
  if (scanner?.sawMarkers && scanner.inputCursorUps > 0 && replay) {
    const tried = trialWidth(replay, scanner.lastInputCursorUpEnd);
    if (tried !== null) return { cols: tried, source: 'wrap' };
  }
  if (guess) return { cols: guess.cols, source: guess.source };
  return { cols: clampCols(options.defaultCols ?? DEFAULT_COLS), source: 'default' };
}

/** Candidate widths replayed at most (each trial replays up to TRIAL_BYTES). */
const MAX_CANDIDATE_TRIALS = 6;
const TRIAL_WIDTHS = [40, 60, 80, 100, 120, 132, 160, 200, 250, 320];
const TRIAL_BYTES = 128 * 1024;
/** Past the last cursor-up redraw a little output still shows whether the prompt came back right. */
const TRIAL_SLACK = 4096;

/**
 * Readline never moves the cursor above its prompt row, but at a width larger than the real one
 * its row arithmetic does (counted as violations); at smaller widths it stays inside the region.
 * So the real width is the largest one without violations: coarse candidates, then bisection.
 * Each trial replays only the prefix up to the last multi-row redraw (where violations can appear).
 */
function trialWidth(replay: ViolationCounter, evidenceEnd: number): number | null {
  const limit = Math.min(TRIAL_BYTES, evidenceEnd + TRIAL_SLACK);
  const violations = (cols: number) => replay(cols, limit);
  // Largest first: too-wide trials stop at their first violation, so only the widths at or below
  // the real one replay the whole prefix (once for the coarse step, then once per bisection step).
  let hi = -1;
  let lo = -1;
  for (let k = TRIAL_WIDTHS.length - 1; k >= 0; k--) {
    const cols = TRIAL_WIDTHS[k]!;
    if (violations(cols) > 0) hi = cols;
    else {
      lo = cols;
      break;
    }
  }
  if (lo < 0 || hi < 0) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (violations(mid) === 0) lo = mid;
    else hi = mid;
  }
  return lo;
}
