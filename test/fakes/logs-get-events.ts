/**
 * GetLogEvents with the real token semantics. A token is a boundary between two events of the stream:
 * `f/<digits>` reads the events after it (oldest first), `b/<digits>` the events before it (the newest
 * `limit` of them). At the end of the stream the same token comes back unchanged, so a poller that keeps
 * calling with its nextForwardToken sees events appended later.
 */
import { AwsFakeError } from './aws-json-server.ts';
import {
  compareEvents,
  eventBytes,
  type FakeLogStream,
  RESPONSE_BYTE_CAP,
  readLimit,
  type StoredLogEvent,
} from './logs-store.ts';

interface Boundary {
  timestamp: number;
  seq: number;
}

const TOKEN = /^([fb])\/(\d{20})(\d{20})$/;

function formatToken(direction: 'f' | 'b', boundary: Boundary): string {
  return `${direction}/${String(boundary.timestamp).padStart(20, '0')}${String(boundary.seq).padStart(20, '0')}`;
}

function parseToken(token: string): { direction: 'f' | 'b'; boundary: Boundary } {
  const match = TOKEN.exec(token);
  if (!match) throw new AwsFakeError('InvalidParameterException', 'The specified nextToken is invalid.');
  return {
    direction: match[1] as 'f' | 'b',
    boundary: { timestamp: Number(match[2]), seq: Number(match[3]) },
  };
}

/** The boundary just before `event` (seqs are unique and start at 1, so seq - 1 is free). */
function before(event: StoredLogEvent): Boundary {
  return { timestamp: event.timestamp, seq: event.seq - 1 };
}

/** Takes up to `limit` events from the start (or the end) of `events` without passing the 1 MB cap. */
function takePage(events: StoredLogEvent[], limit: number, fromEnd: boolean): StoredLogEvent[] {
  const page: StoredLogEvent[] = [];
  let bytes = 0;
  for (let i = 0; i < events.length && page.length < limit; i++) {
    const event = events[fromEnd ? events.length - 1 - i : i]!;
    bytes += eventBytes(event);
    if (bytes > RESPONSE_BYTE_CAP && page.length > 0) break;
    page.push(event);
  }
  return fromEnd ? page.reverse() : page;
}

export function getLogEvents(stream: FakeLogStream, input: Record<string, unknown>): unknown {
  const limit = readLimit(input, 10_000);
  const startTime = typeof input.startTime === 'number' ? input.startTime : undefined;
  const endTime = typeof input.endTime === 'number' ? input.endTime : undefined;
  // startTime is inclusive, endTime exclusive (GetLogEvents documentation).
  const inRange = stream.events.filter(
    (e) =>
      (startTime === undefined || e.timestamp >= startTime) &&
      (endTime === undefined || e.timestamp < endTime),
  );
  const toApi = (e: StoredLogEvent) => ({
    timestamp: e.timestamp,
    message: e.message,
    ingestionTime: e.ingestionTime,
  });

  const token = typeof input.nextToken === 'string' ? input.nextToken : undefined;
  if (token === undefined) {
    const fromHead = input.startFromHead === true;
    const page = takePage(inRange, limit, !fromHead);
    const first = page[0];
    const last = page.at(-1);
    const empty: Boundary = { timestamp: startTime ?? 0, seq: 0 };
    return {
      events: page.map(toApi),
      nextForwardToken: formatToken('f', last ?? empty),
      nextBackwardToken: formatToken('b', first ? before(first) : empty),
    };
  }

  const { direction, boundary } = parseToken(token);
  if (direction === 'f') {
    const page = takePage(
      inRange.filter((e) => compareEvents(e, boundary) > 0),
      limit,
      false,
    );
    const first = page[0];
    const last = page.at(-1);
    return {
      events: page.map(toApi),
      nextForwardToken: last ? formatToken('f', last) : token,
      nextBackwardToken: formatToken('b', first ? before(first) : boundary),
    };
  }
  const page = takePage(
    inRange.filter((e) => compareEvents(e, boundary) <= 0),
    limit,
    true,
  );
  const first = page[0];
  const last = page.at(-1);
  return {
    events: page.map(toApi),
    nextForwardToken: formatToken('f', last ?? boundary),
    nextBackwardToken: first ? formatToken('b', before(first)) : token,
  };
}
