import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchLines } from '../../../../src/ingest/normalize/cloudwatch-events.ts';
import { looksLikeCloudWatchExport } from '../../../../src/ingest/sources/local/transcript-files.ts';
import { createLocalDirSource } from '../../../../src/ingest/sources/local-dir.ts';
import { dumpStore } from '../../../store/dump.ts';
import { allSessions, allTranscripts, quarantineRows, transcriptBytes } from '../../../support/store-view.ts';
import { loadFixture } from '../../transcript-fixtures.ts';
import { type Harness, openHarness } from '../../transcript-harness.ts';
import { agentEvent, POWERSHELL } from '../../transcript-samples.ts';

let h: Harness;
let dir: string;
beforeEach(async () => {
  h = await openHarness();
  dir = join(h.dir, 'import');
});
afterEach(() => h.close());

function put(rel: string, content: string | Buffer) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), content);
}

const bytesOf = (transcriptId: string) => transcriptBytes(h.store, transcriptId);
const dump = () => dumpStore(h.store.location);
const quarantine = async () => (await quarantineRows(h.store)).map(({ sourceId: _, ...q }) => q);

describe('local transcript files', () => {
  it('imports a session-log bucket copy (nested prefixes, gzipped too) byte for byte', async () => {
    const dash = loadFixture('dash-basic');
    const sudo = loadFixture('sudo-su-root');
    put(`AWSLogs/ssm/${dash.s3Key}`, dash.s3);
    put(`deep/er/prefix/${sudo.s3Key}.gz`, gzipSync(sudo.s3));
    put('win/win-0000000000000000b.log', POWERSHELL);
    const report = await h.poll(createLocalDirSource(dir));
    expect(report.failures).toEqual([]);
    const [t] = await h.store.transcripts.list(dash.sessionId);
    expect(t).toMatchObject({
      source: 's3',
      format: 'script',
      claimedTarget: dash.target,
      byteSize: dash.s3.length,
    });
    expect(t!.transcriptId).toMatch(
      new RegExp(`^file://AWSLogs/ssm/${dash.s3Key.replace(/\./g, '\\.')}#[0-9a-f]{64}$`),
    );
    expect((await bytesOf(t!.transcriptId)).equals(dash.s3)).toBe(true);
    const [gz] = await h.store.transcripts.list(sudo.sessionId);
    expect((await bytesOf(gz!.transcriptId)).equals(sudo.s3)).toBe(true);
    expect((await h.store.transcripts.list('win-0000000000000000b'))[0]!.format).toBe('powershell');
    const session = await h.store.sessions.get(dash.sessionId);
    expect(session).toMatchObject({
      target: dash.target,
      identityVerified: false,
      transcriptSources: ['s3'],
    });
  });

  it('imports CloudWatch exports in every saved shape', async () => {
    const dash = loadFixture('dash-basic');
    const bash = loadFixture('bash-color-wide');
    const sudo = loadFixture('sudo-su-root');
    put(`exports/${dash.sessionId}.json`, JSON.stringify(dash.cloudwatch, null, 1));
    put(
      'exports/get-log-events.json',
      JSON.stringify(
        {
          events: bash.cloudwatch.map((e) => ({ ...e, ingestionTime: e.timestamp + 300 })),
          nextForwardToken: 'f/1',
          nextBackwardToken: 'b/1',
        },
        null,
        4,
      ),
    );
    put(
      'exports/filter.json',
      JSON.stringify({
        events: [
          ...sudo.cloudwatch.map((e, i) => ({ logStreamName: sudo.sessionId, eventId: `a${i}`, ...e })),
          {
            logStreamName: 'other-0000000000000000f',
            timestamp: 1,
            message: agentEvent('other-0000000000000000f', ['$ id'], 1),
          },
        ],
        searchedLogStreams: [],
      }),
    );
    put('exports/agent.ndjson', sudo.cloudwatch.map((e) => e.message).join('\n'));
    const report = await h.poll(createLocalDirSource(dir));
    expect(report.failures).toEqual([]);
    expect(await quarantine()).toEqual([]);
    const dashT = await h.store.transcripts.list(dash.sessionId);
    expect(dashT).toHaveLength(1);
    expect(dashT[0]).toMatchObject({
      source: 'cloudwatch',
      format: 'cloudwatch_stream',
      claimedTarget: dash.target,
      claimedPrincipalArn: dash.userArn,
    });
    const events = [];
    for await (const e of h.store.transcripts.readCwEvents(dashT[0]!.transcriptId)) events.push(e);
    const lines = cloudWatchLines(events).map((l) => l.text);
    expect(lines).toEqual(cloudWatchLines(dash.cloudwatch).map((l) => l.text));
    expect(await h.store.transcripts.list(bash.sessionId)).toHaveLength(1);
    expect(await h.store.transcripts.list(sudo.sessionId)).toHaveLength(2); // filter-log-events + NDJSON
    expect(await h.store.transcripts.list('other-0000000000000000f')).toHaveLength(1);
    expect((await h.store.sessions.get(sudo.sessionId))!.runAsUser).toBe(sudo.runAsUser);
  });

  it('quarantines broken files with a reason, keeps their neighbours, and re-imports idempotently', async () => {
    const dash = loadFixture('dash-basic');
    put('b/broken.json', '{"events": [{"timestamp": 1, "message": "x"}');
    put(`c/${dash.s3Key}`, dash.s3);
    put(
      'd/bad.json',
      JSON.stringify({ events: [{ timestamp: 1, message: '{"eventVersion":"1.0","sessionData":["cut' }] }),
    );
    put('e/cut-0000000000000000e.log.gz', gzipSync(dash.s3).subarray(0, 200));
    put('e/plain-0000000000000000f.log.gz', dash.s3);
    await h.poll(createLocalDirSource(dir));
    const reasons = (await quarantine()).map(({ itemKey, reason }) => ({ itemKey, reason }));
    expect(reasons).toEqual([
      { itemKey: 'b/broken.json', reason: 'malformed_json' },
      { itemKey: 'd/bad.json#0', reason: 'malformed_json' },
      { itemKey: 'e/cut-0000000000000000e.log.gz', reason: 'corrupt_gzip' },
      { itemKey: 'e/plain-0000000000000000f.log.gz', reason: 'corrupt_gzip' },
    ]);
    expect(await h.store.transcripts.list(dash.sessionId)).toHaveLength(1);
    expect(await h.store.transcripts.list('bad')).toHaveLength(1); // the event is kept as evidence
    expect(dump().transcript_chunks).toHaveLength(1); // no orphans
    const before = dump();
    await h.poll(createLocalDirSource(dir));
    expect(dump()).toEqual(before);
  });

  it('stores a zero-byte session log as an empty transcript, as the S3 source does', async () => {
    put('a/empty-0000000000000000a.log', '');
    put('a/gzempty-0000000000000000b.log.gz', gzipSync(Buffer.alloc(0)));
    const report = await h.poll(createLocalDirSource(dir));
    expect(report.failures).toEqual([]);
    expect(await quarantine()).toEqual([]);
    const rows = (await allTranscripts(h.store)).map(({ sessionId, format, byteSize, sha256 }) => ({
      sessionId,
      format,
      byteSize,
      sha256,
    }));
    const emptySha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(rows).toEqual([
      { sessionId: 'empty-0000000000000000a', format: 'empty', byteSize: 0, sha256: emptySha },
      { sessionId: 'gzempty-0000000000000000b', format: 'empty', byteSize: 0, sha256: emptySha },
    ]);
    const sessions = (await allSessions(h.store)).map((s) => s.sessionId).sort();
    expect(sessions).toEqual(['empty-0000000000000000a', 'gzempty-0000000000000000b']);
    for (const id of sessions) expect((await h.store.sessions.get(id))!.transcriptSources).toEqual(['s3']);
  });

  it('streams big logs, spilling early chunks, and refuses a gzip that inflates past the cap', async () => {
    const dash = loadFixture('dash-basic');
    // Well past the 16 MiB spill budget once compressed: random bytes do not compress.
    const big = Buffer.concat([dash.s3, randomBytes(20 << 20)]);
    put(`big/${dash.s3Key}.gz`, gzipSync(big, { level: 1 }));
    put('bomb/bomb-0000000000000000c.log.gz', gzipSync(Buffer.alloc(30 << 20)));
    const writes: number[] = [];
    const source = createLocalDirSource(dir, { maxInflatedLogBytes: 24 << 20 });
    const counting = {
      id: source.id,
      poll: (ctx: Parameters<typeof source.poll>[0]) =>
        source.poll({
          ...ctx,
          write: (batch) => {
            writes.push(batch.transcriptChunks?.length ?? 0);
            return ctx.write(batch);
          },
        }),
    };
    await h.poll(counting);
    const [t] = await h.store.transcripts.list(dash.sessionId);
    expect(t!.transcriptId).toBe(
      `file://big/${dash.s3Key}.gz#${createHash('sha256').update(big).digest('hex')}`,
    );
    expect((await bytesOf(t!.transcriptId)).equals(big)).toBe(true);
    expect(writes.length).toBeGreaterThan(1); // chunks were committed ahead of the transcript row
    expect(await quarantine()).toEqual([
      {
        itemKey: 'bomb/bomb-0000000000000000c.log.gz',
        reason: 'too_large',
        detail: `bomb/bomb-0000000000000000c.log.gz inflates beyond ${24 << 20} bytes`,
      },
    ]);
    expect(await h.store.transcripts.list('bomb-0000000000000000c')).toEqual([]);
  });
});

describe('looksLikeCloudWatchExport', () => {
  it('tells CloudWatch output from CloudTrail output', () => {
    expect(looksLikeCloudWatchExport('{\n    "events": [\n        {\n            "timestamp": 1')).toBe(true);
    expect(looksLikeCloudWatchExport('[{"timestamp": 1, "message": "x"}]')).toBe(true);
    expect(looksLikeCloudWatchExport(agentEvent('s', ['x'], 0))).toBe(true);
    expect(looksLikeCloudWatchExport('{"Records":[{"eventVersion":"1.08","userIdentity":{}}]}')).toBe(false);
    expect(
      looksLikeCloudWatchExport(
        '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser"},"eventSource":"ssm.amazonaws.com"}',
      ),
    ).toBe(false);
    expect(looksLikeCloudWatchExport('{"Events":[{"CloudTrailEvent":"{}"}]}')).toBe(false);
  });
});
