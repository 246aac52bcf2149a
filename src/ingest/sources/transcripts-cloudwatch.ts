/**
 * Session transcripts in a CloudWatch Logs group: one stream per session id, either the agent's
 * streaming JSON events or one plain-text upload at session end. Events are stored as received,
 * with their timestamps. The position of every stream is what the store already holds (event count
 * and the last timestamp with how many events carry it), committed atomically with the events, so
 * a killed worker resumes exactly and a live session's new events are picked up on the next poll.
 */
import {
  type CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type LogStream,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudwatchLogsConfig } from '../../config.ts';
import { LeaseLostError } from '../../errors.ts';
import { createCloudWatchLogsClient } from '../aws/clients.ts';
import { pacedCall, rateLimiter } from '../aws/retry.ts';
import {
  type CloudWatchEventIn,
  cloudWatchEventRows,
  cloudWatchTranscript,
  isPlausibleSessionId,
} from '../normalize/transcript-evidence.ts';
import type { Source, SourceContext } from '../source.ts';

interface CwCheckpoint {
  /** stream -> lastIngestionTime when we last read it to the end (lets old, unchanged streams be skipped). */
  streams: Record<string, number>;
  /** When the last complete walk started (our clock): streams older than this minus the active window were read then. */
  highWaterMs?: number;
  /** When the last walk over every stream in the group started. */
  fullWalkMs?: number;
}

export interface TranscriptsCloudWatchOptions {
  /** A ready client (tests); default built from the config. */
  client?: CloudWatchLogsClient;
  /** The clock the walk's high-water mark is taken from (tests move it). */
  now?: () => number;
  /** Streams whose last event is this recent are always re-read (default 25 h). */
  activeHours?: number;
  /** How often a poll lists every stream instead of stopping at old ones (default 24 h). */
  fullWalkHours?: number;
  /** DescribeLogStreams calls per second (real quota 25 per account and region; default 5). */
  describePerSecond?: number;
  /** GetLogEvents calls per second (real quota 25 per account and region; default 10). */
  getEventsPerSecond?: number;
  /** First retry backoff (tests shorten it). */
  retryBaseMs?: number;
}

/** DescribeLogStreams' timestamps are eventually consistent: streams this recent are always re-read. */
const DEFAULT_ACTIVE_HOURS = 25;
/**
 * lastEventTimestamp is the agent's clock, not CloudWatch's: a node whose clock runs days behind
 * writes streams that sort as old and the early stop would never reach them. A periodic full walk
 * (cheap: only listing, unchanged streams are not read) catches those.
 */
const DEFAULT_FULL_WALK_HOURS = 24;
/** Safety bound on pages read from one stream in one poll. */
const MAX_PAGES_PER_STREAM = 100_000;

export function transcriptsCloudWatchSourceId(config: Pick<CloudwatchLogsConfig, 'logGroupName'>): string {
  return `transcripts-cloudwatch:${config.logGroupName}`;
}

/**
 * Streams are listed newest first (orderBy LastEventTime, descending) and the listing stops at the
 * first stream whose last event is older than the previous walk's start minus the active window:
 * everything after it was read to the end already. Both APIs are paced under their quotas, and
 * every attempt goes through our retry (the client makes one attempt per call).
 *
 * @example createTranscriptsCloudWatchSource({ logGroupName: '/ssm/sessions', region: 'eu-west-1' })
 */
export function createTranscriptsCloudWatchSource(
  config: CloudwatchLogsConfig,
  options: TranscriptsCloudWatchOptions = {},
): Source {
  const client = options.client ?? createCloudWatchLogsClient(config, { maxAttempts: 1 });
  const now = options.now ?? Date.now;
  const id = transcriptsCloudWatchSourceId(config);
  const group = config.logGroupName;
  const activeMs = (options.activeHours ?? DEFAULT_ACTIVE_HOURS) * 3_600_000;
  const fullWalkMs = (options.fullWalkHours ?? DEFAULT_FULL_WALK_HOURS) * 3_600_000;
  const describeTurn = rateLimiter(options.describePerSecond ?? 5);
  const getEventsTurn = rateLimiter(options.getEventsPerSecond ?? 10);
  const describePacing = { waitForTurn: describeTurn, baseMs: options.retryBaseMs };
  const getEventsPacing = { waitForTurn: getEventsTurn, baseMs: options.retryBaseMs };
  return {
    id,
    async poll(ctx) {
      const checkpoint = await ctx.checkpoint.read<CwCheckpoint>();
      const known = checkpoint?.streams ?? {};
      const streams: Record<string, number> = { ...known };
      const startedAt = now();
      const full =
        checkpoint?.highWaterMs === undefined ||
        checkpoint.fullWalkMs === undefined ||
        startedAt - checkpoint.fullWalkMs >= fullWalkMs;
      const oldestWanted = full ? Number.NEGATIVE_INFINITY : checkpoint.highWaterMs! - activeMs;
      let token: string | undefined;
      do {
        if (ctx.signal.aborted) return;
        const page = await pacedCall(ctx, describePacing, (abortSignal) =>
          client.send(
            new DescribeLogStreamsCommand({
              logGroupName: group,
              orderBy: 'LastEventTime',
              descending: true,
              nextToken: token,
            }),
            { abortSignal },
          ),
        );
        let reachedOld = false;
        for (const stream of page.logStreams ?? []) {
          const name = stream.logStreamName;
          if (!name || ctx.signal.aborted) continue;
          if (lastActivity(stream) < oldestWanted) {
            reachedOld = true; // newest first: every stream from here on is older still
            break;
          }
          if (!needsRead(stream, known[name], startedAt - activeMs)) continue;
          ctx.counters.itemsTotal++;
          if (!isPlausibleSessionId(name)) {
            await ctx.write({
              quarantine: [{ itemKey: name, reason: 'bad_stream_name', detail: 'not a session id' }],
            });
            continue;
          }
          const read = await readStream(ctx, client, group, name, getEventsPacing);
          if (read && stream.lastIngestionTime != null) streams[name] = stream.lastIngestionTime;
        }
        token = reachedOld ? undefined : page.nextToken;
      } while (token);
      if (ctx.signal.aborted) return;
      await ctx.write({
        checkpoint: {
          streams,
          highWaterMs: startedAt,
          fullWalkMs: full ? startedAt : checkpoint!.fullWalkMs,
        } satisfies CwCheckpoint,
      });
    },
  };
}

/** What DescribeLogStreams orders by (LastEventTime); a stream without events by its creation. */
function lastActivity(stream: LogStream): number {
  return stream.lastEventTimestamp ?? stream.creationTime ?? 0;
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
  pacing: { waitForTurn: () => Promise<void>; baseMs?: number },
): Promise<boolean> {
  const transcriptId = `cw://${group}/${stream}`;
  const location = `${group}/${stream}`;
  const position = await ctx.cwStreamPosition(transcriptId);
  let seq = position.count;
  // Events at the last stored timestamp were already taken; GetLogEvents returns them first again.
  let skip = position.countAtLast;
  let token: string | undefined;
  ctx.counters.itemsRead++;
  try {
    for (let pages = 0; pages < MAX_PAGES_PER_STREAM; pages++) {
      if (ctx.signal.aborted) return false;
      const out = await pacedCall(ctx, pacing, (abortSignal) =>
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
          { abortSignal },
        ),
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
        await ctx.write({
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
    if (ctx.signal.aborted || err instanceof LeaseLostError) throw err;
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
