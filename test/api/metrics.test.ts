/**
 * GET /metrics: Prometheus text that needs a token unless the config makes it public (a reverse
 * proxy on the same host makes every client look like loopback, so loopback is not trusted);
 * latency labelled by route pattern, never by the raw path or its query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeHarness } from './harness.ts';

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
