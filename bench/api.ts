/**
 * `npm run bench -- api [--requests N] [--import-seconds N] [--read-workers N]`
 *
 * The API under load on loopback, over the search bench's store (bench/gen/corpus.ts: 10,000
 * sessions, 1,000,000 commands; a copy, since the bench writes a token and an import): autocannon
 * against the sessions list, session detail, search and cast, cycling through 1,000 distinct
 * requests per route (no response cache), at 16 and 50 connections; req/s, p50 and p99 per route
 * beside the in-process `app.request()` figure for the same requests (one at a time). Then the
 * list and search again at 16 connections while an import (500,000 CloudTrail records, the
 * cloudtrail bench's corpus) runs in the same process, as `serve` runs its ingest worker. Every
 * HTTP figure twice: reads on the event loop, and through `serve`'s pool of read workers. The load
 * generator runs in a worker thread, off the server's event loop.
 * Targets: p99 < 50 ms for list and search at 16 connections; HTTP at least half the in-process rate.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { extractPass } from '../src/analyze/extract-pass.ts';
import { createApp } from '../src/api/app.ts';
import { hashSecret, newSecret } from '../src/api/auth/secrets.ts';
import { DEFAULT_CONFIG } from '../src/config.ts';
import { buildTranscriptEvidence } from '../src/ingest/normalize/transcript-evidence.ts';
import { createLocalDirSource } from '../src/ingest/sources/local-dir.ts';
import { runWorker } from '../src/ingest/worker.ts';
import { createReadPool, withReadPool } from '../src/server/read-pool.ts';
import { startServer } from '../src/server/start.ts';
import { openStore, type SessionRow, type Store } from '../src/store/index.ts';
import { projectionSettings } from '../src/store/projection.ts';
import { ensureCorpus } from './gen/corpus.ts';
import { seededRng } from './gen/random.ts';
import { generateTrail } from './gen/trail.ts';

type Autocannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  /** Seconds. */
  duration: number;
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}>;

