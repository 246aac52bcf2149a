/**
 * Scheduled rules as a pass: after each poll, every correlation rule whose cron time has come since
 * it last ran is evaluated over its window, and its alerts are recorded with their deliveries. It
 * runs where the passes run: in the one process holding the writer lease. A schedule is checked at
 * the worker's pace, so it fires at the first poll at or after its time; a process that starts
 * evaluates every rule once.
 *
 * One alert per condition (rule + group values) for as long as it keeps holding: a run that finds a
 * group that already held at the rule's previous run raises nothing, a group that stopped holding
 * and comes back raises a new alert. A process keeps which groups held in memory; after a restart
 * a group counts as still holding when the rule alerted on it within its timespan (read from the
 * store), so a restart in a new window does not alert again. Deliveries follow `notifyMaxAge`
 * against the time of the group's latest event, so history pages nobody.
 */
import type { Pass, PassContext, PassCounters } from '../analyze/pass.ts';
import type { AlertsConfig, DetectionConfig } from '../config-detection.ts';
import type { NewAlert, Store } from '../store/index.ts';
import { atLeast, channelsFor } from './build.ts';
import { correlate, correlationAlert, groupKey, groupKeyOf } from './correlation/evaluate.ts';
import { type CorrelationRule, loadScheduledRules } from './correlation/rules.ts';
import { type LogEvent, type LogSource, readEvents } from './correlation/sources.ts';
import { createSuppressor } from './match.ts';

export interface ScheduledCounters extends PassCounters {
  scheduledRulesRun: number;
  scheduledAlertsRaised: number;
}

export interface ScheduledPassOptions {
  detection: DetectionConfig;
  alerts: Pick<AlertsConfig, 'channels' | 'scheduledBuiltin' | 'scheduledRuleDirs'>;
  rules?: CorrelationRule[];
  now?: () => number;
}

/** The groups (group keys) that met each rule's condition at its last run in this process. */
export type HoldingState = Map<string, Set<string>>;

/** Groups of `rule` it alerted on within its timespan before `now`: what held before a restart. */
async function recentlyAlerted(store: Store, rule: CorrelationRule, now: number): Promise<Set<string>> {
  const held = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await store.alerts.list(
      { ruleId: rule.id, since: now - rule.timespanMs },
      { limit: 1000, ...(cursor ? { cursor } : {}) },
    );
    for (const a of page.items) {
      const key = groupKeyOf(rule.id, a.dedupKey);
      if (key !== null) held.add(key);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return held;
}

/**
 * Evaluates `rules` at `now`: the new alerts (not yet stored) and which groups hold now. `previous`
 * is what held at each rule's last run in this process; a rule without an entry asks the store.
 */
export async function evaluateScheduled(
  store: Store,
  rules: CorrelationRule[],
  now: number,
  options: Pick<ScheduledPassOptions, 'detection' | 'alerts'>,
  previous: HoldingState = new Map(),
): Promise<{ alerts: NewAlert[]; holding: HoldingState }> {
  const suppressor = createSuppressor(
    options.detection.suppressions,
    await store.suppressions.list({ activeAt: now }),
  );
  const policy = {
    channels: options.alerts.channels,
    notifyMaxAgeMs: options.detection.notifyMaxAgeMinutes * 60_000,
    suppressor,
    now,
  };
  const cache = new Map<string, LogEvent[]>();
  const alerts: NewAlert[] = [];
  const holding: HoldingState = new Map();
  for (const rule of rules) {
    const since = now - rule.timespanMs;
    const perBase: LogEvent[][] = [];
    for (const base of rule.rules) {
      const key = `${base.source}:${since}`;
      let events = cache.get(key);
      if (!events) {
        events = await readEvents(
          store,
          base.source as LogSource,
          since,
          now,
          options.detection.productionTargets,
        );
        cache.set(key, events);
      }
      perBase.push(events.filter((e) => base.test(e.values)));
    }
    const held = previous.get(rule.id) ?? (await recentlyAlerted(store, rule, now));
    const holds = new Set<string>();
    holding.set(rule.id, holds);
    for (const hit of correlate(rule, perBase)) {
      const group = groupKey(rule, hit);
      holds.add(group);
      if (held.has(group)) continue;
      const draft = correlationAlert(rule, hit, now, []);
      const reason = suppressor.reasonFor(
        { ruleId: rule.id, actor: draft.actor, target: draft.target, commandText: null },
        now,
      );
      alerts.push(
        reason
          ? { ...draft, status: 'suppressed', detail: `${draft.detail} (suppressed: ${reason})` }
          : // Timed by the group's latest event: findings and sessions from an import of history
            // are recorded, not notified.
            { ...draft, notify: channelsFor(policy, rule.level, hit.lastAt) },
      );
    }
  }
  return { alerts, holding };
}

/**
 * @example passes: [extractPass, createScheduledRulesPass({ detection: config.detection, alerts: config.alerts })]
 */
export function createScheduledRulesPass(
  options: ScheduledPassOptions,
): Pass & { run(ctx: PassContext): Promise<ScheduledCounters> } {
  const now = options.now ?? Date.now;
  let rules = options.rules;
  const lastRun = new Map<string, number>();
  const holding: HoldingState = new Map();
  return {
    name: 'scheduled',
    run: async function runScheduledPass({ store, signal, log }) {
      const done: ScheduledCounters = { scheduledRulesRun: 0, scheduledAlertsRaised: 0 };
      if (!rules) {
        const loaded = loadScheduledRules({
          builtin: options.alerts.scheduledBuiltin,
          dirs: options.alerts.scheduledRuleDirs,
        });
        rules = loaded.rules;
        // Only what needs attention: a rule that did not load. (A healthy load is silent, so a
        // scripted `import` prints nothing on stderr.)
        if (loaded.skipped.length > 0)
          log(`${rules.length} scheduled rules loaded, ${loaded.skipped.length} skipped`);
        for (const s of loaded.skipped) log(`skipped ${s.source}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
      }
      const at = now();
      const disabled = new Set(options.detection.disabledRules);
      for (const s of await store.rules.list()) if (!s.enabled) disabled.add(s.ruleId);
      const due = rules.filter((r) => {
        if (disabled.has(r.id) || !atLeast(r.level, options.detection.minLevel)) return false;
        const last = lastRun.get(r.id);
        return last === undefined || r.schedule.next(last) <= at;
      });
      if (due.length === 0 || signal.aborted) return done;
      const { alerts, holding: current } = await evaluateScheduled(store, due, at, options, holding);
      const outcome = await store.alerts.record(alerts);
      // Only once the alerts are stored: a failed write must not leave a group marked as alerted.
      for (const [id, groups] of current) holding.set(id, groups);
      for (const r of due) lastRun.set(r.id, at);
      done.scheduledRulesRun = due.length;
      done.scheduledAlertsRaised = outcome.inserted;
      return done;
    },
  };
}
