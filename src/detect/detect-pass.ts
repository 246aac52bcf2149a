/**
 * Detection as a pass: drains the detect queue (sessions whose commands an extraction just stored,
 * queued in the same transaction), evaluates every command of each session against the enabled
 * rules, and stores the alerts with their deliveries in one call (`detectQueue.complete`). Alerts
 * carry a dedupe key built from the command text and its occurrence, so running a session again
 * (re-extraction, a rule change) adds only what is new: never a second alert or notification.
 */

import { type AlertPolicy, atLeast, commandAlert } from '../alerts/build.ts';
import { createSuppressor } from '../alerts/match.ts';
import type { Pass, PassContext, PassCounters } from '../analyze/pass.ts';
import type { AlertsConfig, DetectionConfig } from '../config-detection.ts';
import type { NewAlert, Store } from '../store/index.ts';
import {
  compileRuleSet,
  evaluate,
  type LoadedRule,
  type LoadReport,
  loadRules,
  type RuleSet,
} from './sigma/index.ts';

export interface DetectCounters extends PassCounters {
  sessionsDetected: number;
  alertsRaised: number;
  deliveriesQueued: number;
}

export interface DetectPassOptions {
  detection: DetectionConfig;
  alerts: Pick<AlertsConfig, 'channels'>;
  /** Rules already loaded (tests, the bench); default: loaded from `detection` once, on first run. */
  rules?: LoadedRule[];
  now?: () => number;
}

const QUEUE_PAGE = 200;
const COMMAND_PAGE = 10_000;

/** Loads the configured rules (built-in pack and directories) once. */
export function loadConfiguredRules(detection: DetectionConfig): { rules: LoadedRule[]; report: LoadReport } {
  return loadRules({ builtin: detection.builtin, dirs: detection.ruleDirs });
}

/**
 * The detection pass. Rules load on the first run; rule states (enabled/disabled in the UI) and
 * suppressions are read at the start of every run, so a change applies from the next poll.
 *
 * @example passes: [extractPass, createDetectPass({ detection: config.detection, alerts: config.alerts })]
 */
export function createDetectPass(
  options: DetectPassOptions,
): Pass & { run(ctx: PassContext): Promise<DetectCounters> } {
  const now = options.now ?? Date.now;
  let all: LoadedRule[] | undefined = options.rules;
  let compiled: { key: string; set: RuleSet } | undefined;
  return {
    name: 'detect',
    run: async function runDetectPass({ store, signal, log }) {
      const done: DetectCounters = { sessionsDetected: 0, alertsRaised: 0, deliveriesQueued: 0 };
      if ((await store.detectQueue.size()) === 0) return done;
      if (!all) {
        const loaded = loadConfiguredRules(options.detection);
        all = loaded.rules;
        const { report } = loaded;
        log(
          `${report.loaded} rules loaded, ${report.skipped.length} skipped, ${report.notApplicable.length} not applicable`,
        );
      }
      const disabled = new Set(options.detection.disabledRules);
      for (const s of await store.rules.list()) if (!s.enabled) disabled.add(s.ruleId);
      const enabled = all.filter((r) => !disabled.has(r.id) && atLeast(r.level, options.detection.minLevel));
      const key = enabled.map((r) => r.id).join('\n');
      // Compile once per distinct set of enabled rules, not per run.
      if (compiled?.key !== key) compiled = { key, set: compileRuleSet(enabled) };
      const policy: AlertPolicy = {
        channels: options.alerts.channels,
        notifyMaxAgeMs: options.detection.notifyMaxAgeMinutes * 60_000,
        suppressor: createSuppressor(
          options.detection.suppressions,
          await store.suppressions.list({ activeAt: now() }),
        ),
        now: now(),
      };
      let after = '';
      for (;;) {
        const ids = await store.detectQueue.next(after, QUEUE_PAGE);
        if (ids.length === 0) return done;
        for (const sessionId of ids) {
          if (signal.aborted) return done;
          after = sessionId;
          const raised = await detectSession(store, compiled.set, sessionId, policy);
          const outcome = await store.detectQueue.complete(sessionId, raised);
          done.sessionsDetected++;
          done.alertsRaised += outcome.inserted;
          done.deliveriesQueued += outcome.deliveriesQueued;
        }
      }
    },
  };
}

/** Every alert the rules raise on one session's commands (dedupe happens in the store). */
export async function detectSession(
  store: Store,
  set: RuleSet,
  sessionId: string,
  policy: AlertPolicy,
): Promise<NewAlert[]> {
  const session = await store.sessions.get(sessionId);
  const sessionFields = {
    ...(session?.target ? { target: session.target } : {}),
    ...(session?.actor ? { actor: session.actor } : {}),
    ...(session?.principalArn ? { principal: session.principalArn } : {}),
    ...(session?.accountId ? { account: session.accountId } : {}),
    ...(session?.region ? { region: session.region } : {}),
  };
  const occurrences = new Map<string, number>();
  const raised: NewAlert[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.commands.listForSession(sessionId, { limit: COMMAND_PAGE, cursor });
    for (const command of page.items) {
      const occurrence = occurrences.get(command.text) ?? 0;
      occurrences.set(command.text, occurrence + 1);
      // A line typed and abandoned (Ctrl-C) never ran.
      if (command.executed === false) continue;
      const matches = evaluate(set, {
        text: command.text,
        ...(command.user ? { user: command.user } : {}),
        ...(command.cwd ? { cwd: command.cwd } : {}),
        session: sessionFields,
      });
      for (const rule of matches)
        raised.push(commandAlert(rule, session, sessionId, command, occurrence, policy));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return raised;
}
