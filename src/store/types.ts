/**
 * The shapes that cross the store interface (src/store/index.ts). Plain data, camelCase, times as
 * integer milliseconds UTC: no dialect, driver or ORM type leaks through them, so a second dialect
 * (PostgreSQL) implements the same shapes. The SQLite schema is checked against these at compile
 * time (store/sqlite/schema.ts).
 */
import type { ExtractedCommand } from '../terminal/types.ts';
import type { AlertLevel } from './alerts.ts';
import type { RecordConflict } from './projection.ts';

export type { RecordConflict };

/** A Session Manager CloudTrail record as stored: one per eventID, never updated. */
export interface CtEventRow {
  eventId: string;
  /** StartSession | ResumeSession | TerminateSession */
  eventName: string;
  eventTime: number;
  /** Null for denied StartSession calls. */
  sessionId: string | null;
  accountId: string | null;
  region: string | null;
  target: string | null;
  documentName: string | null;
  /** JSON object of string arrays, or null. */
  parameters: string | null;
  reason: string | null;
  principalArn: string | null;
  principalType: string | null;
  actor: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Where it was first seen: s3://bucket/key, lookup:acct/region, a file path. */
  origin: string;
  /** The record exactly as received (JSON text). */
  raw: string;
  /** Content version (store/record-digest.ts); set by the store, present on rows read back. */
  digest?: string;
}

/** One DescribeSessions observation; a changed status is a new row. */
export interface DescribeSnapshotRow {
  sessionId: string;
  status: string;
  accountId: string | null;
  region: string | null;
  target: string | null;
  documentName: string | null;
  owner: string | null;
  reason: string | null;
  startedAt: number | null;
  endedAt: number | null;
  /** JSON of OutputUrl {S3OutputUrl, CloudWatchOutputUrl}. */
  outputUrl: string | null;
  raw: string;
}

/**
 * A transcript object as received. `transcriptId` is a natural key so re-imports converge:
 * `s3://bucket/key#<versionId|etag>`, `cw://group/stream`, or `file://path#<sha256>`.
 */
export interface TranscriptRow {
  transcriptId: string;
  sessionId: string;
  /** s3 | cloudwatch */
  source: string;
  location: string;
  etag: string | null;
  versionId: string | null;
  sha256: string | null;
  byteSize: number;
  /** script | raw | powershell | cloudwatch | unknown */
  format: string;
  headerTime: number | null;
  lastModified: number | null;
  firstEventAt: number | null;
  lastEventAt: number | null;
  claimedTarget: string | null;
  claimedPrincipalArn: string | null;
  claimedRunAsUser: string | null;
  claimedSessionId: string | null;
}

/** One stored piece of an S3/file transcript: ≤ 1 MiB raw, compressed (store/chunks.ts). */
export interface ChunkRow {
  transcriptId: string;
  seq: number;
  rawSize: number;
  data: Buffer;
}

/** One CloudWatch Logs event of a transcript stream. */
export interface CwEventRow {
  transcriptId: string;
  seq: number;
  timestamp: number;
  ingestionTime: number | null;
  message: string;
}

export interface LedgerEntry {
  itemKey: string;
  version: string;
  outcome: 'done' | 'quarantined';
  records: number;
}

export interface QuarantineEntry {
  itemKey: string;
  reason: string;
  detail: string | null;
}

/** A quarantine entry as listed, with the source that set the item aside. */
export interface QuarantineRow extends QuarantineEntry {
  sourceId: string;
}

/** Everything one source item contributes, committed atomically (evidence.writeBatch). */
export interface EvidenceBatch {
  /** Which configured source produced it, e.g. `cloudtrail-s3:my-bucket`, `local:/path`. */
  sourceId: string;
  ctEvents?: CtEventRow[];
  describeSnapshots?: DescribeSnapshotRow[];
  /** Inserted once; an existing transcript id keeps its row (CloudWatch metadata is refreshed). */
  transcripts?: TranscriptRow[];
  transcriptChunks?: ChunkRow[];
  cwEvents?: CwEventRow[];
  ledger?: LedgerEntry[];
  quarantine?: QuarantineEntry[];
  /**
   * Transcript ids whose chunks were committed ahead of their transcript row (spilled) and whose
   * file was then quarantined (it changed while read): those chunks are removed in this batch's
   * transaction. Only chunks no transcript row owns are removed, so stored evidence never is.
   */
  discardOrphanChunksOf?: string[];
  /** JSON-serializable progress of the source, stored under sourceId. */
  checkpoint?: unknown;
}

export interface BatchOutcome {
  ctEventsInserted: number;
  transcriptsInserted: number;
  sessionsCreated: number;
  sessionsUpdated: number;
  quarantined: number;
}

/**
 * The fields of a session that its evidence decides, typed the same wherever a session appears
 * (the projection that computes them, the row the store hands out).
 */
