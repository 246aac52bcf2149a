/**
 * Transcript shapes as the SSM agent writes them (see /work/shared/reference/ssm-formats.md §2),
 * for tests that need a specific session id or target. Real-shell recordings live in
 * test/fixtures/sessions/ (helper-generated); these builders only wrap bodies the same way.
 */
export const TARGET = 'i-0a1b2c3d4e5f60718';
export const ARN = 'arn:aws:sts::111122223333:assumed-role/OpsRole/alice';

/** The S3 form: `script` header (agent ipcTempFile path), body with `\r\r\n` line ends, footer. */
export function scriptLog(
  sessionId: string,
  body: string | Buffer,
  target = TARGET,
  when = '2025-09-29 16:58:03+00:00',
): Buffer {
  const header = `Script started on ${when} [COMMAND="cat /var/lib/amazon/ssm/${target}/session/orchestration/${sessionId}/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n`;
  const footer = `\nScript done on ${when} [COMMAND_EXIT_CODE="0"]\n`;
  const bytes = typeof body === 'string' ? Buffer.from(body.replace(/\n/g, '\r\r\n'), 'utf8') : body;
  return Buffer.concat([Buffer.from(header), bytes, Buffer.from(footer)]);
}

export function shellBody(commands: string[], prompt = '$ '): string {
  return commands.map((c) => `${prompt}${c}\noutput of ${c}\n`).join('') + prompt;
}

/** One streaming CloudWatch event message as the agent emits it. */
export function agentEvent(
  sessionId: string,
  lines: string[],
  at: number,
  target = TARGET,
  arn = ARN,
): string {
  return JSON.stringify({
    eventVersion: '1.0',
    eventTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    awsRegion: 'ap-northeast-1',
    target: { id: target },
    userIdentity: { arn },
    runAsUser: 'ssm-user',
    sessionId,
    sessionData: lines,
  });
}

export const POWERSHELL = Buffer.from(
  '\uFEFF**********************\r\nWindows PowerShell transcript start\r\nStart time: 20250929165803\r\nUsername: EC2AMAZ\\ssm-user\r\n**********************\r\nPS C:\\Windows\\system32> whoami\r\nec2amaz\\ssm-user\r\n',
  'utf8',
);
