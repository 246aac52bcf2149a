/**
 * Both forms of one session: the S3 object has every byte (fidelity), CloudWatch has ~1 s event
 * times (timing). Commands are aligned in order by text similarity within a sliding window, so
 * the merge is linear and survives commands missing from either side.
 */
import type { ExtractedCommand, ExtractionResult } from './types.ts';

const WINDOW = 25;
const MIN_SIMILARITY = 0.6;
const COMPARE_CHARS = 512;

/** Dice coefficient over character bigrams: 1 for equal strings, near 0 for unrelated ones. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = a.slice(0, COMPARE_CHARS);
  const y = b.slice(0, COMPARE_CHARS);
  if (x.length < 2 || y.length < 2) return x === y ? 1 : 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) {
    const g = x.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const g = y.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      shared++;
      grams.set(g, n - 1);
    }
  }
  return (2 * shared) / (x.length - 1 + (y.length - 1));
}

/**
 * S3 commands (text, user, output, exit codes) with CloudWatch times. An S3 command with no
 * CloudWatch partner keeps its own time, or borrows the previous matched time as 'approximate'.
 */
export function mergeForms(s3: ExtractionResult, cw: ExtractionResult): ExtractionResult {
  let next = 0;
  let previous: ExtractedCommand | null = null;
  const commands = s3.commands.map((command) => {
    let best = -1;
    let bestScore = 0;
    for (let k = next; k < Math.min(cw.commands.length, next + WINDOW); k++) {
      const score = similarity(command.text, cw.commands[k]!.text);
      if (score > bestScore) {
        best = k;
        bestScore = score;
        if (score === 1) break;
      }
    }
    let merged: ExtractedCommand = { ...command };
    if (best >= 0 && bestScore >= MIN_SIMILARITY) {
      const partner = cw.commands[best]!;
      next = best + 1;
      merged = {
        ...merged,
        at: partner.at ?? merged.at,
        atPrecision: partner.at != null ? partner.atPrecision : merged.atPrecision,
        cwd: merged.cwd ?? partner.cwd,
        exitCode: merged.exitCode ?? partner.exitCode,
      };
    } else if (merged.at == null && previous?.at != null) {
      merged = { ...merged, at: previous.at, atPrecision: 'approximate' };
    }
    previous = merged;
    return merged;
  });
  return { ...s3, commands };
}
