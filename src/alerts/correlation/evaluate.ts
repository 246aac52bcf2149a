/**
 * Evaluates a correlation rule over the events of its base rules in one window, in pure code (no
 * SQL): groups by the `group-by` fields, then counts events, counts distinct values, or checks that
 * every base rule occurred (temporal). Which hits become new alerts (one per condition while it
 * keeps holding) is scheduled-pass.ts's decision; the dedupe key holds the rule, the group and the
 * time the condition started holding.
 */
import type { NewAlert } from '../../store/index.ts';
import { type CorrelationRule, compare } from './rules.ts';
import type { LogEvent } from './sources.ts';
import { LOG_SOURCES } from './sources.ts';

export interface CorrelationHit {
  group: Record<string, string>;
  count: number;
  sessionId: string | null;
  lastAt: number;
  /** Actor and target of the group's latest event, when its source has them. */
  actor: string | null;
  target: string | null;
}

function fieldValue(rule: CorrelationRule, base: number, event: LogEvent, field: string): string {
  const fields = LOG_SOURCES[rule.rules[base]!.source] as readonly string[];
  const i = fields.findIndex((f) => f.toLowerCase() === field.toLowerCase());
  return i < 0 ? '' : (event.values[i] ?? '');
}

/** Groups that meet the rule's condition, given each base rule's matching events in the window. */
export function correlate(rule: CorrelationRule, eventsPerBase: LogEvent[][]): CorrelationHit[] {
  const groups = new Map<
    string,
    {
      group: Record<string, string>;
      events: number;
      bases: Set<number>;
      values: Set<string>;
      sessionId: string | null;
      lastAt: number;
      actor: string | null;
      target: string | null;
    }
  >();
  eventsPerBase.forEach((events, base) => {
    for (const e of events) {
      const group = Object.fromEntries(rule.groupBy.map((f) => [f, fieldValue(rule, base, e, f)]));
      const key = JSON.stringify(rule.groupBy.map((f) => group[f]));
      let g = groups.get(key);
      if (!g) {
        g = {
          group,
          events: 0,
          bases: new Set(),
          values: new Set(),
          sessionId: null,
          lastAt: 0,
          actor: null,
          target: null,
        };
        groups.set(key, g);
      }
      g.events++;
      g.bases.add(base);
      if (rule.field) g.values.add(fieldValue(rule, base, e, rule.field));
      if (e.at >= g.lastAt) {
        g.lastAt = e.at;
        g.sessionId = e.sessionId ?? g.sessionId;
        g.actor = fieldValue(rule, base, e, 'Actor') || g.actor;
        g.target = fieldValue(rule, base, e, 'Target') || g.target;
      }
    }
  });
  const hits: CorrelationHit[] = [];
  for (const g of groups.values()) {
    const count =
      rule.type === 'event_count' ? g.events : rule.type === 'value_count' ? g.values.size : g.bases.size;
    const met =
      rule.type === 'temporal' ? g.bases.size === rule.rules.length : compare(count, rule.condition);
    if (met)
      hits.push({
        group: g.group,
        count,
        sessionId: g.sessionId,
        lastAt: g.lastAt,
        actor: g.actor,
        target: g.target,
      });
  }
  return hits;
}

/**
 * The detail text: `<what> within <span>` then the group values in parentheses. The group values
 * may be command text (a rule grouped by CommandLine or CurrentDirectory); `detailSummary` is the
 * part without them, for readers who must not see command text (viewers, link-only channels).
 */
function describe(rule: CorrelationRule, hit: CorrelationHit): string {
  const span =
    rule.timespanMs % 3_600_000 === 0
      ? `${rule.timespanMs / 3_600_000} h`
      : `${Math.round(rule.timespanMs / 60_000)} min`;
  const what =
    rule.type === 'event_count'
      ? `${hit.count} event${hit.count === 1 ? '' : 's'}`
      : rule.type === 'value_count'
        ? `${hit.count} distinct ${rule.field}`
        : 'all of its rules';
  const group = Object.entries(hit.group)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${what} within ${span}${group ? ` (${group})` : ''}`;
}

/** Whether an alert came from a scheduled rule (its dedupe key says so). */
export function isScheduledAlert(alert: { dedupKey: string }): boolean {
  return alert.dedupKey.startsWith('corr:');
}

/**
 * A scheduled alert's detail without its parenthesised group values and suppression reason (which
 * can hold command text): `3 events within 10 min`. Null for other alerts, whose detail is a
 * suppression reason (which can quote a command pattern).
 */
export function detailSummary(alert: { dedupKey: string; detail: string | null }): string | null {
  if (alert.detail === null || !isScheduledAlert(alert)) return null;
  const cut = alert.detail.indexOf(' (');
  return cut < 0 ? alert.detail : alert.detail.slice(0, cut);
}

/** The group's identity in dedupe keys: the group-by values in order, as JSON. */
export function groupKey(rule: CorrelationRule, hit: CorrelationHit): string {
  return JSON.stringify(rule.groupBy.map((f) => hit.group[f]));
}

/** The group key of a scheduled alert of `ruleId` (from its dedupe key), or null for another rule's. */
export function groupKeyOf(ruleId: string, dedupKey: string): string | null {
  const prefix = `corr:${ruleId}:`;
  const last = dedupKey.lastIndexOf(':');
  return dedupKey.startsWith(prefix) && last >= prefix.length ? dedupKey.slice(prefix.length, last) : null;
}

/**
 * The alert for one hit at `now`; `since` is when this condition (rule + group) started holding,
 * so the key stays the same for as long as it holds and a condition that comes back gets a new one.
 */
export function correlationAlert(
  rule: CorrelationRule,
  hit: CorrelationHit,
  now: number,
  notify: string[],
  since: number = now,
): NewAlert {
  const pick = (f: string) => {
    const k = Object.keys(hit.group).find((g) => g.toLowerCase() === f);
    return k && hit.group[k] ? hit.group[k]! : null;
  };
  const sessionId = pick('session') ?? hit.sessionId;
  return {
    dedupKey: `corr:${rule.id}:${groupKey(rule, hit)}:${since}`,
    ruleId: rule.id,
    ruleTitle: rule.title,
    ruleAuthor: rule.author,
    level: rule.level,
    tags: rule.tags,
    sessionId,
    commandText: null,
    commandAt: null,
    commandSeq: null,
    occurrence: null,
    user: null,
    actor: pick('actor') ?? hit.actor,
    target: pick('target') ?? hit.target,
    detail: describe(rule, hit),
    link: sessionId ? `/sessions/${encodeURIComponent(sessionId)}` : null,
    status: 'open',
    createdAt: now,
    notify,
  };
}
