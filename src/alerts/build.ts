/**
 * Turns rule matches on a session's commands into alerts: the dedupe key (rule, session, command
 * text, occurrence of that text in the session; never a row id or seq, which change on
 * re-extraction), the replay deep link, suppression, and which channels to notify (none for
 * commands older than `notifyMaxAge`, so importing history pages nobody).
 */
import { createHash } from 'node:crypto';
import { deepLink } from '../api/deep-link.ts';
import type { ChannelConfig } from '../config-detection.ts';
import type { LoadedRule } from '../detect/sigma/index.ts';
import { ALERT_LEVELS } from '../store/alerts.ts';
import type { AlertLevel, NewAlert, SessionRow, StoredCommand } from '../store/index.ts';
import type { Suppressor } from './match.ts';

export interface AlertPolicy {
  channels: Pick<ChannelConfig, 'name' | 'minLevel'>[];
  notifyMaxAgeMs: number;
  suppressor: Suppressor;
  now: number;
}

/** Whether `level` is at least `min`. */
export function atLeast(level: AlertLevel, min: AlertLevel): boolean {
  return ALERT_LEVELS.indexOf(level) >= ALERT_LEVELS.indexOf(min);
}

/** The dedupe key of a command alert; the text is hashed so keys stay short and carry no content. */
export function commandDedupKey(ruleId: string, sessionId: string, text: string, occurrence: number): string {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
  return `cmd:${ruleId}:${sessionId}:${digest}:${occurrence}`;
}

/** The channels an alert of `level` raised `ageMs` after its command goes to (when not suppressed). */
export function channelsFor(policy: AlertPolicy, level: AlertLevel, eventAt: number | null): string[] {
  if (eventAt !== null && policy.now - eventAt > policy.notifyMaxAgeMs) return [];
  return policy.channels.filter((c) => atLeast(level, c.minLevel)).map((c) => c.name);
}

/** One alert for `rule` matching `command` (the `occurrence`-th of its text) in `session`. */
export function commandAlert(
  rule: LoadedRule,
  session: SessionRow | undefined,
  sessionId: string,
  command: StoredCommand,
  occurrence: number,
  policy: AlertPolicy,
): NewAlert {
  const actor = session?.actor ?? null;
  const target = session?.target ?? null;
  const suppressed = policy.suppressor.reasonFor(
    { ruleId: rule.id, actor, target, commandText: command.text },
    policy.now,
  );
  const eventAt = command.at ?? session?.startedAt ?? null;
  return {
    dedupKey: commandDedupKey(rule.id, sessionId, command.text, occurrence),
    ruleId: rule.id,
    ruleTitle: rule.title,
    ruleAuthor: rule.author ?? null,
    level: rule.level,
    tags: rule.tags,
    sessionId,
    commandText: command.text,
    commandAt: command.at,
    commandSeq: command.seq,
    occurrence,
    user: command.user,
    actor,
    target,
    detail: suppressed ? `suppressed: ${suppressed}` : null,
    link: deepLink({ sessionId, startedAt: session?.startedAt ?? null }, command),
    status: suppressed ? 'suppressed' : 'open',
    createdAt: policy.now,
    notify: suppressed ? [] : channelsFor(policy, rule.level, eventAt),
  };
}
