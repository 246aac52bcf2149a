/**
 * In-memory CloudWatch Logs data for the fake: groups -> streams -> events kept sorted by timestamp.
 * Every event gets a per-stream sequence number so (timestamp, seq) orders events totally, which is what
 * the GetLogEvents tokens point between.
 */
import { AwsFakeError } from './aws-json-server.ts';

export interface FakeLogEvent {
  timestamp: number;
  message: string;
  /** Default: the time of the append. */
  ingestionTime?: number;
}

export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  seq: number;
}

export interface FakeLogStream {
  name: string;
  creationTime: number;
  /** Sorted by (timestamp, seq). Mutate only through appendEvents. */
  events: StoredLogEvent[];
  nextSeq: number;
}

export interface FakeLogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, FakeLogStream>;
}

/** Real responses are capped at 1 MB counting each message's UTF-8 bytes plus 26 bytes of overhead. */
export const RESPONSE_BYTE_CAP = 1_048_576;
export function eventBytes(event: StoredLogEvent): number {
  return Buffer.byteLength(event.message, 'utf8') + 26;
}

export function compareEvents(
  a: { timestamp: number; seq: number },
  b: { timestamp: number; seq: number },
): number {
  return a.timestamp !== b.timestamp ? a.timestamp - b.timestamp : a.seq - b.seq;
}

export class LogsStore {
  readonly groups = new Map<string, FakeLogGroup>();

  constructor(private readonly now: () => number) {}

  createLogGroup(name: string, creationTime = this.now()): FakeLogGroup {
    const existing = this.groups.get(name);
    if (existing) return existing;
    const group: FakeLogGroup = { name, creationTime, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  createLogStream(groupName: string, streamName: string, creationTime = this.now()): FakeLogStream {
    const group = this.createLogGroup(groupName);
    const existing = group.streams.get(streamName);
    if (existing) return existing;
    const stream: FakeLogStream = { name: streamName, creationTime, events: [], nextSeq: 1 };
    group.streams.set(streamName, stream);
    return stream;
  }

  /** Appends (creating group and stream if needed); events may arrive out of timestamp order. */
  appendEvents(groupName: string, streamName: string, events: FakeLogEvent[]): void {
    const stream = this.createLogStream(groupName, streamName);
    for (const event of events) {
      const stored: StoredLogEvent = {
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime ?? this.now(),
        seq: stream.nextSeq++,
      };
      let index = stream.events.length;
      while (index > 0 && compareEvents(stream.events[index - 1]!, stored) > 0) index--;
      stream.events.splice(index, 0, stored);
    }
  }

  /** Accepts a group name or ARN (`logGroupIdentifier`) like the real API. */
  group(input: Record<string, unknown>): FakeLogGroup {
    const raw = input.logGroupName ?? input.logGroupIdentifier;
    if (typeof raw !== 'string' || raw === '') {
      throw new AwsFakeError(
        'InvalidParameterException',
        'Either logGroupName or logGroupIdentifier is required.',
      );
    }
    const name = raw.startsWith('arn:')
      ? raw.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '')
      : raw;
    const group = this.groups.get(name);
    if (!group)
      throw new AwsFakeError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  stream(input: Record<string, unknown>): FakeLogStream {
    const group = this.group(input);
    const stream =
      typeof input.logStreamName === 'string' ? group.streams.get(input.logStreamName) : undefined;
    if (!stream)
      throw new AwsFakeError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }
}

/** Validates an optional `limit` in 1..max; the real service reports this as InvalidParameterException. */
export function readLimit(input: Record<string, unknown>, max: number): number {
  const limit = input.limit;
  if (limit === undefined || limit === null) return max;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new AwsFakeError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return limit;
}
