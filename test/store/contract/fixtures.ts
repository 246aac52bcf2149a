/** Evidence rows for the contract tests, built by hand so the contract depends on the interface only. */
import { gzipSync } from 'node:zlib';
import type {
  ChunkRow,
  CtEventRow,
  CwEventRow,
  DescribeSnapshotRow,
  ProjectionSettings,
  TranscriptRow,
} from '../../../src/store/index.ts';

export const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
export const HOUR = 3_600_000;

export function settings(now = T0 + 48 * HOUR): ProjectionSettings {
  return { maxDurationMs: 24 * HOUR, missingGraceMs: HOUR, expectedDestinations: [], now: () => now };
}

export function startSession(sessionId: string, at: number, extra: Partial<CtEventRow> = {}): CtEventRow {
  return {
    eventId: `start-${sessionId}`,
    eventName: 'StartSession',
    eventTime: at,
    sessionId,
    accountId: '111122223333',
    region: 'eu-west-1',
    target: 'i-0aa11bb22cc33dd44',
    documentName: null,
    parameters: null,
    reason: null,
    principalArn: `arn:aws:sts::111122223333:assumed-role/Admin/${sessionId.split('-')[0]}`,
    principalType: 'AssumedRole',
    actor: sessionId.split('-')[0]!,
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli/2',
    errorCode: null,
    errorMessage: null,
    origin: 'contract',
    raw: JSON.stringify({ eventID: `start-${sessionId}` }),
    ...extra,
  };
}

export function terminateSession(sessionId: string, at: number): CtEventRow {
  return { ...startSession(sessionId, at), eventId: `end-${sessionId}`, eventName: 'TerminateSession' };
}

export function deniedStart(eventId: string, actor: string, at: number): CtEventRow {
  return {
    ...startSession(`${actor}-denied`, at),
    eventId,
    sessionId: null,
    actor,
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized',
  };
}

export function describeSnapshot(
  sessionId: string,
  status: string,
  startedAt: number,
  endedAt: number | null,
): DescribeSnapshotRow {
  return {
    sessionId,
    status,
    accountId: '111122223333',
    region: 'eu-west-1',
    target: 'i-0aa11bb22cc33dd44',
    documentName: null,
    owner: null,
    reason: null,
    startedAt,
    endedAt,
    outputUrl: null,
    raw: JSON.stringify({ SessionId: sessionId, Status: status }),
  };
}

export function s3Transcript(
  sessionId: string,
  bytes: Buffer,
  uploadedAt: number,
): { transcript: TranscriptRow; chunks: ChunkRow[] } {
  const transcriptId = `s3://logs/${sessionId}.log#etag1`;
  const half = Math.floor(bytes.length / 2);
  const parts = [bytes.subarray(0, half), bytes.subarray(half)];
  return {
    transcript: {
      transcriptId,
      sessionId,
      source: 's3',
      location: `s3://logs/${sessionId}.log`,
      etag: 'etag1',
      versionId: null,
      sha256: null,
      byteSize: bytes.length,
      format: 'raw',
      headerTime: null,
      lastModified: uploadedAt,
      firstEventAt: null,
      lastEventAt: null,
      claimedTarget: null,
      claimedPrincipalArn: null,
      claimedRunAsUser: null,
      claimedSessionId: null,
    },
    chunks: parts.map((p, seq) => ({ transcriptId, seq, rawSize: p.length, data: gzipSync(p) })),
  };
}

export function cwTranscript(
  sessionId: string,
  messages: string[],
  firstAt: number,
): { transcript: TranscriptRow; events: CwEventRow[] } {
  const transcriptId = `cw:///ssm/${sessionId}`;
  return {
    transcript: {
      ...s3Transcript(sessionId, Buffer.alloc(0), firstAt).transcript,
      transcriptId,
      source: 'cloudwatch',
      location: `cw:///ssm/${sessionId}`,
      etag: null,
      byteSize: 0,
      format: 'cloudwatch',
      lastModified: null,
    },
    events: messages.map((message, seq) => ({
      transcriptId,
      seq,
      timestamp: firstAt + seq * 1000,
      ingestionTime: null,
      message,
    })),
  };
}
