/**
 * SSM DescribeSessions for one account and region: the Active sessions and the History of the
 * last 30 days, with status, end date, owner, reason and output location. Most sessions never get
 * a TerminateSession, so this is a primary source of end times. Each observation is stored as a
 * snapshot row; an unchanged one collapses onto the row it already has.
 */
import { DescribeSessionsCommand, type DescribeSessionsCommandOutput, SSMClient } from '@aws-sdk/client-ssm';
import type { DescribeSessionsConfig } from '../../config.ts';
import { BadInputError } from '../../errors.ts';
import type { DescribeSnapshotRow } from '../../store/evidence.ts';
import { awsClientConfig } from '../aws.ts';
import { describeSessionToRow } from '../describe.ts';
import { pacedCall, rateLimiter } from '../retry.ts';
import type { Source } from '../source.ts';

export interface DescribeSessionsOptions {
  client?: SSMClient;
  retryBaseMs?: number;
  /** Requests per second (DescribeSessions' quota is low and undocumented). */
  requestsPerSecond?: number;
}

/** @example describeSessionsSource({ region: 'us-east-1' }) */
export function describeSessionsSource(
  config: DescribeSessionsConfig,
  options: DescribeSessionsOptions = {},
): Source {
  const client = options.client ?? new SSMClient(awsClientConfig(config));
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
              quarantine.push({ itemKey: `describe:${State}`, reason: err.reason, detail: err.message });
            }
          }
          ctx.counters.itemsRead++;
          ctx.counters.recordsSeen += page.Sessions?.length ?? 0;
          if (rows.length || quarantine.length) ctx.write({ describeSnapshots: rows, quarantine });
          token = page.NextToken;
        } while (token && !ctx.signal.aborted);
      }
    },
  };
}
