/**
 * Scheduled rules as a pass: after each poll, every correlation rule whose cron time has come since
 * it last ran is evaluated over its window, and its alerts are recorded (deduplicated per group and
 * window) with their deliveries. It runs where the passes run: in the one process holding the
 * writer lease. A schedule is checked at the worker's pace, so it fires at the first poll at or
 * after its time; a process that starts evaluates every rule once.
 */
import type { Pass, PassContext, PassCounters } from '../analyze/pass.ts';
import type { AlertsConfig, DetectionConfig } from '../config-detection.ts';
import type { NewAlert, Store } from '../store/index.ts';
import { atLeast, channelsFor } from './build.ts';
import { correlate, correlationAlert } from './correlation/evaluate.ts';
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

/** Evaluates `rules` at `now` and returns their alerts (not yet stored). */
export async function evaluateScheduled(
  store: Store,
  rules: CorrelationRule[],
  now: number,
  options: Pick<ScheduledPassOptions, 'detection' | 'alerts'>,
): Promise<NewAlert[]> {
  const suppressor = createSuppressor(
    options.detection.suppressions,
    await store.suppressions.list({ activeAt: now }),
  );
  const cache = new Map<string, LogEvent[]>();
  const alerts: NewAlert[] = [];
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
    for (const hit of correlate(rule, perBase)) {
      const draft = correlationAlert(rule, hit, now, []);
      const reason = suppressor.reasonFor(
        { ruleId: rule.id, actor: draft.actor, target: draft.target, commandText: null },
        now,
      );
      alerts.push(
        reason
          ? { ...draft, status: 'suppressed', detail: `${draft.detail} (suppressed: ${reason})` }
          : {
              ...draft,
              notify: channelsFor(
                {
                  channels: options.alerts.channels,
                  notifyMaxAgeMs: Number.POSITIVE_INFINITY,
                  suppressor,
                  now,
                },
                rule.level,
                now,
              ),
            },
      );
    }
  }
  return alerts;
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
      const alerts = await evaluateScheduled(store, due, at, options);
      const outcome = await store.alerts.record(alerts);
      for (const r of due) lastRun.set(r.id, at);
      done.scheduledRulesRun = due.length;
      done.scheduledAlertsRaised = outcome.inserted;
      return done;
    },
  };
}
