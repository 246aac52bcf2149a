/**
 * The JSON shapes shelltrail hands out: sessions, attempts, findings, extracted commands and search
 * results. One definition, used by the CLI's `--json` output today and by the API next, so the two
 * never drift. Stable camelCase fields, times as ISO-8601 UTC strings, null when unknown.
 */
import type {
  AttemptRow,
  Finding,
  QuarantineRow,
  SearchHit,
  SearchResult,
  SessionRow,
} from '../store/index.ts';
import type { ExtractedCommand } from '../terminal/types.ts';

/** ISO-8601 UTC for a millisecond time, null when unknown. */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

/** A session as `sessions --json` prints it. */
export function sessionJson(s: SessionRow) {
  return {
    sessionId: s.sessionId,
    kind: s.kind,
    startedAt: isoOrNull(s.startedAt),
    // Only what evidence says (endSource names it); null when nothing recorded the end.
    endedAt: isoOrNull(s.endedAt),
    endSource: s.endSource,
    // The assumption (start + maxDurationHours) used as a deadline when endedAt is null.
    assumedEndAt: isoOrNull(s.assumedEndAt),
    accountId: s.accountId,
    region: s.region,
    target: s.target,
    principalArn: s.principalArn,
    principalType: s.principalType,
    actor: s.actor,
    sourceIp: s.sourceIp,
    userAgent: s.userAgent,
    documentName: s.documentName,
    parameters: s.parameters ? (JSON.parse(s.parameters) as unknown) : null,
    reason: s.reason,
    status: s.status,
    terminatedBy: s.terminatedBy,
    coverage: s.coverage,
    transcriptSources: s.transcriptSources,
    // false: identity and target come only from a transcript, which the node wrote (unconfirmed).
    identityVerified: s.identityVerified,
    // CloudTrail records of this session seen in several versions: each version and its sources.
    conflicts: s.conflicts,
    runAsUser: s.runAsUser,
    termCols: s.termCols,
    // null when the commands are complete; else why not (over_budget, truncated, failed).
    commandsIncomplete: s.commandsIncomplete,
  };
}

/** A denied or failed StartSession call as `attempts --json` prints it. */
export function attemptJson(a: AttemptRow) {
  return {
    eventId: a.eventId,
    at: isoOrNull(a.eventTime),
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    accountId: a.accountId,
    region: a.region,
    target: a.target,
    documentName: a.documentName,
    reason: a.reason,
    principalArn: a.principalArn,
    principalType: a.principalType,
    actor: a.actor,
    sourceIp: a.sourceIp,
    userAgent: a.userAgent,
  };
}

/** An audit finding as `findings --json` prints it. */
export function findingJson(f: Finding) {
  return {
    findingId: f.findingId,
    kind: f.kind,
    code: f.code,
    sessionId: f.sessionId,
    detail: f.detail,
    detectedAt: isoOrNull(f.detectedAt),
    actor: f.actor,
    target: f.target,
    sessionStartedAt: isoOrNull(f.startedAt),
  };
}

/** An extracted command as `commands <file> --json` prints it. */
export function commandJson(c: ExtractedCommand) {
  return {
    seq: c.seq,
    text: c.text,
    user: c.user,
    executed: c.executed,
    at: isoOrNull(c.at),
    atPrecision: c.atPrecision,
    cwd: c.cwd,
    exitCode: c.exitCode,
    fidelity: c.fidelity,
  };
}

/** A search hit: every field of the hit, its time as ISO-8601; the snippet has « » around matches. */
export function searchHitJson(h: SearchHit) {
  // The session's start serves deep links only; the hit's JSON stays the command and its session.
  const { sessionStartedAt: _, ...hit } = h;
  return { ...hit, at: isoOrNull(h.at) };
}

/** A page of search results as `search --json` prints it: the total, whether it is exact, the hits. */
export function searchResultJson(result: SearchResult) {
  return {
    total: result.total,
    totalExact: result.totalExact,
    hits: result.hits.map(searchHitJson),
  };
}

/** A quarantined evidence item as `quarantine --json` prints it. */
export function quarantineJson(q: QuarantineRow) {
  return { sourceId: q.sourceId, itemKey: q.itemKey, reason: q.reason, detail: q.detail };
}
