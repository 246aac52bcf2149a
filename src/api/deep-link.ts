/**
 * Deep links into the replay, in the one format alerts and search share:
 * `/sessions/<id>?at=<seconds from the session start>&cmd=<command text>`. The page resolves the
 * link to the nearest command with that text, so a link survives re-extraction (seq and ids change,
 * text and time do not).
 */

export interface LinkSession {
  sessionId: string;
  startedAt: number | null;
}

export interface LinkCommand {
  text: string;
  at: number | null;
}

/**
 * @example deepLink({ sessionId: 'alice-0a1', startedAt: t0 }, { text: 'sudo -i', at: t0 + 12_500 })
 * // '/sessions/alice-0a1?at=12.5&cmd=sudo%20-i'
 */
export function deepLink(session: LinkSession, command: LinkCommand): string {
  const params: string[] = [];
  if (command.at !== null && session.startedAt !== null)
    params.push(`at=${Math.max(0, Math.round((command.at - session.startedAt) / 100) / 10)}`);
  params.push(`cmd=${encodeURIComponent(command.text)}`);
  return `/sessions/${encodeURIComponent(session.sessionId)}?${params.join('&')}`;
}

/**
 * The index of the command a link points to: among commands with that exact text, the one nearest
 * `at` seconds from the start; the first of them when no time is known (a text-only link, or
 * commands without times) or when two are equally near; -1 when none has the text. Shared by the
 * session page and anything else that opens a link.
 *
 * @example resolveDeepLink({ sessionId: 's', startedAt: t0 }, commands, 12.5, 'sudo -i')
 */
export function resolveDeepLink(
  session: LinkSession,
  commands: readonly LinkCommand[],
  at: number | undefined,
  text: string,
): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  commands.forEach((c, i) => {
    if (c.text !== text) return;
    // Untimed candidates are all "infinitely far": only a timed one nearer than that replaces the
    // first, and ties keep the earlier command (strict comparison).
    const distance =
      at === undefined || c.at === null || session.startedAt === null
        ? Number.POSITIVE_INFINITY
        : Math.abs((c.at - session.startedAt) / 1000 - at);
    if (best === -1 || distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}
