/**
 * What a long import tells the operator: a single self-rewriting line on a terminal (files done /
 * total, records and events per second), and a summary at the end whatever the output is.
 */
import type { IngestCounters } from './source.ts';

export interface ProgressLine {
  stop(): void;
}

/**
 * Redraws the progress line every `everyMs` while counters change; does nothing off a terminal
 * (logs and pipes get the summary only).
 *
 * @example const p = startProgress(process.stderr, counters); try { await work(); } finally { p.stop(); }
 */
export function startProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  counters: IngestCounters,
  options: { everyMs?: number; now?: () => number } = {},
): ProgressLine {
  if (!stream.isTTY) return { stop() {} };
  const now = options.now ?? Date.now;
  const started = now();
  let width = 0;
  const draw = () => {
    const line = progressLine(counters, now() - started);
    stream.write(`\r${line.padEnd(width)}`);
    width = line.length;
  };
  const timer = setInterval(draw, options.everyMs ?? 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw();
      stream.write('\n');
    },
  };
}

export function progressLine(c: IngestCounters, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const total = c.itemsTotal > 0 ? `/${fmt(c.itemsTotal)}` : '';
  return (
    `files ${fmt(c.itemsRead)}${total}  records ${fmt(c.recordsSeen)} (${fmt(c.recordsSeen / seconds)}/s)` +
    `  session events ${fmt(c.sessionEvents)} (${fmt(c.sessionEvents / seconds)}/s)` +
    (c.quarantined > 0 ? `  quarantined ${fmt(c.quarantined)}` : '')
  );
}

/** The end-of-run summary, one fact per line. */
export function summaryLines(
  c: IngestCounters,
  elapsedMs: number,
  findings?: { missing: number; partial: number; integrity: number },
): string[] {
  const lines = [
    `files read:         ${fmt(c.itemsRead)}${c.itemsUnchanged > 0 ? ` (${fmt(c.itemsUnchanged)} unchanged since the last import, skipped)` : ''}`,
    `records seen:       ${fmt(c.recordsSeen)}`,
    `session events:     ${fmt(c.sessionEvents)} new`,
    `sessions:           ${fmt(c.sessionsCreated)} created, ${fmt(c.sessionsUpdated)} updated`,
  ];
  if (c.transcripts > 0) lines.push(`transcripts:        ${fmt(c.transcripts)} new`);
  // The extract pass's counters (src/analyze/extract-pass.ts), when it ran.
  const {
    sessionsExtracted = 0,
    commandsExtracted = 0,
    extractFailures = 0,
    extractOverBudget = 0,
    commandsTruncated = 0,
  } = c.passes;
  if (sessionsExtracted > 0 || extractFailures > 0 || extractOverBudget > 0) {
    lines.push(
      `commands:           ${fmt(commandsExtracted)} from ${fmt(sessionsExtracted)} sessions` +
        (extractFailures > 0 ? `, ${fmt(extractFailures)} sessions failed` : '') +
        (extractOverBudget > 0 ? `, ${fmt(extractOverBudget)} sessions over budget (incomplete)` : ''),
    );
  }
  // Past the per-session cap: counted, not kept, and raised as a commands_truncated finding.
  if (commandsTruncated > 0)
    lines.push(`commands truncated: ${fmt(commandsTruncated)} past the per-session cap`);
  lines.push(`quarantined:        ${fmt(c.quarantined)}`);
  for (const [reason, n] of Object.entries(c.quarantineReasons).sort()) {
    lines.push(`  ${reason.padEnd(18)}${fmt(n)}`);
  }
  if (findings) {
    lines.push(
      `audit findings:     ${fmt(findings.missing)} missing, ${fmt(findings.partial)} partial, ${fmt(findings.integrity)} integrity (in the store)`,
    );
  }
  lines.push(`elapsed:            ${(elapsedMs / 1000).toFixed(1)} s`);
  return lines;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
