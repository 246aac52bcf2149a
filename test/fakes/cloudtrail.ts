/**
 * Fake CloudTrail `LookupEvents` for one account and region, speaking AWS JSON 1.1 like the real endpoint.
 *
 * @example
 * const trail = await startCloudTrailFake({ records: [startSessionRecord] });
 * const client = new CloudTrailClient(testAwsClientConfig(trail.url));
 * await trail.close();
 */
import {
  AwsFakeError,
  type Fault,
  type JsonServerState,
  optionalInteger,
  optionalString,
  startJsonServer,
} from './aws-json-server.ts';
import { decodeToken, encodeToken } from './tokens.ts';

/** A raw CloudTrail record as found in trail files (`eventTime`, `eventID`, `eventName`, ...). */
export type CloudTrailRecord = Record<string, unknown>;

export interface CloudTrailFakeOptions {
  records?: CloudTrailRecord[];
  /** Real quota: 2 requests per second per account and region. `false` disables throttling. */
  rateLimit?: { maxRequests: number; windowMs?: number } | false;
  /** Current time in ms; when given, records older than 90 days are invisible (as in the real API). */
  now?: () => number;
  /** Clock for the rate window; default Date.now. */
  clock?: () => number;
}

export interface CloudTrailFake {
  url: string;
  state: { records: CloudTrailRecord[]; server: JsonServerState };
  addRecords(...records: CloudTrailRecord[]): void;
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

const LOOKUP_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type LookupKey = (typeof LOOKUP_KEYS)[number];
const RETENTION_MS = 90 * 24 * 3600 * 1000;
const MAX_RESULTS = 50;

interface Resource {
  ResourceType?: string;
  ResourceName?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function eventTimeMs(record: CloudTrailRecord): number {
  const ms = Date.parse(text(record.eventTime) ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** What LookupEvents shows as `Username`: the IAM user name, the role session name, or `root`. */
function username(record: CloudTrailRecord): string | undefined {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  if (text(identity.userName)) return text(identity.userName);
  if (identity.type === 'AssumedRole') return text(identity.arn)?.split('/').at(-1);
  if (identity.type === 'Root') return 'root';
  return undefined;
}

/** `resources` of the record when present; otherwise the SSM target (unverified guess of the real derivation). */
function resources(record: CloudTrailRecord): Resource[] {
  if (Array.isArray(record.resources)) {
    return (record.resources as Array<Record<string, unknown>>).map((r) => ({
      ResourceType: text(r.type),
      ResourceName: text(r.ARN),
    }));
  }
  const target = text((record.requestParameters as Record<string, unknown> | null)?.target);
  if (!target) return [];
  return [
    {
      ResourceType: target.startsWith('mi-') ? 'AWS::SSM::ManagedInstance' : 'AWS::EC2::Instance',
      ResourceName: target,
    },
  ];
}

function attributeValues(record: CloudTrailRecord, key: LookupKey): Array<string | undefined> {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  switch (key) {
    case 'EventId':
      return [text(record.eventID)];
    case 'EventName':
      return [text(record.eventName)];
    case 'EventSource':
      return [text(record.eventSource)];
    case 'ReadOnly':
      return [record.readOnly === undefined ? undefined : String(record.readOnly)];
    case 'Username':
      return [username(record)];
    case 'AccessKeyId':
      return [text(identity.accessKeyId)];
    case 'ResourceType':
      return resources(record).map((r) => r.ResourceType);
    case 'ResourceName':
      return resources(record).map((r) => r.ResourceName);
  }
}

function toApiEvent(record: CloudTrailRecord): Record<string, unknown> {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const event: Record<string, unknown> = {
    EventId: text(record.eventID),
    EventName: text(record.eventName),
    ReadOnly: record.readOnly === undefined ? undefined : String(record.readOnly),
    AccessKeyId: text(identity.accessKeyId),
    EventTime: eventTimeMs(record) / 1000,
    EventSource: text(record.eventSource),
    Username: username(record),
    Resources: resources(record),
    CloudTrailEvent: JSON.stringify(record),
  };
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
}

/** Newest first; ties broken by event id so the order (and so the cursor) is total. */
function compareNewestFirst(a: [number, string], b: [number, string]): number {
  if (a[0] !== b[0]) return b[0] - a[0];
  return a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0;
}

function parseLookupAttribute(input: Record<string, unknown>): { key: LookupKey; value: string } | undefined {
  const list = input.LookupAttributes;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || list.length > 1) {
    throw new AwsFakeError('InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
  }
  if (list.length === 0) return undefined;
  const { AttributeKey, AttributeValue } = list[0] as Record<string, unknown>;
  if (!LOOKUP_KEYS.includes(AttributeKey as LookupKey) || typeof AttributeValue !== 'string') {
    throw new AwsFakeError('InvalidLookupAttributesException', 'Invalid lookup attribute.');
  }
  return { key: AttributeKey as LookupKey, value: AttributeValue };
}

/** Starts the fake; `state.records` may be appended to at any time (or use addRecords). */
export async function startCloudTrailFake(options: CloudTrailFakeOptions = {}): Promise<CloudTrailFake> {
  const records: CloudTrailRecord[] = [...(options.records ?? [])];

  function lookupEvents(input: Record<string, unknown>): unknown {
    const maxResults = optionalInteger(input, 'MaxResults') ?? MAX_RESULTS;
    if (maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new AwsFakeError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    }
    const attribute = parseLookupAttribute(input);
    const startMs = typeof input.StartTime === 'number' ? input.StartTime * 1000 : undefined;
    const endMs = typeof input.EndTime === 'number' ? input.EndTime * 1000 : undefined;
    if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
      throw new AwsFakeError('InvalidTimeRangeException', 'Start time must be before end time.');
    }
    const category = optionalString(input, 'EventCategory');
    if (category !== undefined && category !== 'insight') {
      throw new AwsFakeError('InvalidEventCategoryException', 'Invalid event category.');
    }
    const params = { attribute, startMs, endMs, category };
    const nextToken = optionalString(input, 'NextToken');
    const after = nextToken === undefined ? undefined : decodeToken<[number, string]>(nextToken, params);
    if (nextToken !== undefined && !after) {
      throw new AwsFakeError('InvalidNextTokenException', 'Invalid NextToken.');
    }
    if (category === 'insight') return { Events: [] };

    const oldestMs = options.now ? options.now() - RETENTION_MS : Number.NEGATIVE_INFINITY;
    const matching = records
      .map((record) => ({
        record,
        key: [eventTimeMs(record), text(record.eventID) ?? ''] as [number, string],
      }))
      .filter(({ record, key }) => {
        if (key[0] < oldestMs) return false;
        if (startMs !== undefined && key[0] < startMs) return false;
        if (endMs !== undefined && key[0] > endMs) return false;
        if (after && compareNewestFirst(key, after) <= 0) return false;
        return !attribute || attributeValues(record, attribute.key).includes(attribute.value);
      })
      .sort((a, b) => compareNewestFirst(a.key, b.key));
    const page = matching.slice(0, maxResults);
    const last = page.at(-1);
    return {
      Events: page.map(({ record }) => toApiEvent(record)),
      ...(matching.length > maxResults && last ? { NextToken: encodeToken(last.key, params) } : {}),
    };
  }

  const server = await startJsonServer({
    // The current SDK sends the short form; older SDKs and the docs use the fully qualified one.
    targetPrefixes: ['CloudTrail_20131101', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'],
    handlers: { LookupEvents: lookupEvents },
    rateLimit: options.rateLimit ?? { maxRequests: 2, windowMs: 1000 },
    clock: options.clock,
  });
  return {
    url: server.url,
    state: { records, server: server.state },
    addRecords: (...more) => {
      records.push(...more);
    },
    injectFault: server.injectFault,
    close: server.close,
  };
}
