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
  kindOfDocument,
  type SessionKind,
} from '../domain.ts';
import { coverageOf } from './coverage.ts';
import { integrityFindings } from './integrity.ts';
import type { SessionEvidenceFields } from './types.ts';

export interface CtEvidence {
  event_id: string;
  /** Content version (record-digest.ts): two digests for one event_id are a conflict. */
  digest: string;
  /** Where this copy was found. */
  origin: string;
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

export interface ProjectedSession extends SessionEvidenceFields {
  kind: SessionKind;
  startSource: 'cloudtrail' | 'describe' | 'transcript' | null;
  endSource: EndSource | null;
  coverage: Coverage;
  transcriptSources: string;
  /** JSON of RecordConflict[]: CloudTrail records of this session that exist in several versions. */
  conflicts: string;
}

/**
 * One CloudTrail eventID seen with different content. Neither version wins: the session shows as
 * unverified with every version and where it came from, until digest validation says which file
 * AWS signed.
 */
export interface RecordConflict {
  eventId: string;
  eventName: string;
  versions: {
    digest: string;
    sources: string[];
    eventTime: number;
    principalArn: string | null;
    actor: string | null;
    target: string | null;
    sourceIp: string | null;
  }[];
}

/** How the projection's parts report a finding. */
export type FindingSink = (kind: ProjectedFinding['kind'], code: string, detail: string) => void;

export interface ProjectedFinding {
  findingId: string;
  kind: 'missing' | 'partial' | 'integrity';
  code: string;
  detail: string;
}

/** SSM ends a session after at most 60 idle minutes: a stream silent that long has ended. */
const MAX_IDLE_MS = 60 * 60_000;
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
  // One entry per version (a version delivered by several sources is one), in an order that depends
  // on content only, never on which file arrived first or what it was called.
  const versions = distinctVersions(ct);
  const conflicts = conflictsOf(versions, ct);
  const byTime = (a: CtEvidence, b: CtEvidence) =>
    a.event_time - b.event_time || a.event_id.localeCompare(b.event_id) || a.digest.localeCompare(b.digest);
  ct = versions;
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
  // Nothing says when it ended: the assumption gets its own field, never endedAt, and serves only
  // as the deadline coverage works with (past it, a session that recorded nothing is `missing`).
  const assumedEndAt = endedAt == null && startedAt != null ? startedAt + settings.maxDurationMs : null;
  const assumedOver = assumedEndAt != null && desc?.status !== 'Connected' && now > assumedEndAt;
  const coverageEnd = endedAt ?? (assumedOver ? assumedEndAt : null);

  const sources = [...new Set(transcripts.map((t) => t.source))].sort();
  const findings: ProjectedFinding[] = [];
  const finding = (kind: ProjectedFinding['kind'], code: string, detail: string) =>
    findings.push({ findingId: `${kind}:${sessionId}:${code}`, kind, code, detail });

  const coverage = coverageOf(
    { kind, accountId, region, documentName, endedAt: coverageEnd, endSource, transcripts, cwLast },
    settings,
    finding,
  );
  for (const c of conflicts) {
    const described = c.versions
      .map(
        (v) =>
          `${v.principalArn ?? 'no principal'} on ${v.target ?? 'no target'} from ${v.sources.join(', ')}`,
      )
      .join('; ');
    finding(
      'integrity',
      `conflicting_record:${c.eventId}`,
      `CloudTrail record ${c.eventId} (${c.eventName}) exists in ${c.versions.length} versions: ${described}`,
    );
  }
  // With conflicting versions, a transcript agreeing with any one of them is not a mismatch: the
  // conflict finding already says the identity is in doubt.
  const starts = ct.filter((e) => e.event_name === 'StartSession' && !e.error_code);
  const knownTargets = conflicts.length ? starts.map((e) => e.target) : [target];
  const knownPrincipals = conflicts.length ? starts.map((e) => e.principal_arn) : [principalArn];
  integrityFindings(sessionId, Boolean(start || desc), knownTargets, knownPrincipals, transcripts, finding);

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
      identityVerified: Boolean(start || desc) && conflicts.length === 0,
      runAsUser: first(cw.map((t) => t.claimed_run_as_user)),
      coverage,
      transcriptSources: JSON.stringify(sources),
      assumedEndAt,
      conflicts: JSON.stringify(conflicts),
    },
    findings,
  };
}

/** One record per (event_id, digest), the copy from the smallest origin standing for all. */
function distinctVersions(ct: CtEvidence[]): CtEvidence[] {
  const byVersion = new Map<string, CtEvidence>();
  for (const e of ct) {
    const key = `${e.event_id}\u0000${e.digest}`;
    const seen = byVersion.get(key);
    if (!seen || e.origin < seen.origin) byVersion.set(key, e);
  }
  return [...byVersion.values()];
}

/** Event ids with more than one version, each version with every source that delivered it. */
function conflictsOf(versions: CtEvidence[], all: CtEvidence[]): RecordConflict[] {
  const byEvent = new Map<string, CtEvidence[]>();
  for (const v of versions) byEvent.set(v.event_id, [...(byEvent.get(v.event_id) ?? []), v]);
  const conflicts: RecordConflict[] = [];
  for (const [eventId, vs] of [...byEvent].sort(([a], [b]) => a.localeCompare(b))) {
    if (vs.length < 2) continue;
    conflicts.push({
      eventId,
      eventName: vs[0]!.event_name,
      versions: vs
        .sort((a, b) => a.digest.localeCompare(b.digest))
        .map((v) => ({
          digest: v.digest,
          sources: [
            ...new Set(
              all.filter((e) => e.event_id === eventId && e.digest === v.digest).map((e) => e.origin),
            ),
          ].sort(),
          eventTime: v.event_time,
          principalArn: v.principal_arn,
          actor: v.actor,
          target: v.target,
          sourceIp: v.source_ip,
        })),
    });
  }
  return conflicts;
}

const first = <T>(xs: (T | null)[]): T | null => xs.find((x) => x != null) ?? null;
const min = (xs: (number | null)[]) =>
  xs.reduce<number | null>((m, x) => (x != null && (m == null || x < m) ? x : m), null);
const max = (xs: (number | null)[]) =>
  xs.reduce<number | null>((m, x) => (x != null && (m == null || x > m) ? x : m), null);

/** Projection settings from the `sessions` section of the config. */
export function projectionSettings(
  config: {
    maxDurationHours: number;
    missingGraceMinutes: number;
    expectedDestinations: ProjectionSettings['expectedDestinations'];
  },
  now: () => number = Date.now,
): ProjectionSettings {
  return {
    maxDurationMs: config.maxDurationHours * 3_600_000,
    missingGraceMs: config.missingGraceMinutes * 60_000,
    expectedDestinations: config.expectedDestinations,
    now,
  };
}

/**
 * Session facts that command extraction uses (times are spread between start and end, the
 * starting user follows runAsUser): when one changes, the session's commands are extracted again.
 */
export const EXTRACTION_INPUTS = ['startedAt', 'endedAt', 'runAsUser'] as const;
