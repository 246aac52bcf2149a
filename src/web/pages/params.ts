/** Query-string values the pages accept: ISO dates/times or ages such as `7d`, `12h`. */

/** ms UTC for `2026-11-24`, `2026-11-24T08:00`, `7d`, `12h`, `30m`; undefined when empty or unreadable. */
export function parseTime(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const age = /^(\d{1,5})([dhm])$/.exec(value);
  if (age)
    return now - Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as 'd' | 'h' | 'm'];
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?Z?$/.test(value);
  if (!iso) return undefined;
  const ms = Date.parse(
    value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T').replace(/Z?$/, 'Z')}`,
  );
  return Number.isFinite(ms) ? ms : undefined;
}
