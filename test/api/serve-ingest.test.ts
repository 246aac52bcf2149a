/**
 * `shelltrail serve` WITH its ingest worker (no --no-ingest), as a real child process on a loopback
 * port over a local folder source: it answers /healthz while it ingests, and SIGTERM in the middle
 * of the import exits 0 within 2 s with every committed batch intact and none half-written.
 * SHELLTRAIL_TEST_SLOW_MS makes each file its own batch and pauses after it, so the signal lands
 * mid-import.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/shelltrail.js');
const FILES = 40;
const transcript = (i: number) =>
  `$ id\r\r\nuid=0(root) gid=0(root)\r\r\n$ echo run-${i}\r\r\nrun-${i}\r\r\n$ exit\r\r\n`;
const sessionId = (i: number) => `user${i}-${i.toString(16).padStart(17, '0')}`;

let dir: string;
let db: string;
let child: ChildProcess;
let stderr = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-serve-ingest-'));
  db = join(dir, 'store.db');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  for (let i = 0; i < FILES; i++) writeFileSync(join(logs, `${sessionId(i)}.log`), transcript(i));
  writeFileSync(
    join(dir, 'shelltrail.yaml'),
    [`db: ${db}`, 'sources:', `  localDirs: [${JSON.stringify(logs)}]`].join('\n'),
  );
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

it('serves while it ingests; SIGTERM mid-import: exit 0 within 2 s, committed batches intact, none partial', async () => {
  child = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'shelltrail.yaml'), '--port', '0'], {
    env: { ...process.env, SHELLTRAIL_CONFIG: undefined, SHELLTRAIL_TEST_SLOW_MS: '150' },
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; at: number }>((r) =>
    child.once('exit', (code) => r({ code, at: performance.now() })),
  );
  const url = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolvePromise(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  // Wait until some, not all, of the files are committed; the server still answers meanwhile.
  let before = 0;
  const until = Date.now() + 60_000;
  while (before < 3) {
    if (Date.now() > until) throw new Error(`nothing ingested: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
    before = await withStore(async (s) => (await s.stats.tableRows()).transcripts ?? 0).catch(() => 0);
  }
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const signalled = performance.now();
  child.kill('SIGTERM');
  const exit = await exited;
  expect(exit.code).toBe(0);
  expect(exit.at - signalled).toBeLessThan(2_000);

  await withStore(async (store) => {
    const rows = await store.stats.tableRows();
    const stored = rows.transcripts!;
    // Committed batches stay; the import was stopped before its end.
    expect(stored).toBeGreaterThanOrEqual(before);
    expect(stored).toBeLessThan(FILES);
    expect(rows.sessions).toBe(stored);
    // No partial batch: every stored transcript has all its bytes and its ledger entry, and
    // nothing is in the ledger without its transcript.
    const sessions = (await store.sessions.list({}, { limit: 100 })).items;
    expect(sessions).toHaveLength(stored);
    for (const s of sessions) {
      const [t] = await store.transcripts.list(s.sessionId);
      expect(t, s.sessionId).toBeDefined();
      expect(await store.transcripts.storedChunkBytes(t!.transcriptId)).toBe(t!.byteSize);
      const i = Number.parseInt(s.sessionId.split('-')[1]!, 16);
      expect(t!.byteSize).toBe(Buffer.byteLength(transcript(i)));
    }
    const ledger = await store.evidence.listLedger(`local:${resolve(dir, 'logs')}`);
    expect(ledger.items).toHaveLength(stored);
  });
  const lines = stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string });
  expect(lines.map((l) => l.msg)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^SIGTERM: stopping/), 'stopped']),
  );
}, 120_000);
