/**
 * SSM DescribeSessions for one account and region: the Active sessions and the History of the
 * last 30 days, with status, end date, owner, reason and output location. Most sessions never get
 * a TerminateSession, so this is a primary source of end times. Each observation is stored as a
 * snapshot row; an unchanged one collapses onto the row it already has.
 */
import { createHash } from 'node:crypto';
import {
  DescribeSessionsCommand,
  type DescribeSessionsCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { DescribeSessionsConfig } from '../../config.ts';
import { BadInputError } from '../../errors.ts';
import type { DescribeSnapshotRow } from '../../store/index.ts';
import { createSsmClient } from '../aws/clients.ts';
import { pacedCall, rateLimiter } from '../aws/retry.ts';
import { describeSessionToRow } from '../normalize/describe.ts';
import type { Source } from '../source.ts';

export interface DescribeSessionsOptions {
  client?: SSMClient;
  retryBaseMs?: number;
  /** Requests per second (DescribeSessions' quota is low and undocumented). */
  requestsPerSecond?: number;
}

/** @example createDescribeSessionsSource({ region: 'us-east-1' }) */
export function createDescribeSessionsSource(
  config: DescribeSessionsConfig,
  options: DescribeSessionsOptions = {},
): Source {
  const client = options.client ?? createSsmClient(config, { maxAttempts: 1 });
  const id = `describe-sessions:${config.region}${config.profile ? `:${config.profile}` : ''}`;
  const waitForTurn = rateLimiter(options.requestsPerSecond ?? 2);
  return {
    id,
    async poll(ctx) {
      for (const State of ['Active', 'History'] as const) {
        let token: string | undefined;
        do {
          const page: DescribeSessionsCommandOutput = await pacedCall(
            ctx,
            { waitForTurn, baseMs: options.retryBaseMs },
            (abortSignal) =>
              client.send(new DescribeSessionsCommand({ State, MaxResults: 200, NextToken: token }), {
                abortSignal,
              }),
          );
          const rows: DescribeSnapshotRow[] = [];
          const quarantine = [];
          for (const s of page.Sessions ?? []) {
            try {
              rows.push(describeSessionToRow(s, config.region));
            } catch (err) {
              if (!(err instanceof BadInputError)) throw err;
              quarantine.push({ itemKey: quarantineKey(State, s), reason: err.reason, detail: err.message });
            }
          }
          ctx.counters.itemsRead++;
          ctx.counters.recordsSeen += page.Sessions?.length ?? 0;
          if (rows.length || quarantine.length) await ctx.write({ describeSnapshots: rows, quarantine });
          token = page.NextToken;
        } while (token && !ctx.signal.aborted);
      }
    },
  };
}

/**
 * One quarantine row per bad entry (rows are unique by source, key and reason): the session id when
 * the entry has a usable one, else a digest of the entry, which stays the same from poll to poll
 * (a page position would not, as sessions come and go) so a bad entry is noted once.
 */
function quarantineKey(state: string, entry: unknown): string {
  const sessionId = (entry as { SessionId?: unknown } | null)?.SessionId;
  if (typeof sessionId === 'string' && sessionId) return `describe:${state}:${sessionId.slice(0, 200)}`;
  const digest = createHash('sha256')
    .update(JSON.stringify(entry) ?? 'undefined')
    .digest('hex');
  return `describe:${state}:sha256:${digest.slice(0, 32)}`;
}
