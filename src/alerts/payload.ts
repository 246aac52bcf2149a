/**
 * What an alert looks like when it leaves the system. Command text is redacted (configured secret
 * patterns) or left out entirely for link-only channels; the replay link then carries only the
 * time, since the deep link's `cmd` parameter would carry the command itself.
 */
import type { AlertRecord } from '../store/index.ts';
import type { Redactor } from './redact.ts';

export interface AlertPayload {
  id: number;
  rule: { id: string; title: string; author: string | null; level: string; tags: string[] };
  status: string;
  sessionId: string | null;
  actor: string | null;
  target: string | null;
  user: string | null;
  /** Redacted; absent in link-only mode. */
  command?: string;
  /** When the command ran (ISO), when known. */
  at: string | null;
  detail: string | null;
  /** Absolute URL of the replay at that command. */
  link: string | null;
  raisedAt: string;
}

/** The link without its `cmd` parameter (the text could hold what redaction removed). */
function withoutCommand(link: string): string {
  const [path, query = ''] = link.split('?', 2);
  const kept = query.split('&').filter((p) => p !== '' && !p.startsWith('cmd='));
  return kept.length ? `${path}?${kept.join('&')}` : path!;
}

/**
 * @example alertPayload(alert, { baseUrl: 'https://audit.example.com', linkOnly: false, redact })
 */
export function alertPayload(
  alert: AlertRecord,
  options: { baseUrl: string; linkOnly: boolean; redact: Redactor },
): AlertPayload {
  const text = alert.commandText;
  const redacted = text === null ? null : options.redact(text);
  const exposeText = !options.linkOnly && text !== null && redacted === text;
  const base = options.baseUrl.replace(/\/+$/, '');
  const link = alert.link === null ? null : `${base}${exposeText ? alert.link : withoutCommand(alert.link)}`;
  return {
    id: alert.alertId,
    rule: {
      id: alert.ruleId,
      title: alert.ruleTitle,
      author: alert.ruleAuthor,
      level: alert.level,
      tags: alert.tags,
    },
    status: alert.status,
    sessionId: alert.sessionId,
    actor: alert.actor,
    target: alert.target,
    user: alert.user,
    ...(options.linkOnly || redacted === null ? {} : { command: redacted }),
    at: alert.commandAt === null ? null : new Date(alert.commandAt).toISOString(),
    detail: alert.detail,
    link,
    raisedAt: new Date(alert.createdAt).toISOString(),
  };
}
