import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchLines } from '../../src/ingest/cloudwatch-events.ts';
import { looksLikeCloudWatchExport } from '../../src/ingest/local/transcript-files.ts';
import { localDirSource } from '../../src/ingest/sources/local-dir.ts';
import { listTranscripts, readCwEvents, readTranscriptChunks } from '../../src/store/transcripts.ts';
import { loadFixture } from './transcript-fixtures.ts';
import { canonicalDump, type Harness, openHarness } from './transcript-harness.ts';
import { agentEvent, POWERSHELL } from './transcript-samples.ts';

let h: Harness;
let dir: string;
beforeEach(() => {
  h = openHarness();
  dir = join(h.dir, 'import');
});
afterEach(() => h.close());

function put(rel: string, content: string | Buffer) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), content);
}

async function bytesOf(transcriptId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of readTranscriptChunks(h.store, transcriptId)) parts.push(c);
  return Buffer.concat(parts);
}

const dump = () => canonicalDump(h.store);

describe('local transcript files', () => {
  it('imports a session-log bucket copy (nested prefixes, gzipped too) byte for byte', async () => {
    const dash = loadFixture('dash-basic');
    const sudo = loadFixture('sudo-su-root');
    put(`AWSLogs/ssm/${dash.s3Key}`, dash.s3);
    put(`deep/er/prefix/${sudo.s3Key}.gz`, gzipSync(sudo.s3));
    put('win/win-0000000000000000b.log', POWERSHELL);
    const report = await h.poll(localDirSource(dir));
    expect(report.failures).toEqual([]);
    const [t] = listTranscripts(h.store, dash.sessionId);
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
    const [gz] = listTranscripts(h.store, sudo.sessionId);
    expect((await bytesOf(gz!.transcriptId)).equals(sudo.s3)).toBe(true);
    expect(listTranscripts(h.store, 'win-0000000000000000b')[0]!.format).toBe('powershell');
    const session = h.rows(
      'SELECT target, identity_verified, transcript_sources FROM sessions WHERE session_id = ?',
      dash.sessionId,
    );
    expect(session).toEqual([{ target: dash.target, identity_verified: 0, transcript_sources: '["s3"]' }]);
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
    const report = await h.poll(localDirSource(dir));
    expect(report.failures).toEqual([]);
    expect(h.rows('SELECT * FROM quarantine')).toEqual([]);
    const dashT = listTranscripts(h.store, dash.sessionId);
    expect(dashT).toHaveLength(1);
    expect(dashT[0]).toMatchObject({
      source: 'cloudwatch',
      format: 'cloudwatch_stream',
      claimedTarget: dash.target,
      claimedPrincipalArn: dash.userArn,
    });
    const lines = cloudWatchLines(readCwEvents(h.store, dashT[0]!.transcriptId)).map((l) => l.text);
    expect(lines).toEqual(cloudWatchLines(dash.cloudwatch).map((l) => l.text));
    expect(listTranscripts(h.store, bash.sessionId)).toHaveLength(1);
    expect(listTranscripts(h.store, sudo.sessionId)).toHaveLength(2); // filter-log-events + NDJSON
    expect(listTranscripts(h.store, 'other-0000000000000000f')).toHaveLength(1);
    const run = h.rows<{ run_as_user: string }>(
      'SELECT run_as_user FROM sessions WHERE session_id = ?',
      sudo.sessionId,
    );
    expect(run[0]!.run_as_user).toBe(sudo.runAsUser);
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
    await h.poll(localDirSource(dir));
    const reasons = h.rows<{ item_key: string; reason: string }>(
      'SELECT item_key, reason FROM quarantine ORDER BY 1',
    );
    expect(reasons).toEqual([
      { item_key: 'b/broken.json', reason: 'malformed_json' },
      { item_key: 'd/bad.json#0', reason: 'malformed_json' },
      { item_key: 'e/cut-0000000000000000e.log.gz', reason: 'corrupt_gzip' },
      { item_key: 'e/plain-0000000000000000f.log.gz', reason: 'corrupt_gzip' },
    ]);
    expect(listTranscripts(h.store, dash.sessionId)).toHaveLength(1);
    expect(listTranscripts(h.store, 'bad')).toHaveLength(1); // the event is kept as evidence
    expect(h.rows('SELECT count(*) AS n FROM transcript_chunks')).toEqual([{ n: 1 }]); // no orphans
    const before = dump();
    await h.poll(localDirSource(dir));
    expect(dump()).toBe(before);
  });

  it('stores a zero-byte session log as an empty transcript, as the S3 source does', async () => {
    put('a/empty-0000000000000000a.log', '');
    put('a/gzempty-0000000000000000b.log.gz', gzipSync(Buffer.alloc(0)));
    const report = await h.poll(localDirSource(dir));
    expect(report.failures).toEqual([]);
    expect(h.rows('SELECT * FROM quarantine')).toEqual([]);
    const rows = h.rows('SELECT session_id, format, byte_size, sha256 FROM transcripts ORDER BY 1');
    const emptySha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(rows).toEqual([
      { session_id: 'empty-0000000000000000a', format: 'empty', byte_size: 0, sha256: emptySha },
      { session_id: 'gzempty-0000000000000000b', format: 'empty', byte_size: 0, sha256: emptySha },
    ]);
    expect(h.rows('SELECT session_id, transcript_sources FROM sessions ORDER BY 1')).toEqual([
      { session_id: 'empty-0000000000000000a', transcript_sources: '["s3"]' },
      { session_id: 'gzempty-0000000000000000b', transcript_sources: '["s3"]' },
    ]);
  });

  it('streams big logs, spilling early chunks, and refuses a gzip that inflates past the cap', async () => {
    const dash = loadFixture('dash-basic');
    // Well past the 16 MiB spill budget once compressed: random bytes do not compress.
    const big = Buffer.concat([dash.s3, randomBytes(20 << 20)]);
    put(`big/${dash.s3Key}.gz`, gzipSync(big, { level: 1 }));
    put('bomb/bomb-0000000000000000c.log.gz', gzipSync(Buffer.alloc(30 << 20)));
    const writes: number[] = [];
    const source = localDirSource(dir, { maxInflatedLogBytes: 24 << 20 });
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
    const [t] = listTranscripts(h.store, dash.sessionId);
    expect(t!.transcriptId).toBe(
      `file://big/${dash.s3Key}.gz#${createHash('sha256').update(big).digest('hex')}`,
    );
    expect((await bytesOf(t!.transcriptId)).equals(big)).toBe(true);
    expect(writes.length).toBeGreaterThan(1); // chunks were committed ahead of the transcript row
    expect(h.rows('SELECT item_key, reason, detail FROM quarantine')).toEqual([
      {
        item_key: 'bomb/bomb-0000000000000000c.log.gz',
        reason: 'too_large',
        detail: `bomb/bomb-0000000000000000c.log.gz inflates beyond ${24 << 20} bytes`,
      },
    ]);
    expect(listTranscripts(h.store, 'bomb-0000000000000000c')).toEqual([]);
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