const here = dirname(fileURLToPath(import.meta.url));
const DISTINCT = 1000;
const settings = projectionSettings({ ...DEFAULT_CONFIG.sessions, expectedDestinations: [] });

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function allSessions(store: Store): Promise<SessionRow[]> {
  const out: SessionRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.sessions.list({}, { limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Search texts taken from stored commands: a word, or a piece of 4-12 characters, all distinct. */
async function searchTexts(store: Store, sessions: SessionRow[]): Promise<string[]> {
  const rng = seededRng(11);
  const texts = new Set<string>();
  for (let i = 0; texts.size < DISTINCT && i < sessions.length; i += 7) {
    const page = await store.commands.listForSession(sessions[i]!.sessionId, { limit: 10 });
    for (const cmd of page.items) {
      const words = cmd.text.split(/\s+/).filter((w) => w.length >= 3);
      if (words.length === 0) continue;
      const at = rng.int(0, Math.max(0, cmd.text.length - 4));
      const text = rng.chance(0.5) ? rng.pick(words) : cmd.text.slice(at, at + rng.int(4, 12)).trim();
      if (text.length >= 3) texts.add(text);
      if (texts.size >= DISTINCT) break;
    }
  }
  return [...texts];
}

/** Gives the cast sessions their S3 transcript (the corpus keeps transcripts as files only). */
async function attachTranscripts(store: Store, dir: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const batch = await Promise.all(
      ids.slice(i, i + 100).map((id) =>
        buildTranscriptEvidence([readFileSync(join(dir, `${id}.log`))], {
          transcriptId: (sha) => `bench-${sha.slice(0, 24)}`,
          location: `s3://bench/${id}.log`,
          etag: null,
          versionId: null,
          lastModified: null,
          sessionIdFromName: id,
        }),
      ),
    );
    await store.evidence.writeBatch(
      {
        sourceId: 'bench-api',
        transcripts: batch.map((b) => b.transcript),
        transcriptChunks: batch.flatMap((b) => b.chunks),
      },
      settings,
    );
  }
}

function cloudtrailCorpus(): string {
  const root = join(here, 'corpus', 'cloudtrail-500000-s1');
  if (!existsSync(join(root, 'manifest.json'))) {
    rmSync(root, { recursive: true, force: true });
    writeFileSync(
      join(root, 'manifest.json'),
      JSON.stringify(generateTrail({ dir: join(root, 'trail'), records: 500_000, seed: 1 })),
    );
  }
  return join(root, 'trail');
}

export default async function apiBench(args: string[]): Promise<void> {
  const amount = flag(args, 'requests', 3000);
  const importSeconds = flag(args, 'import-seconds', 8);
  const poolSize = flag(args, 'read-workers', 2);
  const autocannon = (await import('autocannon' as string)).default as Autocannon;
  const corpus = await ensureCorpus(join(here, 'corpus', 'search'));
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-bench-api-'));
  const dbPath = join(dir, 'store.db');
  copyFileSync(corpus.dbPath, dbPath);
  const store = await openStore(dbPath);
  try {
    const sessions = await allSessions(store);
    console.log(
      `store: ${sessions.length} sessions, ${corpus.commands} commands (a copy of ${corpus.dbPath})`,
    );
    const rng = seededRng(7);
    const castIds = Array.from(
      { length: DISTINCT },
      (_, i) => sessions[(i * 9973) % sessions.length]!.sessionId,
    );
    const lease = await store.lease.acquire('bench api');
    await attachTranscripts(store, corpus.transcriptsDir, castIds);
    await lease.release();
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
    const actors = [...new Set(sessions.map((s) => s.actor).filter((a): a is string => !!a))];
    const targets = [...new Set(sessions.map((s) => s.target).filter((t): t is string => !!t))];
    const days = sessions.map((s) => s.startedAt ?? 0).sort((a, b) => a - b);
    const listFilters = (i: number) => {
      const since = new Date(days[rng.int(0, days.length - 1)]!).toISOString();
      const accounts = ['111122223333', '444455556666', '777788889999', '123456789012', '210987654321'];
      const kinds = [
        `actor=${encodeURIComponent(actors[i % actors.length]!)}&until=${since}`,
        `target=${encodeURIComponent(targets[i % targets.length]!)}&since=${since}`,
        `since=${since}`,
        `actor=${encodeURIComponent(actors[i % actors.length]!)}&since=${since}`,
        `account=${accounts[i % accounts.length]}&since=${since}`,
      ];
      return `/api/sessions?${kinds[i % kinds.length]}&limit=50`;
    };
    const texts = await searchTexts(store, sessions);
    // Random start times can repeat: draw until DISTINCT requests differ.
    const lists = new Set<string>();
    for (let i = 0; lists.size < DISTINCT; i++) lists.add(listFilters(i));
    const routes: Record<string, string[]> = {
      list: [...lists],
      detail: Array.from(
        { length: DISTINCT },
        (_, i) => `/api/sessions/${sessions[(i * 7919) % sessions.length]!.sessionId}`,
      ),
      search: texts.map((t) => `/api/search?q=${encodeURIComponent(t)}&limit=50`),
      cast: castIds.map((id) => `/api/sessions/${id}/cast`),
    };
    const appOver = (over: Store) =>
      createApp({ store: over, config: DEFAULT_CONFIG, now: Date.now, log: pino({ level: 'silent' }) });
    const app = appOver(store);
    const pool = await createReadPool(dbPath, poolSize);
    const servers = {
      'event loop': await startServer(app, '127.0.0.1', 0),
      [`${poolSize} read workers`]: await startServer(appOver(withReadPool(store, pool)), '127.0.0.1', 0),
    };
    const headers = { authorization: `Bearer ${token}` };
    // The load generator runs in a worker thread of its own, so its work is not counted against the
    // server's event loop; in workers mode autocannon takes the request cycler as a module file.
    const cyclers = new Map<string[], string>();
    const cycler = (paths: string[]) => {
      let file = cyclers.get(paths);
      if (!file) {
        file = join(dir, `cycle-${cyclers.size}.cjs`);
        writeFileSync(
          file,
          `const paths = ${JSON.stringify(paths)};\nlet next = 0;\nmodule.exports = (req) => ({ ...req, path: paths[next++ % paths.length] });\n`,
        );
        cyclers.set(paths, file);
      }
      return file;
    };
    const load = async (url: string, paths: string[], connections: number, extra: Record<string, unknown>) =>
      autocannon({
        url,
        connections,
        workers: 1,
        timeout: 30,
        headers,
        ...extra,
        requests: [{ method: 'GET', setupRequest: cycler(paths) }],
      });
    // Requests over the run's duration: autocannon's per-second average is coarse for runs of a few seconds.
    const rate = (r: Awaited<ReturnType<Autocannon>>) => r.requests.total / Math.max(r.duration, 0.001);
    const row = (name: string, conns: number, r: Awaited<ReturnType<Autocannon>>, tail: string) =>
      console.log(
        `${name.padEnd(8)} ${String(conns).padStart(5)} ${rate(r).toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(7)} ${String(r.non2xx + r.errors).padStart(8)} | ${tail}`,
      );
    console.log(
      `${Object.entries(routes)
        .map(([k, v]) => `${k} ${new Set(v).size}`)
        .join(', ')} distinct requests; ${amount} requests per run`,
    );
    const inProcess: Record<string, { rate: number; p50: number; p99: number }> = {};
    for (const [name, paths] of Object.entries(routes)) {
      // A first pass warms the page cache, as the HTTP runs that follow find it.
      for (const p of paths) await (await app.request(p, { headers })).arrayBuffer();
      const times: number[] = [];
      const started = performance.now();
      for (const p of paths) {
        const t = performance.now();
        const res = await app.request(p, { headers });
        if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      inProcess[name] = {
        rate: paths.length / ((performance.now() - started) / 1000),
        p50: pct(times, 50),
        p99: pct(times, 99),
      };
    }
    for (const [label, server] of Object.entries(servers)) {
      console.log(`\nHTTP, reads on the ${label}`);
      console.log(
        'route    conns   req/s   p50 ms  p99 ms  non-2xx | in-process req/s  p50 ms  p99 ms | http/in-process',
      );
      for (const [name, paths] of Object.entries(routes)) {
        const ip = inProcess[name]!;
        for (const connections of [16, 50]) {
          const r = await load(server.url, paths, connections, { amount });
          row(
            name,
            connections,
            r,
            `${ip.rate.toFixed(0).padStart(16)} ${ip.p50.toFixed(2).padStart(7)} ${ip.p99.toFixed(2).padStart(7)} | ${(rate(r) / ip.rate).toFixed(2).padStart(6)}`,
          );
        }
      }
    }

    // An import in the same process (what `serve` does with its ingest worker) while list and search load it.
    const trail = cloudtrailCorpus();
    const controller = new AbortController();
    let imported = false;
    const importing = (async () => {
      await runWorker({
        store,
        sources: [createLocalDirSource(trail)],
        passes: [extractPass],
        settings,
        once: true,
        intervalMs: 0,
        signal: controller.signal,
        log: () => {},
        holder: 'bench api import',
      });
      imported = true;
    })();
    await new Promise((r) => setTimeout(r, 1000));
    console.log('\nwhile an import of 500,000 CloudTrail records runs in the same process');
    for (const [label, server] of Object.entries(servers)) {
      for (const name of ['list', 'search']) {
        const r = await load(server.url, routes[name]!, 16, { duration: importSeconds });
        row(name, 16, r, `reads on the ${label}${imported ? ' (the import had finished)' : ''}`);
      }
    }
    controller.abort();
    await importing;
    for (const server of Object.values(servers)) await server.close();
    await pool.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
