/**
 * Cron schedules for scheduled rules: the five standard fields (minute hour day-of-month month
 * day-of-week) with `*`, lists, ranges and steps, in UTC, plus `@hourly` / `@daily`. Small on
 * purpose: the scheduler only asks "when is the next run after t".
 */

export class CronError extends Error {
  override name = 'CronError';
}

const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const ALIASES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
};

export interface Cron {
  /** The first scheduled minute strictly after `after` (ms, UTC), within ~4 years. */
  next(after: number): number;
}

function field(text: string, [lo, hi]: [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const bounds = range === '*' ? [lo, hi] : range.split('-').map(Number);
    const a = bounds[0] ?? Number.NaN;
    const b = bounds[1] ?? (stepText === undefined ? a : hi);
    if (
      !Number.isInteger(a) ||
      !Number.isInteger(b) ||
      !Number.isInteger(step) ||
      step < 1 ||
      a < lo ||
      b > hi ||
      a > b
    )
      throw new CronError(`"${text}" is not a valid cron field (${lo}-${hi})`);
    for (let v = a; v <= b; v += step) out.add(v);
  }
  return out;
}

/**
 * @example parseCron('*\/5 * * * *').next(Date.UTC(2026, 0, 1, 0, 2)) // 00:05
 */
export function parseCron(expression: string): Cron {
  const parts = (ALIASES[expression.trim()] ?? expression).trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`"${expression}" needs 5 fields`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, RANGES[i]!));
  if (weekdays!.has(7)) weekdays!.add(0);
  const anyDay = parts[2] === '*';
  const anyWeekday = parts[4] === '*';
  const dayMatches = (d: Date) => {
    const dom = days!.has(d.getUTCDate());
    const dow = weekdays!.has(d.getUTCDay());
    // Cron's rule: when both are restricted, either one matching is enough.
    return anyDay || anyWeekday ? dom && dow : dom || dow;
  };
  return {
    next(after) {
      const t = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
      const limit = after + 4 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!months!.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hours!.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes!.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else return t.getTime();
      }
      throw new CronError(`"${expression}" never runs`);
    },
  };
}
