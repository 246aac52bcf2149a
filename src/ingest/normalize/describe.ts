/**
 * Pure: one DescribeSessions entry (from the SSM API or saved `aws ssm describe-sessions` output)
 * -> one describe_snapshots row. The API gives Date objects, the CLI prints ISO strings with an
 * offset, some tools write epoch seconds: all three are accepted.
 */
import { accountOfArn } from '../../domain.ts';
import { BadInputError } from '../../errors.ts';
import type { DescribeSnapshotRow } from '../../store/index.ts';

type Json = Record<string, unknown>;

/**
 * @param region the region the API was asked in; for saved output, null (the region is then read
 *   from a CloudWatch output URL when there is one).
 * @example describeSessionToRow({ SessionId: 'alice-0a1b...', Status: 'Terminated', ... }, 'us-east-1')
 */
export function describeSessionToRow(session: unknown, region: string | null): DescribeSnapshotRow {
  const s = session as Json | null;
  if (!s || typeof s !== 'object' || typeof s.SessionId !== 'string' || !s.SessionId) {
    throw new BadInputError('bad_record', 'describe-sessions entry without a SessionId');
  }
  const status = typeof s.Status === 'string' && s.Status ? s.Status : 'Unknown';
  const outputUrl = s.OutputUrl && typeof s.OutputUrl === 'object' ? (s.OutputUrl as Json) : null;
  const hasOutput = outputUrl && Object.values(outputUrl).some((v) => typeof v === 'string' && v !== '');
  const owner = typeof s.Owner === 'string' ? s.Owner : null;
  return {
    sessionId: s.SessionId,
    status,
    accountId: accountOfArn(owner),
    region: region ?? regionOfOutputUrl(outputUrl),
    target: typeof s.Target === 'string' ? s.Target : null,
    documentName: typeof s.DocumentName === 'string' ? s.DocumentName : null,
    owner,
    reason: typeof s.Reason === 'string' && s.Reason ? s.Reason : null,
    startedAt: toMs(s.StartDate),
    endedAt: toMs(s.EndDate),
    outputUrl: hasOutput ? JSON.stringify(outputUrl) : null,
    // Dates serialize to ISO strings: the same session polled twice gives the same raw text, so
    // an unchanged observation collapses onto its existing row.
    raw: JSON.stringify(s),
  };
}

function toMs(v: unknown): number | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() : null;
  if (typeof v === 'number') return Number.isFinite(v) ? (v < 1e11 ? Math.round(v * 1000) : v) : null;
  if (typeof v === 'string' && v) {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

function regionOfOutputUrl(url: Json | null): string | null {
  const text = typeof url?.CloudWatchOutputUrl === 'string' ? url.CloudWatchOutputUrl : '';
  return /[?&]region=([a-z0-9-]+)/.exec(text)?.[1] ?? null;
}
