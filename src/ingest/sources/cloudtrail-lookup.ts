/**
 * CloudTrail's LookupEvents API for one account and region: the last 90 days of management events,
 * without a trail. Pages (50 events, newest first, NextToken with the same parameters) are paced
 * under the 2 requests/s quota and retried with backoff on ThrottlingException. Each poll re-reads
 * an overlap before the last high-water mark, because CloudTrail delivers events late; the
 * duplicates this brings collapse by eventID.
 */
import {
  type CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { CloudtrailLookupConfig } from '../../config.ts';
import { BadInputError } from '../../errors.ts';
import type { CtEventRow, QuarantineEntry } from '../../store/index.ts';
import { createCloudTrailClient } from '../aws/clients.ts';
import { pacedCall, rateLimiter } from '../aws/retry.ts';
import { normalizeRecord } from '../normalize/cloudtrail.ts';
import type { Source } from '../source.ts';

export interface LookupCheckpoint {
  /** End of the window the last complete poll covered (ms). */
  highWaterMs: number;
}

export interface CloudtrailLookupOptions {
  client?: CloudTrailClient;
  now?: () => number;
  /** Retry tuning (tests shorten it). */
  retryBaseMs?: number;
}

/** @example createCloudtrailLookupSource({ region: 'ap-northeast-1', initialLookbackHours: 168, overlapMinutes: 30, requestsPerSecond: 2 }) */
export function createCloudtrailLookupSource(
  config: CloudtrailLookupConfig,
  options: CloudtrailLookupOptions = {},
): Source {
  const client = options.client ?? createCloudTrailClient(config, { maxAttempts: 1 });
  const now = options.now ?? Date.now;
  const id = `cloudtrail-lookup:${config.region}${config.profile ? `:${config.profile}` : ''}`;
  const origin = `lookup:${config.region}`;
  // 10% under the quota: requests leave evenly spaced but arrive with jittered latency.
  const waitForTurn = rateLimiter(config.requestsPerSecond * 0.9);
  return {
    id,
    async poll(ctx) {
      const checkpoint = await ctx.checkpoint.read<LookupCheckpoint>();
      const endMs = now();
      const startMs = checkpoint
        ? checkpoint.highWaterMs - config.overlapMinutes * 60_000
        : endMs - config.initialLookbackHours * 3_600_000;
      const params = {
        LookupAttributes: [{ AttributeKey: 'EventSource' as const, AttributeValue: 'ssm.amazonaws.com' }],
        StartTime: new Date(startMs),
        EndTime: new Date(endMs),
        MaxResults: 50,
      };
      let token: string | undefined;
      do {
        const page: LookupEventsCommandOutput = await pacedCall(
          ctx,
          { waitForTurn, baseMs: options.retryBaseMs },
          (abortSignal) =>
            client.send(new LookupEventsCommand({ ...params, NextToken: token }), { abortSignal }),
        );
        const ctEvents: CtEventRow[] = [];
        const quarantine: QuarantineEntry[] = [];
        for (const e of page.Events ?? []) {
          try {
            if (typeof e.CloudTrailEvent !== 'string')
              throw new BadInputError('bad_record', 'no CloudTrailEvent');
            let record: unknown;
            try {
              record = JSON.parse(e.CloudTrailEvent);
            } catch {
              throw new BadInputError('bad_record', 'CloudTrailEvent is not valid JSON');
            }
            const row = normalizeRecord(record, origin, e.CloudTrailEvent);
            if (row) ctEvents.push(row);
          } catch (err) {
            if (!(err instanceof BadInputError)) throw err;
            quarantine.push({
              itemKey: `lookup:${e.EventId ?? 'unknown'}`,
              reason: err.reason,
              detail: err.message,
            });
          }
        }
        ctx.counters.itemsRead++;
        ctx.counters.recordsSeen += page.Events?.length ?? 0;
        if (ctEvents.length || quarantine.length) await ctx.write({ ctEvents, quarantine });
        token = page.NextToken;
      } while (token && !ctx.signal.aborted);
      // Only a complete walk moves the high-water mark; an interrupted one is redone from the old one.
      if (!ctx.signal.aborted)
        await ctx.write({ checkpoint: { highWaterMs: endMs } satisfies LookupCheckpoint });
    },
  };
}
