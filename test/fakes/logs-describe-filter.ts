/** DescribeLogStreams and FilterLogEvents over the fake's LogsStore (see cloudwatch-logs.ts). */
import { createHash } from 'node:crypto';
import { AwsFakeError, optionalString } from './aws-json-server.ts';
import {
  eventBytes,
  type FakeLogGroup,
  type FakeLogStream,
  RESPONSE_BYTE_CAP,
  readLimit,
} from './logs-store.ts';
import { decodeToken, encodeToken } from './tokens.ts';

function invalidToken(): AwsFakeError {
  return new AwsFakeError('InvalidParameterException', 'The specified nextToken is invalid.');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeLogStreams(
  group: FakeLogGroup,
  input: Record<string, unknown>,
  arnPrefix: string,
): unknown {
  const prefix = optionalString(input, 'logStreamNamePrefix');
  const orderBy = optionalString(input, 'orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw new AwsFakeError('InvalidParameterException', 'orderBy must be LogStreamName or LastEventTime.');
  }
  if (prefix !== undefined && orderBy === 'LastEventTime') {
    throw new AwsFakeError(
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const descending = input.descending === true;
  const limit = readLimit(input, 50);
  const params = { group: group.name, prefix, orderBy, descending };
  const nextToken = optionalString(input, 'nextToken');
  const after = nextToken === undefined ? undefined : decodeToken<[number, string]>(nextToken, params);
  if (nextToken !== undefined && !after) throw invalidToken();

  const keyOf = (s: FakeLogStream): [number, string] => [
    orderBy === 'LastEventTime' ? (s.events.at(-1)?.timestamp ?? 0) : 0,
    s.name,
  ];
  const order = (a: [number, string], b: [number, string]) => {
    const ascending = a[0] !== b[0] ? a[0] - b[0] : compareStrings(a[1], b[1]);
    return descending ? -ascending : ascending;
  };
  const matching = [...group.streams.values()]
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .map((stream) => ({ stream, key: keyOf(stream) }))
    .filter(({ key }) => !after || order(key, after) > 0)
    .sort((a, b) => order(a.key, b.key));
  const page = matching.slice(0, limit);
  const last = page.at(-1);
  return {
    logStreams: page.map(({ stream }) => {
      const out: Record<string, unknown> = {
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        arn: `${arnPrefix}:log-group:${group.name}:log-stream:${stream.name}`,
        storedBytes: 0,
      };
      if (stream.events.length > 0) {
        out.firstEventTimestamp = stream.events[0]!.timestamp;
        out.lastEventTimestamp = stream.events.at(-1)!.timestamp;
        out.lastIngestionTime = Math.max(...stream.events.map((e) => e.ingestionTime));
      }
      return out;
    }),
    ...(matching.length > limit && last ? { nextToken: encodeToken(last.key, params) } : {}),
  };
}

/**
 * The plain-term subset of the filter pattern syntax: every term must occur (case-sensitive);
 * `"quoted phrases"` match literally. JSON/space-delimited/regex patterns are not supported.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const trimmed = (pattern ?? '').trim();
  if (trimmed === '') return () => true;
  if (/^[{[%]/.test(trimmed)) {
    throw new AwsFakeError('InvalidParameterException', 'The fake supports only plain-term filter patterns.');
  }
  const terms = [...trimmed.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!,
  );
  return (message) => terms.every((term) => message.includes(term));
}

/** A digit string like the real (56-digit) event ids, derived from the event's position. */
function eventId(streamName: string, timestamp: number, seq: number): string {
  const streamDigits = BigInt(`0x${createHash('sha256').update(streamName).digest('hex').slice(0, 12)}`)
    .toString()
    .padStart(16, '0')
    .slice(0, 16);
  return `${String(timestamp).padStart(20, '0')}${String(seq).padStart(20, '0')}${streamDigits}`;
}

type FilterKey = [number, string, number];

function compareFilterKeys(a: FilterKey, b: FilterKey): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] !== b[1] ? compareStrings(a[1], b[1]) : a[2] - b[2];
}

export function filterLogEvents(group: FakeLogGroup, input: Record<string, unknown>): unknown {
  const names = input.logStreamNames;
  const prefix = optionalString(input, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw new AwsFakeError(
      'InvalidParameterException',
      'You cannot specify both logStreamNames and logStreamNamePrefix.',
    );
  }
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw new AwsFakeError('InvalidParameterException', 'logStreamNames must list 1 to 100 names.');
  }
  const limit = readLimit(input, 10_000);
  const startTime = typeof input.startTime === 'number' ? input.startTime : undefined;
  const endTime = typeof input.endTime === 'number' ? input.endTime : undefined;
  const filterPattern = optionalString(input, 'filterPattern');
  const matches = compileFilterPattern(filterPattern);
  const params = { group: group.name, names, prefix, startTime, endTime, filterPattern };
  const nextToken = optionalString(input, 'nextToken');
  const after = nextToken === undefined ? undefined : decodeToken<FilterKey>(nextToken, params);
  if (nextToken !== undefined && !after) throw invalidToken();

  const streams = [...group.streams.values()].filter((s) =>
    Array.isArray(names) ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix),
  );
  // Both ends inclusive here, unlike GetLogEvents (FilterLogEvents documentation).
  const found = streams
    .flatMap((stream) => stream.events.map((event) => ({ stream, event })))
    .filter(
      ({ event }) =>
        (startTime === undefined || event.timestamp >= startTime) &&
        (endTime === undefined || event.timestamp <= endTime) &&
        matches(event.message),
    )
    .map((hit) => ({ ...hit, key: [hit.event.timestamp, hit.stream.name, hit.event.seq] as FilterKey }))
    .filter(({ key }) => !after || compareFilterKeys(key, after) > 0)
    .sort((a, b) => compareFilterKeys(a.key, b.key));

  const page: typeof found = [];
  let bytes = 0;
  for (const hit of found) {
    if (page.length >= limit) break;
    bytes += eventBytes(hit.event);
    if (bytes > RESPONSE_BYTE_CAP && page.length > 0) break;
    page.push(hit);
  }
  const last = page.at(-1);
  return {
    events: page.map(({ stream, event }) => ({
      logStreamName: stream.name,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: eventId(stream.name, event.timestamp, event.seq),
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    ...(page.length < found.length && last ? { nextToken: encodeToken(last.key, params) } : {}),
  };
}
