/**
 * Each source's poll outcomes (store/index.ts `evidence.recordPoll`, `stats.sourcePolls`): one row
 * per source, updated by the worker after every poll under the writer lease, read by /metrics.
 */
import type { SourcePollOutcome, SourcePollStatus } from '../index.ts';
import { type Conn, readTransaction, writeTransaction } from './connection.ts';

/** An error's class and message are kept short: they are a hint for an operator, not a log. */
const MAX_ERROR_CHARS = 300;

export function recordPoll(conn: Conn, sourceId: string, outcome: SourcePollOutcome): void {
  const failed = outcome.error !== undefined;
  writeTransaction(conn, () =>
    conn.sqlite
      .prepare(
        `INSERT INTO source_polls (source_id, first_polled_at, last_success_at, last_failure_at, failures, last_error)
         VALUES (@sourceId, @at, @success, @failure, @failures, @error)
         ON CONFLICT (source_id) DO UPDATE SET
           last_success_at = coalesce(excluded.last_success_at, last_success_at),
           last_failure_at = coalesce(excluded.last_failure_at, last_failure_at),
           failures = failures + excluded.failures,
           last_error = coalesce(excluded.last_error, last_error)`,
      )
      .run({
        sourceId,
        at: outcome.at,
        success: failed ? null : outcome.at,
        failure: failed ? outcome.at : null,
        failures: failed ? 1 : 0,
        error: failed ? outcome.error!.slice(0, MAX_ERROR_CHARS) : null,
      }),
  );
}

export function sourcePolls(conn: Conn): SourcePollStatus[] {
  return readTransaction(
    conn,
    () =>
      conn.sqlite
        .prepare(
          `SELECT source_id AS sourceId, first_polled_at AS firstPolledAt, last_success_at AS lastSuccessAt,
             last_failure_at AS lastFailureAt, failures, last_error AS lastError
           FROM source_polls ORDER BY source_id`,
        )
        .all() as SourcePollStatus[],
  );
}
