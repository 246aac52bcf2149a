/** The JSON shape of an alert, shared by `shelltrail alerts --json` and GET /api/alerts. */
import type { AlertRecord } from '../store/index.ts';

/** The JSON shape of an alert for `--json` (the API's shape too). */
export function alertJson(a: AlertRecord) {
  return {
    id: a.alertId,
    status: a.status,
    level: a.level,
    rule: { id: a.ruleId, title: a.ruleTitle, author: a.ruleAuthor, tags: a.tags },
    sessionId: a.sessionId,
    actor: a.actor,
    target: a.target,
    user: a.user,
    command: a.commandText,
    commandAt: a.commandAt === null ? null : new Date(a.commandAt).toISOString(),
    detail: a.detail,
    link: a.link,
    raisedAt: new Date(a.createdAt).toISOString(),
    statusBy: a.statusBy,
    statusReason: a.statusReason,
  };
}

/** Levels and statuses for filters (routes and pages take them from here, not from the store). */
export { ALERT_LEVELS, ALERT_STATUSES } from '../store/alerts.ts';
