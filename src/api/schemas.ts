/**
 * The zod schemas of what the API answers; the OpenAPI document is generated from them and the
 * route definitions. They describe the shared JSON shapes of src/analyze/shapes.ts.
 */
import { z } from '@hono/zod-openapi';
import { ALERT_LEVELS, ALERT_STATUSES } from '../alerts/json.ts';

const iso = z.string().nullable();
const str = z.string().nullable();

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

export const SessionSchema = z
  .object({
    sessionId: z.string(),
    kind: z.string(),
    startedAt: iso,
    endedAt: iso,
    endSource: str,
    accountId: str,
    region: str,
    target: str,
    principalArn: str,
    principalType: str,
    actor: str,
    sourceIp: str,
    userAgent: str,
    documentName: str,
    parameters: z.unknown(),
    reason: str,
    status: str,
    terminatedBy: str,
    coverage: str,
    transcriptSources: z.array(z.string()),
    identityVerified: z.boolean(),
    runAsUser: str,
    termCols: z.number().nullable(),
  })
  .openapi('Session');

export const CommandSchema = z
  .object({
    seq: z.number(),
    text: z.string(),
    user: str,
    executed: z.boolean().nullable(),
    at: iso,
    atPrecision: str,
    cwd: str,
    exitCode: z.number().nullable(),
    fidelity: z.string(),
    link: z.string(),
  })
  .openapi('Command');

export const AttemptSchema = z
  .object({
    eventId: z.string(),
    at: iso,
    errorCode: str,
    errorMessage: str,
    accountId: str,
    region: str,
    target: str,
    documentName: str,
    reason: str,
    principalArn: str,
    principalType: str,
    actor: str,
    sourceIp: str,
    userAgent: str,
  })
  .openapi('Attempt');

export const FindingSchema = z
  .object({
    findingId: z.string(),
    kind: z.string(),
    code: z.string(),
    sessionId: z.string(),
    detail: z.string(),
    detectedAt: iso,
    actor: str,
    target: str,
    sessionStartedAt: iso,
  })
  .openapi('Finding');

export const SearchHitSchema = z
  .object({
    commandId: z.number(),
    sessionId: z.string(),
    seq: z.number(),
    text: z.string(),
    snippet: z.string(),
    user: str,
    executed: z.boolean().nullable(),
    at: iso,
    atPrecision: str,
    cwd: str,
    exitCode: z.number().nullable(),
    actor: str,
    principalArn: str,
    target: str,
    accountId: str,
    region: str,
    kind: str,
    identityVerified: z.boolean(),
    link: z.string(),
  })
  .openapi('SearchHit');

export const CtEventSchema = z
  .object({
    eventId: z.string(),
    eventName: z.string(),
    at: iso,
    errorCode: str,
    actor: str,
    sourceIp: str,
    origin: z.string(),
    raw: z.unknown().optional(),
  })
  .openapi('CloudTrailEvent');

export const DescribeSchema = z
  .object({ status: z.string(), startedAt: iso, endedAt: iso, owner: str, raw: z.unknown().optional() })
  .openapi('DescribeSessionsObservation');

export const TranscriptSourceSchema = z
  .object({
    transcriptId: z.string(),
    source: z.string(),
    location: z.string(),
    format: z.string(),
    byteSize: z.number(),
    firstEventAt: iso,
    lastEventAt: iso,
  })
  .openapi('TranscriptSource');

export const AccessEntrySchema = z
  .object({
    id: z.number(),
    at: iso,
    action: z.string(),
    actor: z.string(),
    role: str,
    tokenId: str,
    sourceIp: str,
    subject: str,
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AccessEntry');

/** An alert (src/alerts/json.ts); for a viewer `command` is null and `link` has no `cmd`. */
export const AlertSchema = z
  .object({
    id: z.number(),
    status: z.enum(ALERT_STATUSES),
    level: z.enum(ALERT_LEVELS),
    rule: z.object({
      id: z.string(),
      title: z.string(),
      author: z.string().nullable(),
      tags: z.array(z.string()),
    }),
    sessionId: z.string().nullable(),
    actor: z.string().nullable(),
    target: z.string().nullable(),
    user: z.string().nullable(),
    command: z.string().nullable(),
    commandAt: z.string().nullable(),
    detail: z.string().nullable(),
    link: z.string().nullable(),
    raisedAt: z.string(),
    statusBy: z.string().nullable(),
    statusReason: z.string().nullable(),
  })
  .openapi('Alert');

/** A session's alerts in brief (a sessions list row's badge). */
export const SessionAlertsSchema = z
  .object({
    open: z.number().int().openapi({ description: 'Open alerts' }),
    total: z.number().int().openapi({ description: 'Alerts in any status' }),
    openLevel: z.enum(ALERT_LEVELS).nullable().openapi({ description: 'Highest level of the open ones' }),
    level: z.enum(ALERT_LEVELS).openapi({ description: 'Highest level of all' }),
  })
  .openapi('SessionAlerts');

/** A page of `item`: `nextCursor` goes back as `cursor`. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(2000).optional(),
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The error answers every authenticated route may give. */
export const errorResponses = {
  400: json(ErrorSchema, 'Invalid request'),
  401: json(ErrorSchema, 'No valid token'),
  403: json(ErrorSchema, 'The role may not do this'),
};
