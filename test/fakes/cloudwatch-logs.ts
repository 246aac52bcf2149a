/**
 * Fake CloudWatch Logs (`DescribeLogStreams`, `GetLogEvents`, `FilterLogEvents`) over AWS JSON 1.1.
 * Tests append events to a stream between polls to simulate the SSM agent streaming a live session.
 *
 * @example
 * const logs = await startLogsFake({ groups: { '/ssm/sessions': { 'alice-0123': [{ timestamp, message }] } } });
 * const client = new CloudWatchLogsClient(testAwsClientConfig(logs.url));
 * logs.appendEvents('/ssm/sessions', 'alice-0123', [{ timestamp: timestamp + 1000, message: 'more' }]);
 */
import { type Fault, type JsonServerState, type RateLimit, startJsonServer } from './aws-json-server.ts';
import { describeLogStreams, filterLogEvents } from './logs-describe-filter.ts';
import { getLogEvents } from './logs-get-events.ts';
import { type FakeLogEvent, type FakeLogGroup, type FakeLogStream, LogsStore } from './logs-store.ts';

export type { FakeLogEvent, FakeLogGroup, FakeLogStream, StoredLogEvent } from './logs-store.ts';

export interface LogsFakeOptions {
  /** Initial data: group name -> stream name -> events. */
  groups?: Record<string, Record<string, FakeLogEvent[]>>;
  region?: string;
  accountId?: string;
  /** Shared limit over all operations; default 10 requests per rolling second. `false` disables. */
  rateLimit?: RateLimit | false;
  /** Extra per-operation limits, e.g. `{ FilterLogEvents: { maxRequests: 5 } }`. */
  operationRateLimits?: Record<string, RateLimit | false>;
  /** Default ingestion/creation time source and rate-window clock; default Date.now. */
  clock?: () => number;
}

export interface LogsFake {
  url: string;
  state: { groups: Map<string, FakeLogGroup>; server: JsonServerState };
  createLogGroup(name: string, creationTime?: number): FakeLogGroup;
  createLogStream(groupName: string, streamName: string, creationTime?: number): FakeLogStream;
  /** Appends events (creating group/stream when missing); visible to the very next request. */
  appendEvents(groupName: string, streamName: string, events: FakeLogEvent[]): void;
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

export async function startLogsFake(options: LogsFakeOptions = {}): Promise<LogsFake> {
  const clock = options.clock ?? Date.now;
  const store = new LogsStore(clock);
  for (const [groupName, streams] of Object.entries(options.groups ?? {})) {
    store.createLogGroup(groupName);
    for (const [streamName, events] of Object.entries(streams))
      store.appendEvents(groupName, streamName, events);
  }
  const arnPrefix = `arn:aws:logs:${options.region ?? 'us-east-1'}:${options.accountId ?? '111122223333'}`;

  const server = await startJsonServer({
    targetPrefixes: ['Logs_20140328'],
    handlers: {
      DescribeLogStreams: (input) => describeLogStreams(store.group(input), input, arnPrefix),
      GetLogEvents: (input) => getLogEvents(store.stream(input), input),
      FilterLogEvents: (input) => filterLogEvents(store.group(input), input),
    },
    rateLimit: options.rateLimit ?? { maxRequests: 10, windowMs: 1000 },
    operationRateLimits: options.operationRateLimits,
    clock,
  });
  return {
    url: server.url,
    state: { groups: store.groups, server: server.state },
    createLogGroup: (name, creationTime) => store.createLogGroup(name, creationTime),
    createLogStream: (group, stream, creationTime) => store.createLogStream(group, stream, creationTime),
    appendEvents: (group, stream, events) => store.appendEvents(group, stream, events),
    injectFault: server.injectFault,
    close: server.close,
  };
}
