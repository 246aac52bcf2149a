/**
 * Pure: whether a session's transcripts arrived where they were expected (coverage), and the
 * `missing` / `partial` findings that follow. Part of the session projection (projection.ts).
 */
import { type Coverage, type EndSource, isRecordable, type SessionKind } from '../domain.ts';
import type {
  ExpectedDestinations,
  FindingSink,
  ProjectionSettings,
  TranscriptEvidence,
} from './projection.ts';

/** A CloudWatch stream whose last event is this far before the session end stopped early. */
const STREAM_GAP_MS = 5 * 60_000;

export interface CoverageInput {
  kind: SessionKind;
  accountId: string | null;
  region: string | null;
  documentName: string | null;
  endedAt: number | null;
  endSource: EndSource | null;
  transcripts: TranscriptEvidence[];
  /** Last CloudWatch event of the session's streams, if any. */
  cwLast: number | null;
}

/**
 * not_recordable (tunnels), open (running, or its transcript not yet due), complete (every expected
 * destination arrived), partial (one is missing, or the stream stops early), missing (nothing).
 * A destination that is not expected never makes a session partial.
 */
export function coverageOf(
  input: CoverageInput,
  settings: ProjectionSettings,
  finding: FindingSink,
): Coverage {
  const { endedAt, transcripts } = input;
  if (!isRecordable(input.kind)) return 'not_recordable';
  if (endedAt == null) return 'open';
  const expected = expectedFor(settings.expectedDestinations, input);
  const overdue = settings.now() - endedAt > settings.missingGraceMs;
  if (transcripts.length === 0) {
    if (expected && !expected.s3 && !expected.cloudwatch) return 'complete';
    if (!overdue) return 'open';
    finding('missing', 'no_transcript', 'the session ended and no transcript arrived');
    return 'missing';
  }
  let coverage: Coverage = 'complete';
  const has = (source: 's3' | 'cloudwatch') => transcripts.some((t) => t.source === source);
  if (expected?.s3 && !has('s3') && overdue) {
    coverage = 'partial';
    finding('partial', 'no_s3', 'S3 is an expected destination and no S3 log arrived');
  }
  if (expected?.cloudwatch && !has('cloudwatch') && overdue) {
    coverage = 'partial';
    finding('partial', 'no_cloudwatch', 'CloudWatch Logs is an expected destination and no stream arrived');
  }
  const { cwLast } = input;
  if (cwLast != null && input.endSource !== 'transcript_cloudwatch' && endedAt - cwLast > STREAM_GAP_MS) {
    coverage = 'partial';
    const gapMin = Math.round((endedAt - cwLast) / 60_000);
    finding('partial', 'cw_stops_early', `the CloudWatch stream stops ${gapMin} min before the session ends`);
  }
  return coverage;
}

/** The most specific configured destination rule for this session, or undefined (unknown). */
function expectedFor(
  rules: ExpectedDestinations[],
  session: Pick<CoverageInput, 'accountId' | 'region' | 'documentName'>,
): ExpectedDestinations | undefined {
  let best: ExpectedDestinations | undefined;
  let bestScore = -1;
  for (const r of rules) {
    if (r.accountId && r.accountId !== session.accountId) continue;
    if (r.region && r.region !== session.region) continue;
    if (r.documentName && r.documentName !== session.documentName) continue;
    const score = (r.accountId ? 1 : 0) + (r.region ? 1 : 0) + (r.documentName ? 2 : 0);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  return best;
}
