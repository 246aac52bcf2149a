/**
 * Fake SSM `DescribeSessions` and `GetDocument` (AWS JSON 1.1, target prefix `AmazonSSM`).
 *
 * @example
 * const ssm = await startSsmFake({ sessions: [session], sessionPreferences: { s3BucketName: 'audit' } });
 * const client = new SSMClient(testAwsClientConfig(ssm.url));
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

/** A session as DescribeSessions returns it; dates as Date, ISO string or epoch ms. */
export interface FakeSession {
  SessionId: string;
  Target: string;
  /** Connected | Connecting | Disconnected | Terminating (Active); Terminated | Failed (History). */
  Status: string;
  StartDate: Date | string | number;
  EndDate?: Date | string | number;
  DocumentName?: string;
  Owner?: string;
  Reason?: string;
  Details?: string;
  OutputUrl?: { S3OutputUrl?: string; CloudWatchOutputUrl?: string };
  MaxSessionDuration?: string;
  AccessType?: string;
}

/** The `inputs` of the `SSM-SessionManagerRunShell` preferences document. */
export interface SessionPreferencesInputs {
  s3BucketName: string;
  s3KeyPrefix: string;
  s3EncryptionEnabled: boolean;
  cloudWatchLogGroupName: string;
  cloudWatchEncryptionEnabled: boolean;
  cloudWatchStreamingEnabled: boolean;
  kmsKeyId: string;
  runAsEnabled: boolean;
  runAsDefaultUser: string;
  idleSessionTimeout: string;
  maxSessionDuration: string;
  shellProfile: { windows: string; linux: string };
}

export interface SsmFakeOptions {
  sessions?: FakeSession[];
  /** Document name -> content (JSON string). */
  documents?: Record<string, string>;
  /** Shorthand: creates `SSM-SessionManagerRunShell` with these inputs over the console defaults. */
  sessionPreferences?: Partial<SessionPreferencesInputs>;
  /** Current time in ms for the 30-day History window; default Date.now. */
  now?: () => number;
  /** Default 3 requests/s (DescribeSessions' real quota is low and undocumented). `false` disables. */
  rateLimit?: { maxRequests: number; windowMs?: number } | false;
  clock?: () => number;
}

