/**
 * Pure: the session row and its audit findings, derived from all the evidence about one session id.
 * Because the result depends only on the evidence set (never on arrival order), ingestion can
 * receive records in any order, duplicated, from several sources, and still converge.
 */
import {
  accountOfArn,
  actorFromArn,
  type Coverage,
  type EndSource,
  isRecordable,
  kindOfDocument,
  type SessionKind,
} from '../domain.ts';

export interface CtEvidence {
  event_id: string;
  event_name: string;
  event_time: number;
  account_id: string | null;
  region: string | null;
  target: string | null;
  document_name: string | null;
  parameters: string | null;
  reason: string | null;
  principal_arn: string | null;
  principal_type: string | null;
  actor: string | null;
  source_ip: string | null;
  user_agent: string | null;
  error_code: string | null;
}

export interface DescribeEvidence {
  status: string;
  account_id: string | null;
  region: string | null;
  target: string | null;
  document_name: string | null;
  owner: string | null;
  reason: string | null;
  started_at: number | null;
  ended_at: number | null;
  output_url: string | null;
  raw: string;
}

export interface TranscriptEvidence {
  transcript_id: string;
  source: 's3' | 'cloudwatch';
  location: string;
  sha256: string | null;
  last_modified: number | null;
  first_event_at: number | null;
  last_event_at: number | null;
  claimed_target: string | null;
  claimed_principal_arn: string | null;
  claimed_run_as_user: string | null;
  claimed_session_id: string | null;
}

export interface ExpectedDestinations {
  accountId?: string;
  region?: string;
  documentName?: string;
  s3: boolean;
  cloudwatch: boolean;
}

export interface ProjectionSettings {
  maxDurationMs: number;
  missingGraceMs: number;
  expectedDestinations: ExpectedDestinations[];
  now: () => number;
}

export interface ProjectedSession {
  sessionId: string;
  kind: SessionKind;
  accountId: string | null;
  region: string | null;
  target: string | null;
  principalArn: string | null;
  principalType: string | null;
  actor: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  documentName: string | null;
  parameters: string | null;
  reason: string | null;
  startedAt: number | null;
  startSource: 'cloudtrail' | 'describe' | 'transcript' | null;
  endedAt: number | null;
  endSource: EndSource | null;
  terminatedBy: string | null;
  status: string | null;
  owner: string | null;
  outputUrl: string | null;
  identityVerified: boolean;
  runAsUser: string | null;
  coverage: Coverage;
  transcriptSources: string;
}

export interface ProjectedFinding {
  findingId: string;
  kind: 'missing' | 'partial' | 'integrity';
  code: string;
  detail: string;
}

/** SSM ends a session after at most 60 idle minutes: a stream silent that long has ended. */
const MAX_IDLE_MS = 60 * 60_000;
/** A CloudWatch stream whose last event is this far before the session end stopped early. */
const STREAM_GAP_MS = 5 * 60_000;
const DESCRIBE_STATUS_RANK: Record<string, number> = {
  Terminated: 5,
  Failed: 4,
  Terminating: 3,
  Disconnected: 2,
};

