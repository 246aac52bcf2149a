/**
 * Session transcripts in a CloudWatch Logs group: one stream per session id, either the agent's
 * streaming JSON events or one plain-text upload at session end. Events are stored as received,
 * with their timestamps. The position of every stream is what the store already holds (event count
 * and the last timestamp with how many events carry it), committed atomically with the events, so
 * a killed worker resumes exactly and a live session's new events are picked up on the next poll.
 */
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type LogStream,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudwatchLogsConfig } from '../../config.ts';
import { readCheckpoint } from '../../store/evidence.ts';
import { cwStreamPosition } from '../../store/transcripts.ts';
import { awsClientConfig } from '../aws.ts';
import { withRetry } from '../retry.ts';
import type { Source, SourceContext } from '../source.ts';
import {
  type CloudWatchEventIn,
  cloudWatchEventRows,
  cloudWatchTranscript,
  isPlausibleSessionId,
} from '../transcript-evidence.ts';

interface CwCheckpoint {
  /** stream -> lastIngestionTime when we last read it to the end (lets old, unchanged streams be skipped). */
  streams: Record<string, number>;
}

/** DescribeLogStreams' timestamps are eventually consistent: streams this recent are always re-read. */
const DEFAULT_ACTIVE_HOURS = 25;
/** Safety bound on pages read from one stream in one poll. */
const MAX_PAGES_PER_STREAM = 100_000;

export function transcriptsCloudWatchSourceId(config: Pick<CloudwatchLogsConfig, 'logGroupName'>): string {
  return `transcripts-cloudwatch:${config.logGroupName}`;
}

export function createTranscriptsCloudWatchSource(
  config: CloudwatchLogsConfig & { activeHours?: number },
  client = new CloudWatchLogsClient(awsClientConfig(config)),
  now: () => number = Date.now,
): Source {
  const id = transcriptsCloudWatchSourceId(config);
  const group = config.logGroupName;
  const activeMs = (config.activeHours ?? DEFAULT_ACTIVE_HOURS) * 3_600_000;
  return {
    id,
    async poll(ctx) {
      const known = readCheckpoint<CwCheckpoint>(ctx.store, id)?.streams ?? {};
      const streams: Record<string, number> = { ...known };
      let token: string | undefined;
      do {
        if (ctx.signal.aborted) return;
        const page = await withRetry(
          () =>
            client.send(new DescribeLogStreamsCommand({ logGroupName: group, nextToken: token }), {
              abortSignal: ctx.signal,
            }),
          { signal: ctx.signal },
        );
        for (const stream of page.logStreams ?? []) {
          const name = stream.logStreamName;
          if (!name || ctx.signal.aborted) continue;
          if (!needsRead(stream, known[name], now() - activeMs)) continue;
          ctx.counters.itemsTotal++;
          if (!isPlausibleSessionId(name)) {
            ctx.write({
              quarantine: [{ itemKey: name, reason: 'bad_stream_name', detail: 'not a session id' }],
            });
            continue;
          }
          const read = await readStream(ctx, client, group, name);
          if (read && stream.lastIngestionTime != null) streams[name] = stream.lastIngestionTime;
        }
        token = page.nextToken;
      } while (token);
      ctx.write({ checkpoint: { streams } satisfies CwCheckpoint });
    },
  };
}

function needsRead(stream: LogStream, lastRead: number | undefined, activeSince: number): boolean {
  if (lastRead === undefined) return true;
  const ingested = stream.lastIngestionTime ?? stream.creationTime ?? 0;
  return ingested !== lastRead || ingested >= activeSince || (stream.creationTime ?? 0) >= activeSince;
}

/**
 * Reads one stream from where the store stands to its end, one batch per page.
 * Returns false when it could not finish (left for the next poll).
 */
async function readStream(
  ctx: SourceContext,
  client: CloudWatchLogsClient,
  group: string,
  stream: string,
): Promise<boolean> {
  const transcriptId = `cw://${group}/${stream}`;
  const location = `${group}/${stream}`;
  const position = cwStreamPosition(ctx.store, transcriptId);
  let seq = position.count;
  // Events at the last stored timestamp were already taken; GetLogEvents returns them first again.
  let skip = position.countAtLast;
  let token: string | undefined;
  ctx.counters.itemsRead++;
  try {
    for (let pages = 0; pages < MAX_PAGES_PER_STREAM; pages++) {
      if (ctx.signal.aborted) return false;
      const out = await withRetry(
        () =>
          client.send(
            new GetLogEventsCommand({
              logGroupName: group,
              logStreamName: stream,
              startFromHead: true,
              ...(token
                ? { nextToken: token }
                : position.lastTimestamp != null
                  ? { startTime: position.lastTimestamp }
                  : {}),
            }),
            { abortSignal: ctx.signal },
          ),
        { signal: ctx.signal },
      );
      let events = (out.events ?? []).filter(isUsable).map(toEventIn);
      if (skip > 0) {
        const drop = Math.min(skip, countLeading(events, position.lastTimestamp));
        events = events.slice(drop);
        skip -= drop;
        if (skip > 0 && events.length > 0) skip = 0; // the stream held fewer events at that time than we did
      }
      if (events.length > 0) {
        const { rows, invalid } = cloudWatchEventRows(transcriptId, seq, events);
        ctx.write({
          transcripts: [cloudWatchTranscript(transcriptId, location, stream, events)],
          cwEvents: rows,
          quarantine: invalid.map((i) => ({
            itemKey: `${location}#${i.seq}`,
            reason: i.reason,
            detail: null,
          })),
        });
        seq += rows.length;
        ctx.counters.recordsSeen += rows.length;
      }
      // At the end of the stream GetLogEvents hands back the token it was given.
      if (!out.nextForwardToken || out.nextForwardToken === token) return true;
      token = out.nextForwardToken;
    }
    return true;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.log(`cloudwatch ${location}: could not read (${(err as Error).name}); retried on the next poll`);
    return false;
  }
}

function isUsable(e: OutputLogEvent): boolean {
  return typeof e.timestamp === 'number' && typeof e.message === 'string';
}

function toEventIn(e: OutputLogEvent): CloudWatchEventIn {
  return { timestamp: e.timestamp!, message: e.message!, ingestionTime: e.ingestionTime ?? null };
}

function countLeading(events: CloudWatchEventIn[], timestamp: number | null): number {
  let n = 0;
  while (n < events.length && events[n]!.timestamp === timestamp) n++;
  return n;
}
