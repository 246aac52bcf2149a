/**
 * Pure: integrity findings. Transcripts are written by the node, so whoever controls the node can
 * forge them; a claim that contradicts the AWS API or the evidence itself is an audit finding.
 */
import type { FindingSink, TranscriptEvidence } from './projection.ts';

export function integrityFindings(
  sessionId: string,
  /** CloudTrail or DescribeSessions know the session: their target and owner are the truth. */
  verified: boolean,
  /** The targets and principals CloudTrail gives (several only when its records conflict). */
  targets: (string | null)[],
  principalArns: (string | null)[],
  transcripts: TranscriptEvidence[],
  finding: FindingSink,
): void {
  for (const t of transcripts) {
    const target = contradicts(t.claimed_target, targets);
    if (verified && target) {
      finding(
        'integrity',
        `target_mismatch:${t.transcript_id}`,
        `${t.location} claims target ${t.claimed_target}, CloudTrail says ${target}`,
      );
    }
    const owner = contradicts(t.claimed_principal_arn, principalArns);
    if (verified && owner) {
      finding(
        'integrity',
        `owner_mismatch:${t.transcript_id}`,
        `${t.location} claims owner ${t.claimed_principal_arn}, CloudTrail says ${owner}`,
      );
    }
    // Filed under one session, its content names another: copied or forged.
    if (t.claimed_session_id && t.claimed_session_id !== sessionId) {
      finding(
        'integrity',
        `session_mismatch:${t.transcript_id}`,
        `${t.location} names session ${t.claimed_session_id} inside`,
      );
    }
  }
  // Every version of an S3 object is kept; two different ones mean it was rewritten.
  const hashesByLocation = new Map<string, Set<string>>();
  for (const t of transcripts) {
    if (t.source !== 's3') continue;
    hashesByLocation.set(t.location, (hashesByLocation.get(t.location) ?? new Set()).add(t.sha256 ?? ''));
  }
  for (const [location, hashes] of hashesByLocation) {
    if (hashes.size > 1) {
      finding(
        'integrity',
        `object_changed:${location}`,
        `${location} exists in ${hashes.size} different versions`,
      );
    }
  }
}

/** What CloudTrail says instead, when the claim matches none of its values; null when it agrees or nothing is known. */
function contradicts(claim: string | null, known: (string | null)[]): string | null {
  const values = known.filter((k): k is string => k != null);
  if (!claim || values.length === 0 || values.includes(claim)) return null;
  return values.join(' or ');
}
