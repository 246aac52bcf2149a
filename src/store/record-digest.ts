/**
 * What makes two CloudTrail records "the same version" of one eventID: every field shelltrail reads
 * from it, not where it was found (`origin`) nor its exact bytes (`raw`: a trail file and
 * LookupEvents serialise the same record differently). A forged record reusing a genuine eventID
 * with another principal or target is a second version, kept beside the first, never a duplicate.
 */
import { createHash } from 'node:crypto';
import type { CtEventRow } from './types.ts';

const FIELDS = [
  'eventName',
  'eventTime',
  'sessionId',
  'accountId',
  'region',
  'target',
  'documentName',
  'parameters',
  'reason',
  'principalArn',
  'principalType',
  'actor',
  'sourceIp',
  'userAgent',
  'errorCode',
  'errorMessage',
] as const satisfies readonly (keyof CtEventRow)[];

/** A short, stable digest of the record's content (hex SHA-256 of its fields as a JSON array). */
export function recordDigest(row: Pick<CtEventRow, (typeof FIELDS)[number]>): string {
  return createHash('sha256')
    .update(JSON.stringify(FIELDS.map((f) => row[f] ?? null)))
    .digest('hex')
    .slice(0, 32);
}