export function projectSession(
  sessionId: string,
  ct: CtEvidence[],
  describe: DescribeEvidence[],
  transcripts: TranscriptEvidence[],
  settings: ProjectionSettings,
): { session: ProjectedSession; findings: ProjectedFinding[] } | null {
  const byTime = (a: CtEvidence, b: CtEvidence) =>
    a.event_time - b.event_time || a.event_id.localeCompare(b.event_id);
  const start = ct.filter((e) => e.event_name === 'StartSession' && !e.error_code).sort(byTime)[0];
  const terminate = ct.filter((e) => e.event_name === 'TerminateSession' && !e.error_code).sort(byTime)[0];
  const desc = [...describe].sort(
    (a, b) =>
      (DESCRIBE_STATUS_RANK[b.status] ?? 0) - (DESCRIBE_STATUS_RANK[a.status] ?? 0) ||
      (b.ended_at ?? 0) - (a.ended_at ?? 0) ||
      a.raw.localeCompare(b.raw),
  )[0];
  const s3 = transcripts.filter((t) => t.source === 's3');
  const cw = transcripts.filter((t) => t.source === 'cloudwatch');
  if (!start && !desc && transcripts.length === 0 && !terminate) return null;

  const claimedArn = first(transcripts.map((t) => t.claimed_principal_arn));
  const claimedTarget = first(transcripts.map((t) => t.claimed_target));
  const principalArn = start?.principal_arn ?? desc?.owner ?? claimedArn;
  const documentName = start?.document_name ?? desc?.document_name ?? null;
  const kind: SessionKind = start || desc?.document_name ? kindOfDocument(documentName) : 'shell';
  const accountId =
    start?.account_id ?? desc?.account_id ?? accountOfArn(principalArn) ?? terminate?.account_id ?? null;
  const region = start?.region ?? desc?.region ?? terminate?.region ?? null;
  const target = start?.target ?? desc?.target ?? claimedTarget;
  const cwFirst = min(cw.map((t) => t.first_event_at));
  const cwLast = max(cw.map((t) => t.last_event_at));
  const s3Uploaded = min(s3.map((t) => t.last_modified));

  let startedAt: number | null = null;
  let startSource: ProjectedSession['startSource'] = null;
  if (start) [startedAt, startSource] = [start.event_time, 'cloudtrail'];
  else if (desc?.started_at != null) [startedAt, startSource] = [desc.started_at, 'describe'];
  else if (cwFirst != null) [startedAt, startSource] = [cwFirst, 'transcript'];

  const now = settings.now();
  let endedAt: number | null = null;
  let endSource: EndSource | null = null;
  if (terminate) [endedAt, endSource] = [terminate.event_time, 'terminate'];
  else if (desc?.ended_at != null) [endedAt, endSource] = [desc.ended_at, 'describe'];
  else if (cwLast != null && (s3.length > 0 || now - cwLast > MAX_IDLE_MS))
    [endedAt, endSource] = [cwLast, 'transcript_cloudwatch'];
  else if (s3Uploaded != null) [endedAt, endSource] = [s3Uploaded, 'transcript_s3'];
  else if (startedAt != null && desc?.status !== 'Connected' && now > startedAt + settings.maxDurationMs)
    [endedAt, endSource] = [startedAt + settings.maxDurationMs, 'max_duration'];

  const sources = [...new Set(transcripts.map((t) => t.source))].sort();
  const findings: ProjectedFinding[] = [];
  const finding = (kind: ProjectedFinding['kind'], code: string, detail: string) =>
    findings.push({ findingId: `${kind}:${sessionId}:${code}`, kind, code, detail });

  let coverage: Coverage;
  const expected = expectedFor(settings.expectedDestinations, accountId, region, documentName);
  const overdue = endedAt != null && now - endedAt > settings.missingGraceMs;
  if (!isRecordable(kind)) coverage = 'not_recordable';
  else if (endedAt == null) coverage = 'open';
  else if (transcripts.length === 0) {
    const expectsNothing = expected && !expected.s3 && !expected.cloudwatch;
    coverage = expectsNothing ? 'complete' : overdue ? 'missing' : 'open';
    if (coverage === 'missing')
      finding('missing', 'no_transcript', 'the session ended and no transcript arrived');
  } else {
    coverage = 'complete';
    if (expected?.s3 && s3.length === 0 && overdue) {
      coverage = 'partial';
      finding('partial', 'no_s3', 'S3 is an expected destination and no S3 log arrived');
    }
    if (expected?.cloudwatch && cw.length === 0 && overdue) {
      coverage = 'partial';
      finding('partial', 'no_cloudwatch', 'CloudWatch Logs is an expected destination and no stream arrived');
    }
    if (cwLast != null && endSource !== 'transcript_cloudwatch' && endedAt - cwLast > STREAM_GAP_MS) {
      coverage = 'partial';
      const gapMin = Math.round((endedAt - cwLast) / 60_000);
      finding(
        'partial',
        'cw_stops_early',
        `the CloudWatch stream stops ${gapMin} min before the session ends`,
      );
    }
  }
  if (start || desc) integrityFindings(target, principalArn, transcripts, finding);
  for (const t of transcripts) {
    // The object is filed under one session but its content names another: copied or forged.
    if (t.claimed_session_id && t.claimed_session_id !== sessionId) {
      finding(
        'integrity',
        `session_mismatch:${t.transcript_id}`,
        `${t.location} names session ${t.claimed_session_id} inside`,
      );
    }
  }
  if (s3.length > 1) {
    const byLocation = new Map<string, Set<string>>();
    for (const t of s3)
      byLocation.set(t.location, (byLocation.get(t.location) ?? new Set()).add(t.sha256 ?? ''));
    for (const [location, hashes] of byLocation) {
      if (hashes.size > 1)
        finding(
          'integrity',
          `object_changed:${location}`,
          `${location} exists in ${hashes.size} different versions`,
        );
    }
  }

  return {
    session: {
      sessionId,
      kind,
      accountId,
      region,
      target,
      principalArn,
      principalType: start?.principal_type ?? null,
      actor: start?.actor ?? actorFromArn(principalArn),
      sourceIp: start?.source_ip ?? null,
      userAgent: start?.user_agent ?? null,
      documentName,
      parameters: start?.parameters ?? null,
      reason: start?.reason ?? desc?.reason ?? null,
      startedAt,
      startSource,
      endedAt,
      endSource,
      terminatedBy: terminate?.actor ?? null,
      status: desc?.status ?? null,
      owner: desc?.owner ?? null,
      outputUrl: desc?.output_url ?? null,
      identityVerified: Boolean(start || desc),
      runAsUser: first(cw.map((t) => t.claimed_run_as_user)),
      coverage,
      transcriptSources: JSON.stringify(sources),
    },
    findings,
  };
}

