/**
 * What an alert looks like when it leaves the system. Command text is redacted (secret patterns)
 * or left out entirely for link-only channels; the replay link then carries only the time, since
 * the deep link's `cmd` parameter would carry the command itself. The `detail` can hold command
 * text too (a scheduled rule grouped by CommandLine or CurrentDirectory; a suppression reason), so
 * it is redacted, and link-only channels get only a scheduled alert's summary (`3 events within
 * 10 min`), never its group values.
 */
import type { AlertRecord } from '../store/index.ts';
import { detailSummary } from './correlation/evaluate.ts';
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
  /** Redacted; link-only: a scheduled alert's summary without group values, else null. */
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
    detail: options.linkOnly
      ? detailSummary(alert)
      : alert.detail === null
        ? null
        : options.redact(alert.detail),
    link,
    raisedAt: new Date(alert.createdAt).toISOString(),
  };
}
