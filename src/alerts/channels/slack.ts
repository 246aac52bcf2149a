/**
 * Slack incoming webhook: a readable message (Block Kit) with the rule and level, who, where, the
 * command (redacted; left out for link-only channels) and a link to the replay at that moment.
 * Text from transcripts is escaped for Slack's mrkdwn so it cannot add mentions or links.
 */
import type { AlertPayload } from '../payload.ts';
import { postJson } from './http.ts';

/** Escapes the three characters Slack's mrkdwn gives meaning to. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LEVEL_MARK: Record<string, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':white_circle:',
  informational: ':white_circle:',
};

/** Slack refuses a section text over 3,000 characters; the code fence and room to spare fit under it. */
const MAX_SECTION = 2900;

/**
 * `text` escaped for mrkdwn and cut to `max` characters of the escaped form, never inside an entity
 * (`&amp;` `&lt;` `&gt;`) or a surrogate pair; a cut text ends with `…`. Cutting before escaping
 * let a command full of `<>&` grow past Slack's limit (5 characters each), and the message died.
 */
export function slackEscapeCut(text: string, max: number): string {
  const escaped = slackEscape(text);
  if (escaped.length <= max) return escaped;
  let cut = max - 1;
  const amp = escaped.lastIndexOf('&', cut - 1);
  // An entity is at most 5 characters: one that starts within the last 4 and does not end before the cut is cut.
  if (amp >= 0 && amp > cut - 5 && escaped.indexOf(';', amp) >= cut) cut = amp;
  const c = escaped.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${escaped.slice(0, cut)}…`;
}

/** The incoming-webhook body for one alert. */
export function slackMessage(p: AlertPayload): Record<string, unknown> {
  const title = `${p.rule.level.toUpperCase()}: ${p.rule.title}`;
  const fields = [
    ['Who', p.actor ?? 'unknown'],
    ['Where', p.target ?? 'unknown'],
    ['As user', p.user ?? 'unknown'],
    ['When', p.at ?? p.raisedAt],
  ].map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v!)}` }));
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    { type: 'section', fields },
  ];
  if (p.command !== undefined) {
    // Backticks would close the code block early; a look-alike keeps the command readable.
    const shown = slackEscapeCut(p.command.replace(/`/g, 'ˋ'), MAX_SECTION - 6);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${shown}\`\`\`` } });
  }
  if (p.detail)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscapeCut(p.detail, MAX_SECTION) } });
  const context = [`${LEVEL_MARK[p.rule.level] ?? ''} rule \`${slackEscape(p.rule.id)}\``];
  if (p.sessionId) context.push(`session \`${slackEscape(p.sessionId)}\``);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  if (p.link)
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open the replay at this moment' }, url: p.link },
      ],
    });
  return { text: `${title} (${p.actor ?? 'unknown'} on ${p.target ?? 'unknown'})`, blocks };
}

export async function sendSlack(url: string, payload: AlertPayload, timeoutSeconds: number): Promise<void> {
  await postJson(url, JSON.stringify(slackMessage(payload)), {}, timeoutSeconds * 1000);
}
