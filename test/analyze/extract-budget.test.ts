/**
 * Issue 9, section 1, through the extraction pass: transcripts are replayed in the budget pool's
 * worker threads, a transcript over budget becomes a finding and never comes back, an abort abandons
 * the extraction in progress and leaves it queued, and this thread stays free (lease renewal) while
 * a worker runs. Real store, real import, real workers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExtractPass, EXTRACTOR_VERSION, type ExtractPass } from '../../src/analyze/extract-pass.ts';
import { configSchema } from '../../src/config.ts';
import { openStore, type Store, type WriterLease } from '../../src/store/index.ts';
import { importEvidence, tempDir } from '../cli/store-setup.ts';

const config = configSchema.parse({});
const HEAVY = 'heavy-0123456789abcdef0';
const SMALL = 'small-0123456789abcdef0';
let work: ReturnType<typeof tempDir>;
let store: Store;
let lease: WriterLease;

/**
 * The hostile line, `\033[2147483647L`, repeated: clamped, each one still inserts a screen of
 * lines, so 100 KB costs the emulator about two seconds of one free core.
 */
function heavyLog(kb: number): Buffer {
  const unit = '\x1b[2147483647L';
  return Buffer.from(`$ id\r\r\n${unit.repeat(Math.ceil((kb * 1024) / unit.length))}\r\r\n$ exit\r\r\n`);
}
const smallLog = Buffer.from(
  '$ id\r\r\nuid=1000(ssm-user)\r\r\n$ sudo rm -rf /var/log/audit\r\r\n$ exit\r\r\n',
);

async function importAndOpen(files: Record<string, Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(work.path, 'import', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const db = join(work.path, 'store.db');
  await importEvidence(db, join(work.path, 'import'));
  store = await openStore(db);
  lease = await store.lease.acquire('test');
}

const run = (pass: ExtractPass, signal = new AbortController().signal) =>
  pass.run({ store, config, signal, log: () => {} });
const queue = async () => (await store.extractQueue.next('', 1000)).sort();

beforeEach(() => {
  work = tempDir('shelltrail-budget-');
});
afterEach(async () => {
  await lease?.release();
  await store?.close();
  work.remove();
});

describe('extractPass in the budget pool', () => {
  it('transcript over budget: a transcript_over_budget finding, its commands incomplete, never retried', async () => {
    await importAndOpen({ [`${HEAVY}.log`]: heavyLog(400), [`${SMALL}.log`]: smallLog });
    const pass = createExtractPass({ pool: { size: 1, timeBudgetMs: 500 } });
    const done = await run(pass);
    expect(done).toMatchObject({ sessionsExtracted: 1, extractOverBudget: 1, extractFailures: 0 });
    expect(await queue()).toEqual([]);
    expect(await store.sessions.get(HEAVY)).toMatchObject({ commandsIncomplete: 'over_budget' });
    const findings = (await store.findings.list({ sessionId: HEAVY })).items;
    expect(findings.map((f) => [f.kind, f.code])).toContainEqual(['integrity', 'transcript_over_budget']);
    // The session beside it is extracted in full.
    const small = (await store.commands.listForSession(SMALL)).items.map((c) => c.text);
    expect(small).toContain('sudo rm -rf /var/log/audit');
    expect(await store.sessions.get(SMALL)).toMatchObject({ commandsIncomplete: null });
    // Neither the queue nor the outdated-version sweep at the next pass brings it back.
    expect(await store.extractQueue.queueOutdated(EXTRACTOR_VERSION)).toBe(0);
    expect(await run(pass)).toMatchObject({ sessionsExtracted: 0, extractOverBudget: 0 });
  });

  it('sessions an older extractor version handled are extracted again at pass start', async () => {
    await importAndOpen({ [`${SMALL}.log`]: smallLog });
    await store.extractQueue.complete(SMALL, {
      commands: [],
      cols: null,
      colsSource: null,
      extractorVersion: EXTRACTOR_VERSION - 1,
    });
    expect(await queue()).toEqual([]);
    const done = await run(createExtractPass({ pool: { size: 1 } }));
    expect(done.sessionsExtracted).toBe(1);
    const texts = (await store.commands.listForSession(SMALL)).items.map((c) => c.text);
    expect(texts).toContain('sudo rm -rf /var/log/audit');
  });

  it('SIGTERM during extraction: the extraction in progress is abandoned at once and stays queued', async () => {
    await importAndOpen({ [`${HEAVY}.log`]: heavyLog(400) });
    const pass = createExtractPass({ pool: { size: 1 } });
    const controller = new AbortController();
    const running = run(pass, controller.signal);
    await new Promise((r) => setTimeout(r, 400));
    const aborted = performance.now();
    controller.abort();
    const done = await running;
    expect(performance.now() - aborted).toBeLessThan(500);
    expect(done.sessionsExtracted).toBe(0);
    expect(await queue()).toEqual([HEAVY]);
    expect((await store.commands.listForSession(HEAVY)).items).toEqual([]);
    // The next run (a fresh pool) extracts it.
    expect((await run(pass)).sessionsExtracted).toBe(1);
    expect(await queue()).toEqual([]);
  });

  it('the writer lease can be renewed while a transcript is extracted: this thread stays free', async () => {
    await importAndOpen({ [`${HEAVY}.log`]: heavyLog(60) });
    const pass = createExtractPass({ pool: { size: 1 } });
    let last = performance.now();
    let longestGap = 0;
    let renewals = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      void lease.renew().then(() => renewals++);
    }, 25);
    const started = performance.now();
    try {
      await run(pass);
    } finally {
      clearInterval(ticker);
    }
    const took = performance.now() - started;
    expect(took).toBeGreaterThan(500); // long enough for the gap to mean something
    expect(longestGap).toBeLessThan(Math.min(400, took / 2));
    expect(renewals).toBeGreaterThan(5);
  });
});
