/**
 * `npm run bench -- api [--sessions N] [--commands-per-session N] [--requests N]`
 *
 * The API under load on loopback: autocannon against the sessions list, session detail, search and
 * cast, cycling through at least 1,000 distinct requests per route (no response cache), at 16 and
 * 50 connections; req/s, p50 and p99 per route, beside the in-process `app.request()` figure for
 * the same requests. Target: p99 < 50 ms for list and search at 16 connections; HTTP at least half
 * the in-process rate.
 *
 * The store is generated here through the store interface (sessions via writeBatch, commands via
 * extractQueue.complete), not with bench/gen/corpus.ts (the search bench's SQLite bulk loader, which
 * bypasses the interface), so the full 10,000 x 1,000,000 corpus is
 * `--sessions 10000 --commands-per-session 100` (slow to build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/api/app.ts';
import { hashSecret, newSecret } from '../src/api/auth/secrets.ts';
import { DEFAULT_CONFIG } from '../src/config.ts';
import { startServer } from '../src/server/start.ts';
import { openStore, type Store } from '../src/store/index.ts';
import { projectionSettings } from '../src/store/projection.ts';

type Autocannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}>;

const WORDS = [
  'ls -la',
  'sudo systemctl restart nginx',
  'cat /etc/hosts',
  'iptables -L',
  'df -h',
  'kubectl get pods',
  'tail -f /var/log/syslog',
  'docker ps',
  'vim app.conf',
  'curl -s localhost:8080/health',
];
const ACTORS = Array.from({ length: 50 }, (_, i) => `user${i}@example.com`);
const T0 = Date.UTC(2026, 9, 1);

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function build(store: Store, sessions: number, perSession: number): Promise<string[]> {
  const lease = await store.lease.acquire('bench api');
  const settings = projectionSettings({ ...DEFAULT_CONFIG.sessions, expectedDestinations: [] });
  const ids: string[] = [];
  for (let start = 0; start < sessions; start += 500) {
    const ctEvents = [];
    for (let i = start; i < Math.min(sessions, start + 500); i++) {
      const id = `${ACTORS[i % ACTORS.length]!.split('@')[0]}-${i.toString(36).padStart(8, '0')}`;
      ids.push(id);
      ctEvents.push({
        eventId: `ev-${i}`,
        eventName: 'StartSession',
        eventTime: T0 + i * 60_000,
        sessionId: id,
        accountId: '111122223333',
        region: 'eu-west-1',
        target: `i-${(i % 200).toString(16).padStart(17, '0')}`,
        documentName: null,
        parameters: null,
        reason: null,
        principalArn: `arn:aws:sts::111122223333:assumed-role/Ops/${ACTORS[i % ACTORS.length]}`,
        principalType: 'AssumedRole',
        actor: ACTORS[i % ACTORS.length]!,
        sourceIp: '198.51.100.1',
        userAgent: 'aws-cli/2',
        errorCode: null,
        errorMessage: null,
        origin: 'bench',
        raw: '{}',
      });
    }
    await store.evidence.writeBatch({ sourceId: 'bench', ctEvents }, settings);
  }
  for (const [n, id] of ids.entries()) {
    const commands = Array.from({ length: perSession }, (_, seq) => ({
      seq,
      text: `${WORDS[(n + seq) % WORDS.length]} ${seq}`,
      user: 'ssm-user',
      executed: true,
      at: T0 + n * 60_000 + seq * 1000,
      atPrecision: 'second' as const,
      cwd: null,
      exitCode: null,
      fidelity: 'exact' as const,
      output: null,
    }));
    await store.extractQueue.complete(id, { commands, cols: 80, colsSource: 'default', extractorVersion: 1 });
  }
  await lease.release();
  return ids;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export default async function apiBench(args: string[]): Promise<void> {
  const sessions = flag(args, 'sessions', 2000);
  const perSession = flag(args, 'commands-per-session', 50);
  const amount = flag(args, 'requests', 2000);
  const autocannon = (await import('autocannon' as string)).default as Autocannon;
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-bench-api-'));
  const store = await openStore(join(dir, 'store.db'));
  try {
    const built = performance.now();
    const ids = await build(store, sessions, perSession);
    console.log(
      `store: ${sessions} sessions, ${sessions * perSession} commands (built in ${((performance.now() - built) / 1000).toFixed(1)} s)`,
    );
    const token = newSecret('api');
    await store.tokens.create({
      tokenId: 'tok_bench',
      kind: 'api',
      name: 'bench',
      role: 'auditor',
      secretHash: hashSecret(token),
      createdAt: Date.now(),
      expiresAt: null,
      parentId: null,
      createdBy: 'bench',
    });
    const app = createApp({ store, config: DEFAULT_CONFIG, now: Date.now, log: pino({ level: 'silent' }) });
    const server = await startServer(app, '127.0.0.1', 0);
    const distinct = 1000;
    const routes: Record<string, string[]> = {
      list: Array.from(
        { length: distinct },
        (_, i) =>
          `/api/sessions?limit=50&actor=${encodeURIComponent(ACTORS[i % ACTORS.length]!)}&since=${new Date(T0 + (i % 20) * 3_600_000).toISOString()}`,
      ),
      detail: Array.from({ length: distinct }, (_, i) => `/api/sessions/${ids[(i * 7) % ids.length]}`),
      search: Array.from(
        { length: distinct },
        (_, i) =>
          `/api/search?q=${encodeURIComponent(`${WORDS[i % WORDS.length]!.split(' ')[0]} ${i % 50}`)}&limit=50`,
      ),
      cast: Array.from({ length: distinct }, (_, i) => `/api/sessions/${ids[(i * 13) % ids.length]}/cast`),
    };
    const headers = { authorization: `Bearer ${token}` };
    console.log('route    conns   req/s    p50 ms  p99 ms  non-2xx | in-process req/s  p50 ms  p99 ms');
    for (const [name, paths] of Object.entries(routes)) {
      const times: number[] = [];
      const started = performance.now();
      for (const p of paths) {
        const t = performance.now();
        const res = await app.request(p, { headers });
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
      const inRate = paths.length / ((performance.now() - started) / 1000);
      times.sort((a, b) => a - b);
      for (const connections of [16, 50]) {
        let next = 0;
        const result = await autocannon({
          url: server.url,
          connections,
          amount,
          timeout: 20,
          headers,
          requests: [
            {
              method: 'GET',
              setupRequest: (req: object) => ({ ...req, path: paths[next++ % paths.length] }),
            },
          ],
        });
        console.log(
          `${name.padEnd(8)} ${String(connections).padStart(5)} ${result.requests.average.toFixed(0).padStart(7)} ${String(result.latency.p50).padStart(9)} ${String(result.latency.p99).padStart(7)} ${String(result.non2xx).padStart(8)} | ${inRate.toFixed(0).padStart(16)} ${pct(times, 50).toFixed(2).padStart(7)} ${pct(times, 99).toFixed(2).padStart(7)}`,
        );
      }
    }
    await server.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