export interface SsmFake {
  url: string;
  state: { sessions: FakeSession[]; documents: Record<string, string>; server: JsonServerState };
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

export const SESSION_PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';
const ACTIVE_STATUSES = new Set(['Connected', 'Connecting', 'Disconnected', 'Terminating']);
const HISTORY_MS = 30 * 24 * 3600 * 1000;
const MAX_RESULTS = 200;
const DEFAULT_MAX_RESULTS = 20;
const FILTER_KEYS = new Set([
  'InvokedAfter',
  'InvokedBefore',
  'Target',
  'Owner',
  'Status',
  'SessionId',
  'AccessType',
]);

/** The preferences document content exactly as the console writes it, with `inputs` overridden. */
export function sessionPreferencesDocument(inputs: Partial<SessionPreferencesInputs> = {}): string {
  const defaults: SessionPreferencesInputs = {
    s3BucketName: '',
    s3KeyPrefix: '',
    s3EncryptionEnabled: true,
    cloudWatchLogGroupName: '',
    cloudWatchEncryptionEnabled: true,
    cloudWatchStreamingEnabled: true,
    kmsKeyId: '',
    runAsEnabled: false,
    runAsDefaultUser: '',
    idleSessionTimeout: '20',
    maxSessionDuration: '',
    shellProfile: { windows: '', linux: '' },
  };
  return JSON.stringify({
    schemaVersion: '1.0',
    description: 'Document to hold regional settings for Session Manager',
    sessionType: 'Standard_Stream',
    inputs: { ...defaults, ...inputs },
  });
}

function toMs(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
}

function toApiSession(session: FakeSession): Record<string, unknown> {
  const startMs = toMs(session.StartDate);
  const endMs = toMs(session.EndDate);
  const out: Record<string, unknown> = {
    ...session,
    StartDate: startMs === undefined ? undefined : startMs / 1000,
    EndDate: endMs === undefined ? undefined : endMs / 1000,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

interface SessionFilter {
  key: string;
  value: string;
}

function parseFilters(input: Record<string, unknown>): SessionFilter[] {
  const list = input.Filters ?? [];
  if (!Array.isArray(list) || list.length > 6)
    throw new AwsFakeError('ValidationException', 'Invalid Filters.');
  return list.map((entry) => {
    const { key, value } = (entry ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || !FILTER_KEYS.has(key))
      throw new AwsFakeError('InvalidFilterKey', 'Invalid filter key.');
    if (typeof value !== 'string' || value === '')
      throw new AwsFakeError('InvalidFilterValue', 'Invalid filter value.');
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(value))) {
      throw new AwsFakeError('InvalidFilterValue', `Invalid value for filter ${key}.`);
    }
    return { key, value };
  });
}

function matchesFilter(session: FakeSession, filter: SessionFilter): boolean {
  const startMs = toMs(session.StartDate) ?? 0;
  switch (filter.key) {
    case 'InvokedAfter':
      return startMs >= Date.parse(filter.value);
    case 'InvokedBefore':
      return startMs <= Date.parse(filter.value);
    default:
      return (
        session[filter.key as 'Target' | 'Owner' | 'Status' | 'SessionId' | 'AccessType'] === filter.value
      );
  }
}

/** Starts the fake; `state.sessions` and `state.documents` may be changed at any time. */
export async function startSsmFake(options: SsmFakeOptions = {}): Promise<SsmFake> {
  const sessions = [...(options.sessions ?? [])];
  const documents: Record<string, string> = { ...options.documents };
  if (options.sessionPreferences) {
    documents[SESSION_PREFERENCES_DOCUMENT] = sessionPreferencesDocument(options.sessionPreferences);
  }
  const now = options.now ?? Date.now;

  function describeSessions(input: Record<string, unknown>): unknown {
    const stateName = optionalString(input, 'State');
    if (stateName !== 'Active' && stateName !== 'History') {
      throw new AwsFakeError(
        'ValidationException',
        "Value at 'state' failed to satisfy constraint: Active|History",
      );
    }
    const maxResults = optionalInteger(input, 'MaxResults') ?? DEFAULT_MAX_RESULTS;
    if (maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new AwsFakeError(
        'ValidationException',
        "Value at 'maxResults' failed to satisfy constraint: 1..200",
      );
    }
    const filters = parseFilters(input);
    const params = { stateName, filters };
    const nextToken = optionalString(input, 'NextToken');
    const after = nextToken === undefined ? undefined : decodeToken<[number, string]>(nextToken, params);
    if (nextToken !== undefined && !after)
      throw new AwsFakeError('InvalidNextToken', 'The specified token is not valid.');

    const historyStart = now() - HISTORY_MS;
    const order = (a: [number, string], b: [number, string]) =>
      a[0] !== b[0] ? b[0] - a[0] : a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0;
    const matching = sessions
      .filter((s) => {
        const active = ACTIVE_STATUSES.has(s.Status);
        if (stateName === 'Active' ? !active : active) return false;
        if (stateName === 'History' && (toMs(s.EndDate) ?? toMs(s.StartDate) ?? 0) < historyStart)
          return false;
        return filters.every((f) => matchesFilter(s, f));
      })
      .map((session) => ({
        session,
        key: [toMs(session.StartDate) ?? 0, session.SessionId] as [number, string],
      }))
      .filter(({ key }) => !after || order(key, after) > 0)
      .sort((a, b) => order(a.key, b.key));
    const page = matching.slice(0, maxResults);
    const last = page.at(-1);
    return {
      Sessions: page.map(({ session }) => toApiSession(session)),
      ...(matching.length > maxResults && last ? { NextToken: encodeToken(last.key, params) } : {}),
    };
  }

  function getDocument(input: Record<string, unknown>): unknown {
    const name = optionalString(input, 'Name');
    const content = name === undefined ? undefined : documents[name];
    if (name === undefined || content === undefined) {
      throw new AwsFakeError('InvalidDocument', 'The specified document does not exist.');
    }
    return {
      Name: name,
      CreatedDate: Date.parse('2024-01-01T00:00:00Z') / 1000,
      DocumentVersion: '1',
      Status: 'Active',
      Content: content,
      DocumentType: name === SESSION_PREFERENCES_DOCUMENT ? 'Session' : 'Command',
      DocumentFormat: 'JSON',
    };
  }

  const server = await startJsonServer({
    targetPrefixes: ['AmazonSSM'],
    handlers: { DescribeSessions: describeSessions, GetDocument: getDocument },
    rateLimit: options.rateLimit ?? { maxRequests: 3, windowMs: 1000 },
    clock: options.clock,
  });
  return {
    url: server.url,
    state: { sessions, documents, server: server.state },
    injectFault: server.injectFault,
    close: server.close,
  };
}
