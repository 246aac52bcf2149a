import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractPass } from '../../src/analyze/extract-pass.ts';
import { configSchema } from '../../src/config.ts';
import { openStore, type Store, type WriterLease } from '../../src/store/index.ts';
import { importEvidence, settings, tempDir } from '../cli/store-setup.ts';
import { loadFixture } from '../ingest/transcript-fixtures.ts';

const config = configSchema.parse({});
let work: ReturnType<typeof tempDir>;
let db: string;
let store: Store;
let lease: WriterLease;
const logs: string[] = [];

beforeEach(() => {
  work = tempDir('shelltrail-extract-');
  db = join(work.path, 'store.db');
  logs.length = 0;
});
afterEach(async () => {
  await lease?.release();
  await store?.close();
  work.remove();
});

function put(rel: string, content: string | Buffer) {
  const path = join(work.path, 'import', rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Imports what `put` wrote (no passes), then opens the store as the pass's writer. */
async function importAndOpen(): Promise<void> {
  await lease?.release();
  await store?.close();
  await importEvidence(db, join(work.path, 'import'));
  store = await openStore(db);
  lease = await store.lease.acquire('test');
}

const run = () =>
  extractPass.run({ store, config, signal: new AbortController().signal, log: (l) => logs.push(l) });
const queue = async () => (await store.extractQueue.next('', 1000)).sort();
const commands = async (sessionId: string) => (await store.commands.listForSession(sessionId)).items;

describe('extractPass', () => {
  it('extracts commands from the S3 form, the CloudWatch form and both merged, and empties the queue', async () => {
    const dash = loadFixture('dash-basic'); // both forms
    const sudo = loadFixture('sudo-su-root'); // S3 only
    const bash = loadFixture('bash-color-wide'); // CloudWatch only
    put(`s3/${dash.s3Key}`, dash.s3);
    put(`cw/${dash.sessionId}.json`, JSON.stringify(dash.cloudwatch));
    put(`s3/${sudo.s3Key}`, sudo.s3);
    put(`cw/${bash.sessionId}.json`, JSON.stringify(bash.cloudwatch));
    await importAndOpen();
    expect(await queue()).toEqual([bash.sessionId, dash.sessionId, sudo.sessionId].sort());
    const done = await run();
    expect(done).toMatchObject({ sessionsExtracted: 3, extractFailures: 0 });
    expect(done.commandsExtracted).toBeGreaterThan(0);
    expect(await queue()).toEqual([]);

    const dashCommands = await commands(dash.sessionId);
    expect(done.commandsExtracted).toBe(
      dashCommands.length + (await commands(sudo.sessionId)).length + (await commands(bash.sessionId)).length,
    );
    expect(dashCommands.map((c) => c.text)).toContain('echo hello');
    expect(dashCommands.find((c) => c.text === 'rm -rf /tmp/important')?.executed).toBe(false);
    // Merged: the S3 text with CloudWatch's second-precision times.
    expect(dashCommands.find((c) => c.text === 'whoami')?.atPrecision).toBe('second');
    expect((await commands(sudo.sessionId)).some((c) => c.user === 'root')).toBe(true);
    expect((await commands(bash.sessionId)).length).toBeGreaterThan(0);
    expect(await store.sessions.get(dash.sessionId)).toMatchObject({
      termCols: expect.any(Number),
      termColsSource: expect.any(String),
      commandsIncomplete: null,
    });

    // Nothing queued: a second pass does nothing; a new transcript re-queues and replaces, never duplicates.
    expect((await run()).sessionsExtracted).toBe(0);
    put(`more/${dash.s3Key}`, dash.s3);
    await importAndOpen();
    expect(await queue()).toEqual([dash.sessionId]);
    await run();
    expect(await commands(dash.sessionId)).toHaveLength(dashCommands.length);
  });

  it('records a session the extractor cannot read and goes on with the others', async () => {
    const dash = loadFixture('dash-basic');
    put(`s3/${dash.s3Key}`, dash.s3);
    await importAndOpen();
    // A stored chunk that is not what the store compresses: reading it back fails mid-extraction.
    const ghost = 'ghost-0000000000000000a';
    const transcriptId = `file://ghost.log#${'0'.repeat(64)}`;
    await store.evidence.writeBatch(
      {
        sourceId: 'test',
        transcripts: [
          {
            transcriptId,
            sessionId: ghost,
            source: 's3',
            location: 'ghost.log',
            etag: null,
            versionId: null,
            sha256: '0'.repeat(64),
            byteSize: 4,
            format: 'raw',
            headerTime: null,
            lastModified: null,
            firstEventAt: null,
            lastEventAt: null,
            claimedTarget: null,
            claimedPrincipalArn: null,
            claimedRunAsUser: null,
            claimedSessionId: ghost,
          },
        ],
        transcriptChunks: [{ transcriptId, seq: 0, rawSize: 4, data: Buffer.from([0]) }],
      },
      settings,
    );
    expect(await queue()).toEqual([dash.sessionId, ghost].sort());
    const done = await run();
    expect(done).toMatchObject({ sessionsExtracted: 1, extractFailures: 1 });
    expect(await queue()).toEqual([]);
    expect((await commands(dash.sessionId)).length).toBeGreaterThan(0);
    expect(await store.sessions.get(ghost)).toMatchObject({ commandsIncomplete: 'failed' });
    const findings = (await store.findings.list({ sessionId: ghost })).items;
    expect(findings.map((f) => [f.kind, f.code])).toContainEqual(['integrity', 'extract_failed']);
    expect(logs.join('\n')).toMatch(/ghost-0000000000000000a: extraction failed \(\w+\)/);
  });

  it('stops between sessions when its signal aborts, leaving the rest queued', async () => {
    const dash = loadFixture('dash-basic');
    const sudo = loadFixture('sudo-su-root');
    put(`s3/${dash.s3Key}`, dash.s3);
    put(`s3/${sudo.s3Key}`, sudo.s3);
    await importAndOpen();
    const controller = new AbortController();
    controller.abort();
    const done = await extractPass.run({ store, config, signal: controller.signal, log: () => {} });
    expect(done.sessionsExtracted).toBe(0);
    expect(await queue()).toHaveLength(2);
  });
});
