/**
 * The ingest worker's output as structured log lines (`serve` and `ingest`): one line per poll with
 * its counts, one per source that fails or recovers, and the worker's other messages (lease, passes,
 * stop) as plain messages. Counts, source ids and error classes only: never command text or tokens.
 */
import type { Logger } from 'pino';
import type { SourcePollReport, WorkerEvents } from '../ingest/worker.ts';
import { visible } from '../util/visible.ts';

export interface WorkerLog {
  /** For the worker's `log` option. */
  line(message: string): void;
  /** For the worker's `events` option. */
  events: WorkerEvents;
}

export function workerLog(log: Logger, onSourcePoll?: (report: SourcePollReport) => void): WorkerLog {
  const fields = { component: 'ingest' };
  return {
    line: (message) => log.info(fields, visible(message)),
    events: {
      sourcePolled(report) {
        onSourcePoll?.(report);
        if (report.error !== undefined) {
          log.warn(
            {
              ...fields,
              source: report.sourceId,
              consecutive: report.consecutive,
              error: visible(report.error),
              ...(report.retryAt === undefined ? {} : { retryAt: new Date(report.retryAt).toISOString() }),
            },
            'source failed',
          );
        } else if (report.recovered) log.info({ ...fields, source: report.sourceId }, 'source recovered');
      },
      polled: (summary) => log.info({ ...fields, ...summary }, 'poll'),
    },
  };
}