/** Transcripts are written by the node: a claim that contradicts the AWS API is a finding. */
function integrityFindings(
  target: string | null,
  principalArn: string | null,
  transcripts: TranscriptEvidence[],
  finding: (kind: 'integrity', code: string, detail: string) => void,
): void {
  for (const t of transcripts) {
    if (t.claimed_target && target && t.claimed_target !== target) {
      finding(
        'integrity',
        `target_mismatch:${t.transcript_id}`,
        `${t.location} claims target ${t.claimed_target}, CloudTrail says ${target}`,
      );
    }
    if (t.claimed_principal_arn && principalArn && t.claimed_principal_arn !== principalArn) {
      finding(
        'integrity',
        `owner_mismatch:${t.transcript_id}`,
        `${t.location} claims owner ${t.claimed_principal_arn}, CloudTrail says ${principalArn}`,
      );
    }
  }
}

/** The most specific configured destination rule for this session, or undefined (unknown). */
function expectedFor(
  rules: ExpectedDestinations[],
  accountId: string | null,
  region: string | null,
  documentName: string | null,
): ExpectedDestinations | undefined {
  let best: ExpectedDestinations | undefined;
  let bestScore = -1;
  for (const r of rules) {
    if (r.accountId && r.accountId !== accountId) continue;
    if (r.region && r.region !== region) continue;
    if (r.documentName && r.documentName !== documentName) continue;
    const score = (r.accountId ? 1 : 0) + (r.region ? 1 : 0) + (r.documentName ? 2 : 0);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  return best;
}

const first = <T>(xs: (T | null)[]): T | null => xs.find((x) => x != null) ?? null;
const min = (xs: (number | null)[]) =>
  xs.reduce<number | null>((m, x) => (x != null && (m == null || x < m) ? x : m), null);
const max = (xs: (number | null)[]) =>
  xs.reduce<number | null>((m, x) => (x != null && (m == null || x > m) ? x : m), null);
