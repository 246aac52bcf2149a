/**
 * The figures /metrics reports in Prometheus text format: request latency per route (a
 * histogram), and per ingest source the seconds since its last successful poll and its failed
 * polls. When this process runs the ingest worker (`serve`), the worker reports each source's
 * polls here; otherwise (`serve --no-ingest` beside `shelltrail ingest`) the scrape reads what the
 * worker recorded in the store. Rows per table come from the store when scraped.
 */
import type { SourcePollStatus } from '../store/index.ts';

/** One source's poll (the worker's SourcePollReport): `error` when it failed. */
export interface SourcePoll {
  sourceId: string;
  at: number;
  error?: string;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class ApiMetrics {
  private readonly latency = new Map<string, Histogram>();
  /** Sources as this process's worker reported them; empty when ingest runs elsewhere. */
  private readonly sources = new Map<string, SourcePollStatus>();

  /** One request to `route` (the route pattern, never the raw path) took `seconds`. */
  observe(route: string, status: number, seconds: number): void {
    const key = `${route}\u0000${Math.floor(status / 100)}xx`;
    let h = this.latency.get(key);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(key, h);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i]! += 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  /** A source's poll as this process's ingest worker reports it (WorkerEvents.sourcePolled). */
  sourcePolled(report: SourcePoll): void {
    const s = this.sources.get(report.sourceId) ?? {
      sourceId: report.sourceId,
      firstPolledAt: report.at,
      lastSuccessAt: null,
      lastFailureAt: null,
      failures: 0,
      lastError: null,
    };
    if (report.error === undefined) s.lastSuccessAt = report.at;
    else {
      s.lastFailureAt = report.at;
      s.failures += 1;
      s.lastError = report.error;
    }
    this.sources.set(report.sourceId, s);
  }

  /** Whether this process runs the ingest worker (its reports then take the place of the store's). */
  get ingestsHere(): boolean {
    return this.sources.size > 0;
  }

  /**
   * Prometheus text exposition (version 0.0.4). `stored`: the sources' polls as the store has them,
   * used when no worker reports here.
   */
  render(tableRows: Record<string, number>, now: number, stored: SourcePollStatus[] = []): string {
    const out: string[] = [];
    const label = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
    out.push('# HELP shelltrail_http_request_duration_seconds Request latency per route.');
    out.push('# TYPE shelltrail_http_request_duration_seconds histogram');
    for (const [key, h] of this.latency) {
      const [route, status] = key.split('\u0000') as [string, string];
      const l = `route="${label(route)}",status="${status}"`;
      BUCKETS.forEach((b, i) => {
        out.push(`shelltrail_http_request_duration_seconds_bucket{${l},le="${b}"} ${h.counts[i]}`);
      });
      out.push(`shelltrail_http_request_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
      out.push(`shelltrail_http_request_duration_seconds_sum{${l}} ${h.sum}`);
      out.push(`shelltrail_http_request_duration_seconds_count{${l}} ${h.count}`);
    }
    out.push('# HELP shelltrail_table_rows Rows per store table.');
    out.push('# TYPE shelltrail_table_rows gauge');
    for (const [table, n] of Object.entries(tableRows))
      out.push(`shelltrail_table_rows{table="${label(table)}"} ${n}`);
    const sources = this.ingestsHere ? [...this.sources.values()] : stored;
    out.push(
      '# HELP shelltrail_ingest_lag_seconds Seconds since the source last polled successfully (never: since its first poll).',
    );
    out.push('# TYPE shelltrail_ingest_lag_seconds gauge');
    for (const s of sources) {
      const since = s.lastSuccessAt ?? s.firstPolledAt;
      out.push(
        `shelltrail_ingest_lag_seconds{source="${label(s.sourceId)}"} ${(Math.max(0, now - since) / 1000).toFixed(3)}`,
      );
    }
    out.push('# HELP shelltrail_ingest_errors_total Failed polls per source.');
    out.push('# TYPE shelltrail_ingest_errors_total counter');
    for (const s of sources)
      out.push(`shelltrail_ingest_errors_total{source="${label(s.sourceId)}"} ${s.failures}`);
    return `${out.join('\n')}\n`;
  }
}
