/**
 * Pure: one CloudTrail record -> one ct_events row, or null for noise. Session Manager records are
 * a few percent of a trail, so the noise test comes first and touches two fields only.
 * See /work/shared/reference/ssm-formats.md §1 for the shapes handled here.
 */
import { BadInputError } from '../../errors.ts';
import type { CtEventRow } from '../../store/index.ts';

export const SESSION_EVENT_NAMES: ReadonlySet<string> = new Set([
  'StartSession',
  'ResumeSession',
  'TerminateSession',
]);
const SSM_SOURCE = 'ssm.amazonaws.com';

type Json = Record<string, unknown>;

/** True for the records we keep: the three Session Manager calls of ssm.amazonaws.com. */
export function isSessionRecord(record: unknown): boolean {
  const r = record as Json | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    r.eventSource === SSM_SOURCE &&
    SESSION_EVENT_NAMES.has(r.eventName as string)
  );
}

/**
 * Normalizes a record. Returns null for noise (other services, other SSM calls). Throws
 * BadInputError (`bad_record`) for a Session Manager record we cannot key or date: without an
 * eventID duplicates could not collapse, and without a time nothing about the session is usable.
 *
 * @param raw the record's JSON text as received, when the caller has it (LookupEvents gives a
 *   string); otherwise the parsed record is serialized again.
 * @example normalizeRecord(JSON.parse(line), 'file:///trail/x.json') // -> CtEventRow | null
 */
export function normalizeRecord(record: unknown, origin: string, raw?: string): CtEventRow | null {
  if (!isSessionRecord(record)) return null;
  const r = record as Json;
  const eventId = str(r.eventID);
  if (!eventId) throw new BadInputError('bad_record', `${r.eventName} record without an eventID`);
  // Serializing (and later reading) a record recurses once per level: a record nested 100,000
  // levels deep would overflow the stack and fail its whole file. Such a record is no real one.
  if (nestedDeeperThan(record, MAX_RECORD_DEPTH)) {
    throw new BadInputError(
      'too_deep',
      `${r.eventName} record ${eventId} is nested over ${MAX_RECORD_DEPTH} levels deep`,
    );
  }
  const eventTime = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : Number.NaN;
  if (!Number.isFinite(eventTime)) {
    throw new BadInputError('bad_record', `${r.eventName} record ${eventId} has no valid eventTime`);
  }
  const request = obj(r.requestParameters);
  const response = obj(r.responseElements);
  const identity = obj(r.userIdentity);
  const eventName = r.eventName as string;
  const errorCode = str(r.errorCode);
  const sessionId =
    eventName === 'StartSession'
      ? errorCode
        ? null
        : (str(response?.sessionId) ?? null)
      : (str(request?.sessionId) ?? str(response?.sessionId) ?? null);
  if (eventName === 'StartSession' && !errorCode && !sessionId) {
    throw new BadInputError(
      'bad_record',
      `StartSession record ${eventId} has neither a session id nor an error`,
    );
  }
  return {
    eventId,
    eventName,
    eventTime,
    sessionId,
    accountId: str(r.recipientAccountId) ?? str(identity?.accountId) ?? null,
    region: str(r.awsRegion) ?? null,
    target: str(request?.target) ?? null,
    documentName: str(request?.documentName) ?? null,
    parameters: normalizeParameters(request?.parameters),
    reason: str(request?.reason) ?? null,
    principalArn: str(identity?.arn) ?? null,
    principalType: str(identity?.type) ?? null,
    actor: actorOf(identity),
    sourceIp: str(r.sourceIPAddress) ?? null,
    userAgent: str(r.userAgent) ?? null,
    errorCode: errorCode ?? null,
    errorMessage: str(r.errorMessage) ?? null,
    origin,
    raw: raw ?? JSON.stringify(record),
  };
}

/**
 * Nesting allowed in one record. Real CloudTrail records nest a handful of levels (userIdentity ->
 * sessionContext -> sessionIssuer; requestParameters -> parameters -> lists); 64 is far past any,
 * and far below what recursive JSON.stringify survives.
 */
export const MAX_RECORD_DEPTH = 64;

/** Whether `value` nests arrays or objects more than `limit` levels deep; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * The human behind a userIdentity: IAMUser -> userName, AssumedRole -> role session name (an SSO
 * user's name or email), Root -> `root`; otherwise the ARN, principalId or invoking service.
 * Records without a `type` still carry an ARN most of the time, so the ARN shape decides then.
 */
export function actorOf(identity: Json | undefined): string | null {
  if (!identity) return null;
  const type = str(identity.type);
  const arn = str(identity.arn);
  if (type === 'IAMUser' && str(identity.userName)) return str(identity.userName)!;
  if (type === 'Root') return 'root';
  const assumed = arn && /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  if (assumed && (type === 'AssumedRole' || !type)) return assumed[1]!;
  if (!type && arn) {
    if (/:root$/.test(arn)) return 'root';
    const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (user) return user[1]!;
  }
  if (str(identity.userName)) return str(identity.userName)!;
  return arn ?? str(identity.principalId) ?? str(identity.invokedBy) ?? null;
}

/**
 * StartSession `parameters` is a map of string arrays, but some records carry it as a JSON string
 * (or a bare string). Stored as JSON of a map of string arrays, or null.
 */
export function normalizeParameters(value: unknown): string | null {
  if (value == null) return null;
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return JSON.stringify({ value: [v] });
    }
  }
  if (typeof v !== 'object' || Array.isArray(v) || v === null) return JSON.stringify({ value: [String(v)] });
  const out: Record<string, string[]> = {};
  for (const [k, x] of Object.entries(v as Json)) {
    out[k] = Array.isArray(x) ? x.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [String(x)];
  }
  return JSON.stringify(out);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}
