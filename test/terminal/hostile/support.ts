/**
 * Hostile sessions built the way real shells echo them: prompt, echoed keystrokes, Enter. The raw
 * pty bytes (`\r\n` line ends) give the CloudWatch form through the agent's processing; the S3 form
 * is what `script` makes of them (every `\n` becomes `\r\n`, so lines end in `\r\r\n`).
 */
import { cloudWatchLines } from '../../../src/ingest/normalize/cloudwatch-events.ts';
import { extractFromBytes, extractFromCloudWatch } from '../../../src/terminal/index.ts';
import type { ExtractedCommand, ExtractionResult } from '../../../src/terminal/types.ts';
import { simulateCloudWatchStreaming } from '../../support/agent-processing.ts';

export const HIDDEN = 'sudo rm -rf /var/log/audit';

export interface Shell {
  name: string;
  /** One prompt cycle: the prompt, the typed line and Enter, as the pty shows them. */
  cycle(typed: string): string;
}

/** dash: no line editor; the tty echoes the keys. */
export const DASH: Shell = { name: 'dash-style `$ `', cycle: (typed) => `$ ${typed}\r\n` };

/** bash 5: bracketed-paste markers around each prompt cycle, a `user@host:~$ ` prompt. */
export const BASH: Shell = {
  name: 'bash-style `user@host:~$ `',
  cycle: (typed) => `\x1b[?2004huser@host:~$ ${typed}\r\n\x1b[?2004l\r`,
};

/** The S3 form of raw pty bytes. */
export function s3Form(raw: string): string {
  return raw.replace(/\n/g, '\r\n');
}

const enc = new TextEncoder();

export async function fromS3(raw: string): Promise<ExtractionResult> {
  return extractFromBytes([enc.encode(s3Form(raw))], { cols: 80 });
}

/** The CloudWatch streaming form: the agent strips ANSI per line (keeping lines it cannot strip). */
export function fromCloudWatch(raw: string): ExtractionResult {
  const start = Date.UTC(2026, 11, 5, 9, 0, 0);
  const events = simulateCloudWatchStreaming(
    [{ atMs: start, bytes: enc.encode(raw) }],
    {
      region: 'eu-west-1',
      target: 'i-0123456789abcdef0',
      userArn: 'arn:aws:iam::1:user/x',
      runAsUser: 'ssm-user',
      sessionId: 'x-0123456789abcdef0',
    },
    { startMs: start, endMs: start + 500 },
  );
  return extractFromCloudWatch(cloudWatchLines(events), { cols: 80 });
}

/** Commands the session shows as certain (exact or lossy). */
export function certain(commands: ExtractedCommand[]): string[] {
  return commands.filter((c) => c.fidelity !== 'uncertain').map((c) => c.text);
}

/** The hidden command as extracted (its text starts with HIDDEN), or undefined. */
export function hidden(commands: ExtractedCommand[]): ExtractedCommand | undefined {
  return commands.find((c) => c.text.startsWith(HIDDEN));
}
