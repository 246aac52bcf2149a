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
 * How the two forms' command lists compare. The agent's CloudWatch processing explains commands
 * marked lossy there (stripped redraws, split lines); a command CloudWatch shows exactly that the
 * S3 object lacks is not explained by it: someone edited one copy (an S3 log rewritten without a
 * command), and the integrity finding `forms_disagree` says so.
 */
export interface FormsComparison {
  /** Some command exists in one form only, beyond what the CloudWatch processing explains. */
  disagree: boolean;
  /** CloudWatch commands no S3 command matches and CloudWatch does not mark lossy. */
  cloudWatchOnly: ExtractedCommand[];
  /** S3 commands no CloudWatch command matches (reported; CloudWatch can lose lines). */
  s3Only: ExtractedCommand[];
}

/** For each S3 command, the index of its CloudWatch partner or -1 (in order, windowed, linear). */
function align(s3: readonly ExtractedCommand[], cw: readonly ExtractedCommand[]): number[] {
  let next = 0;
  return s3.map((command) => {
    let best = -1;
    let bestScore = 0;
    for (let k = next; k < Math.min(cw.length, next + WINDOW); k++) {
      const score = similarity(command.text, cw[k]!.text);
      if (score > bestScore) {
        best = k;
        bestScore = score;
        if (score === 1) break;
      }
    }
    if (best < 0 || bestScore < MIN_SIMILARITY) return -1;
    next = best + 1;
    return best;
  });
}

/**
 * Compares the commands extracted from the S3 form and the CloudWatch form of one session.
 * @example compareForms(s3, cw).cloudWatchOnly // commands an edited S3 log dropped
 */
export function compareForms(s3: ExtractionResult, cw: ExtractionResult): FormsComparison {
  return compareAligned(s3, cw, align(s3.commands, cw.commands));
}

/** S3 commands either side of a CloudWatch-only command's place that may explain it. */
const EXPLAIN_REACH = 3;

function compareAligned(s3: ExtractionResult, cw: ExtractionResult, partners: number[]): FormsComparison {
  const matched = new Set(partners.filter((k) => k >= 0));
  // Where each CloudWatch command falls among the S3 commands: after the last S3 command matched before it.
  const place: number[] = [];
  let s3Index = 0;
  for (let k = 0; k < cw.commands.length; k++) {
    while (s3Index < partners.length && (partners[s3Index]! < 0 || partners[s3Index]! < k)) s3Index++;
    place.push(s3Index);
  }
  const explained = (c: ExtractedCommand, k: number) => {
    // The agent's processing turns a Tab-completed line into its typed prefix (`ls /etc/host`) and
    // a redraw of a command into a piece of it: a part of a nearby S3 command is explained.
    const text = c.text.trim();
    if (text.length === 0) return true;
    const from = Math.max(0, place[k]! - EXPLAIN_REACH);
    for (let i = from; i < Math.min(s3.commands.length, place[k]! + EXPLAIN_REACH); i++) {
      if (s3.commands[i]!.text.includes(text)) return true;
    }
    return false;
  };
  const cloudWatchOnly = cw.commands.filter(
    (c, k) => !matched.has(k) && c.fidelity !== 'lossy' && !explained(c, k),
  );
  const s3Only = s3.commands.filter((_, i) => partners[i]! < 0);
  return { disagree: cloudWatchOnly.length > 0, cloudWatchOnly, s3Only };
}

/**
 * S3 commands (text, user, output, exit codes) with CloudWatch times. An S3 command with no
 * CloudWatch partner keeps its own time, or borrows the previous matched time as 'approximate'.
 * Commands only the CloudWatch copy has (and does not mark lossy) are kept, as `uncertain` with
 * `executed: null`, where CloudWatch shows them; `formsComparison` tells the caller.
 */
export function mergeForms(s3: ExtractionResult, cw: ExtractionResult): ExtractionResult {
  const partners = align(s3.commands, cw.commands);
  const comparison = compareAligned(s3, cw, partners);
  const cwOnly = new Set(comparison.cloudWatchOnly);
  const merged: ExtractedCommand[] = [];
  let previous: ExtractedCommand | null = null;
  let cwNext = 0;
  const takeCloudWatchOnly = (upTo: number) => {
    for (; cwNext < upTo; cwNext++) {
      const only = cw.commands[cwNext]!;
      if (cwOnly.has(only)) merged.push({ ...only, executed: null, fidelity: 'uncertain', exitCode: null });
    }
  };
  s3.commands.forEach((command, i) => {
    const best = partners[i]!;
    let entry: ExtractedCommand = { ...command };
    if (best >= 0) {
      takeCloudWatchOnly(best);
      cwNext = best + 1;
      const partner = cw.commands[best]!;
      entry = {
        ...entry,
        at: partner.at ?? entry.at,
        atPrecision: partner.at != null ? partner.atPrecision : entry.atPrecision,
        cwd: entry.cwd ?? partner.cwd,
        exitCode: entry.exitCode ?? partner.exitCode,
      };
    } else if (entry.at == null && previous?.at != null) {
      entry = { ...entry, at: previous.at, atPrecision: 'approximate' };
    }
    previous = entry;
    merged.push(entry);
  });
  takeCloudWatchOnly(cw.commands.length);
  const commands = merged.map((c, seq) => ({ ...c, seq }));
  return { ...s3, commands, formsComparison: comparison };
}