export interface SessionEvidenceFields {
  sessionId: string;
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
  endedAt: number | null;
  terminatedBy: string | null;
  status: string | null;
  owner: string | null;
  outputUrl: string | null;
  identityVerified: boolean;
  runAsUser: string | null;
  /** start + maxDurationHours when no evidence says when it ended (endedAt is then null). */
  assumedEndAt: number | null;
}

/** A session as the store keeps it: the projection of its evidence, plus what extraction learned. */
export interface SessionRow extends SessionEvidenceFields {
  kind: string;
  startSource: string | null;
  endSource: string | null;
  coverage: string | null;
  transcriptSources: string[];
  termCols: number | null;
  termColsSource: string | null;
  /** Version of the extractor that produced the commands (null: never extracted). */
  extractorVersion: number | null;
  /** Null when the commands are complete; else why not: `over_budget`, `truncated`, `failed`. */
  commandsIncomplete: string | null;
  /** CloudTrail records of this session seen in several versions (identityVerified is then false). */
  conflicts: RecordConflict[];
}

export interface SessionFilters {
  /** Actor (IAM user, role session name, `root`); `*` is a wildcard; case-insensitive. */
  actor?: string;
  target?: string;
  accountId?: string;
  region?: string;
  kind?: string;
  /** The principal's IAM ARN, exact. */
  principal?: string;
  /** The coverage state (domain.ts COVERAGE_STATES), exact. */
  coverage?: string;
  /**
   * Sessions one of whose commands contains this text (literal, case-insensitive, as search).
   * Command text: the role-scoped layer (src/api/scoped-store.ts) refuses it to viewers.
   */
  text?: string;
  /** Sessions started at or after this time (ms). */
  since?: number;
  /** Sessions started before this time (ms). */
  until?: number;
  /**
   * Sessions with alerts: `open` (at least one open alert) or `any` (an alert in any status).
   * With `alertLevel` alone, `open` is meant.
   */
  alerts?: 'open' | 'any';
  /** Counts only alerts of this level and above. */
  alertLevel?: AlertLevel;
}

/** A count that stops at a cap: `exact: false` means at least `count`. */
export interface SessionCount {
  count: number;
  exact: boolean;
}

/** How many sessions match, and as many per coverage state (sessions.count). */
export interface SessionCounts {
  total: SessionCount;
  /** Each coverage state (domain.ts COVERAGE_STATES) with the filters' own coverage replaced by it. */
  coverage: Record<string, SessionCount>;
}

/** Filters of denied attempts: the session filters that apply to a CloudTrail record. */
export type AttemptFilters = Omit<
  SessionFilters,
  'kind' | 'principal' | 'coverage' | 'text' | 'alerts' | 'alertLevel'
>;

/** A denied or failed StartSession call: the attempt columns of its CloudTrail record. */
export type AttemptRow = Omit<CtEventRow, 'eventName' | 'sessionId' | 'parameters' | 'raw'>;

/** A stored command: the extracted fields plus its row id and session. */
export interface StoredCommand extends ExtractedCommand {
  id: number;
  sessionId: string;
}

export type FindingKind = 'missing' | 'partial' | 'integrity';

export interface Finding {
  findingId: string;
  kind: FindingKind;
  code: string;
  sessionId: string;
  detail: string;
  detectedAt: number;
  actor: string | null;
  target: string | null;
  /** The session's start and end, when known: when what the finding is about happened. */
  startedAt: number | null;
  endedAt: number | null;
}

/** A CloudWatch event as read back for extraction and display. */
export interface StoredCwEvent {
  seq: number;
  timestamp: number;
  ingestionTime: number | null;
  message: string;
}

/** Where a CloudWatch stream stands: how many events are stored and the resume point. */
export interface CwStreamPosition {
  count: number;
  lastTimestamp: number | null;
  countAtLast: number;
}

/**
 * One page of a large read. `nextCursor` is opaque: pass it back to get the next page; null when
 * this page is the last. Pages, not open iterators: a SQLite iterator would hold the connection.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  /** Page size; each method documents its default and maximum. */
  limit?: number;
  cursor?: string | null;
}

/** What one extraction produced for a session, committed atomically (extractQueue.complete). */
export interface ExtractionOutcome {
  commands: readonly ExtractedCommand[];
  cols: number | null;
  colsSource: string | null;
  /** Commands seen past the per-session bound and not kept (raises `commands_truncated`). */
  droppedCommands?: number;
  /** The extractor version that produced this (sessions of older versions are extracted again). */
  extractorVersion: number;
  /** Null when complete; else why the commands are incomplete (`over_budget`, `truncated`). */
  commandsIncomplete?: string | null;
  /**
   * The S3 and CloudWatch forms disagree about which commands exist beyond what the agent's
   * CloudWatch processing explains (one copy edited): raises `forms_disagree`. Counts only.
   */
  formsDisagree?: { cloudWatchOnly: number; s3Only: number } | null;
}
