/**
 * GET /metrics: Prometheus text that needs a token unless the config makes it public (a reverse
 * proxy on the same host makes every client look like loopback, so loopback is not trusted);
 * latency labelled by route pattern, never by the raw path or its query; per ingest source the lag
 * since its last successful poll and its failed polls, whether the worker runs in this process or
 * in another one (then read from the store).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { ApiMetrics } from '../../src/api/metrics.ts';
import { createLocalDirSource } from '../../src/ingest/sources/local-dir.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { settings } from '../store/contract/fixtures.ts';
import { type Harness, HOUR, makeHarness, T0 } from './harness.ts';

let closed: Harness;
let open: Harness;
beforeAll(async () => {
  closed = await makeHarness();
  open = await makeHarness({ config: { publicMetrics: true } });
});
afterAll(async () => {
  await closed.close();
  await open.close();
});

describe('/metrics', () => {
  it('needs a token by default, even from loopback', async () => {
    const res = await closed.app.request(
      '/metrics',
      {},
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    expect(res.status).toBe(401);
    expect((await closed.get('/metrics', 'viewer')).status).toBe(200);
  });

  it('reports request latency per route pattern, rows per table; no path, query or session id', async () => {
    await closed.get('/api/sessions/alice-1?raw=1', 'auditor');
    await closed.get('/api/search?q=secret-search-text', 'auditor');
    const text = await (await closed.get('/metrics', 'viewer')).text();
    expect(text).toContain('# TYPE shelltrail_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /shelltrail_http_request_duration_seconds_count\{route="\/api\/sessions\/:id",status="2xx"\} 1/,
    );
    expect(text).toMatch(/shelltrail_table_rows\{table="sessions"\} \d+/);
    expect(text).not.toContain('alice-1');
    expect(text).not.toContain('secret-search-text');
  });

  it('is public when configured, and nothing else becomes public with it', async () => {
    const res = await open.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await open.get('/api/sessions')).status).toBe(401);
    expect((await open.get('/api/stats')).status).toBe(401);
  });
});

describe('/metrics: ingest lag and errors per source', () => {
  // Two real local-folder sources; the second folder disappears after the first poll, so that
  // source fails from then on. The clock moves a minute per poll.
  let h: Harness;
  let work: string;
  let clock = T0 + 72 * HOUR;
  const scraped = new ApiMetrics();
  let inProcess: ReturnType<typeof createApp>;
  let fromStore: ReturnType<typeof createApp>;
  let healthy: string;
  let failing: string;
  beforeAll(async () => {
    h = await makeHarness();
    work = mkdtempSync(join(tmpdir(), 'shelltrail-metrics-'));
    healthy = join(work, 'healthy');
    failing = join(work, 'failing');
    mkdirSync(healthy);
    mkdirSync(failing);
    h.deps.now = () => clock;
    // `serve`: the worker in this process reports to the metrics. `serve --no-ingest` beside
    // `shelltrail ingest`: nothing reports here, so the scrape reads what the worker stored.
    inProcess = createApp({ ...h.deps, metrics: scraped });
    fromStore = createApp({ ...h.deps, metrics: new ApiMetrics() });
  });
  afterAll(async () => {
    await h.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function poll(): Promise<void> {
    await runWorker({
      store: h.store,
      sources: [createLocalDirSource(healthy), createLocalDirSource(failing)],
      settings: settings(),
      once: true,
      intervalMs: 0,
      signal: new AbortController().signal,
      log: () => {},
      holder: 'metrics-test',
      now: () => clock,
      events: { sourcePolled: (report) => scraped.sourcePolled(report) },
    });
  }

  async function series(app: ReturnType<typeof createApp>): Promise<Record<string, number>> {
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    const out: Record<string, number> = {};
    for (const m of (await res.text()).matchAll(
      /^shelltrail_ingest_(lag_seconds|errors_total)\{source="local:[^"]*\/(\w+)"\} (\S+)$/gm,
    ))
      out[`${m[2]} ${m[1]}`] = Number(m[3]);
    return out;
  }

  it('a failing source shows growing lag and an error count; a healthy one does not, in either process', async () => {
    await poll();
    clock += 60_000;
    rmSync(failing, { recursive: true });
    await poll();
    const first = {
      'healthy lag_seconds': 0,
      'healthy errors_total': 0,
      'failing lag_seconds': 60,
      'failing errors_total': 1,
    };
    expect(await series(inProcess)).toEqual(first);
    expect(await series(fromStore)).toEqual(first);
    clock += 60_000;
    await poll();
    clock += 30_000; // scraped half a minute after the last poll
    const second = {
      'healthy lag_seconds': 30,
      'healthy errors_total': 0,
      'failing lag_seconds': 150,
      'failing errors_total': 2,
    };
    expect(await series(inProcess)).toEqual(second);
    expect(await series(fromStore)).toEqual(second);
    // The store also says why, for the operator (an error class, never content).
    const stored = await h.store.stats.sourcePolls();
    expect(stored.find((s) => s.sourceId.endsWith('/failing'))!.lastError).toMatch(/ENOENT|no such/i);
  });
});
