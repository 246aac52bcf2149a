/** Domain names shared by every layer (see ARCHITECTURE.md "Domain"). Pure, no I/O. */

export const SESSION_KINDS = [
  'shell',
  'port_forward',
  'ssh',
  'interactive_command',
  'non_interactive_command',
  'custom',
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const COVERAGE_STATES = ['not_recordable', 'open', 'complete', 'partial', 'missing'] as const;
export type Coverage = (typeof COVERAGE_STATES)[number];

export type EndSource = 'terminate' | 'describe' | 'transcript_cloudwatch' | 'transcript_s3' | 'max_duration';
export type TranscriptSource = 's3' | 'cloudwatch';

const DOCUMENT_KINDS: Record<string, SessionKind> = {
  'SSM-SessionManagerRunShell': 'shell',
  'AWS-StartPortForwardingSession': 'port_forward',
  'AWS-StartPortForwardingSessionToRemoteHost': 'port_forward',
  'AWS-StartPortForwardingSessionToSocket': 'port_forward',
  'AWS-StartSSHSession': 'ssh',
  'AWS-StartInteractiveCommand': 'interactive_command',
  'AWS-StartNonInteractiveCommand': 'non_interactive_command',
};

/**
 * Session kind from the session document name. No document means the default shell; a document
 * we do not know is a customer's own session document (`custom`), which may still be a shell.
 * Document names may arrive as ARNs (`arn:aws:ssm:...:document/AWS-StartSSHSession`).
 */
export function kindOfDocument(documentName: string | null | undefined): SessionKind {
  if (!documentName) return 'shell';
  const name = documentName.includes(':document/') ? documentName.split(':document/')[1]! : documentName;
  return DOCUMENT_KINDS[name] ?? 'custom';
}

/** Kinds whose data Session Manager only tunnels (end-to-end encrypted): never a transcript. */
export function isRecordable(kind: SessionKind): boolean {
  return kind !== 'port_forward' && kind !== 'ssh';
}

/**
 * The human behind an ARN when that is all we have (transcripts, DescribeSessions owner):
 * assumed-role -> role session name, IAM user -> user name, root -> `root`, else the ARN.
 */
export function actorFromArn(arn: string | null | undefined): string | null {
  if (!arn) return null;
  const assumed = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  if (assumed) return assumed[1]!;
  const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return user[1]!;
  if (/^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn)) return 'root';
  const federated = /^arn:aws[\w-]*:sts::\d{12}:federated-user\/(.+)$/.exec(arn);
  if (federated) return federated[1]!;
  return arn;
}

/** Account id embedded in an IAM/STS ARN, if any. */
export function accountOfArn(arn: string | null | undefined): string | null {
  return arn ? (/^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? null) : null;
}
