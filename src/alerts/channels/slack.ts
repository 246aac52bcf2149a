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

const MAX_COMMAND = 2500;

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
    const shown = slackEscape(p.command.slice(0, MAX_COMMAND)).replace(/`/g, 'ˋ');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${shown}\`\`\`` } });
  }
  if (p.detail) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscape(p.detail) } });
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
