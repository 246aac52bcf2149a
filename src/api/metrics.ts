/**
 * The figures /metrics reports in Prometheus text format: request latency per route (a
 * histogram), and per ingest source its last successful poll and its errors (set by `serve`'s
 * worker). Rows per table come from the store when scraped.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class ApiMetrics {
  private readonly latency = new Map<string, Histogram>();
  private readonly sourceOk = new Map<string, number>();
  private readonly sourceErrors = new Map<string, number>();

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

  sourcePolled(sourceId: string, at: number): void {
    this.sourceOk.set(sourceId, at);
  }

  sourceFailed(sourceId: string): void {
    this.sourceErrors.set(sourceId, (this.sourceErrors.get(sourceId) ?? 0) + 1);
  }

  /** Prometheus text exposition (version 0.0.4). */
  render(tableRows: Record<string, number>, now: number): string {
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
    out.push('# HELP shelltrail_ingest_lag_seconds Seconds since the source last polled successfully.');
    out.push('# TYPE shelltrail_ingest_lag_seconds gauge');
    for (const [id, at] of this.sourceOk)
      out.push(`shelltrail_ingest_lag_seconds{source="${label(id)}"} ${((now - at) / 1000).toFixed(3)}`);
    out.push('# HELP shelltrail_ingest_errors_total Failed polls per source.');
    out.push('# TYPE shelltrail_ingest_errors_total counter');
    for (const [id, n] of this.sourceErrors)
      out.push(`shelltrail_ingest_errors_total{source="${label(id)}"} ${n}`);
    return `${out.join('\n')}\n`;
  }
}
