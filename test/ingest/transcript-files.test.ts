import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { looksLikeCloudWatchExport } from '../../src/ingest/local/transcript-files.ts';
import { localDirSource } from '../../src/ingest/sources/local-dir.ts';
import { cloudWatchLines } from '../../src/ingest/transcript.ts';
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
    put('a/empty-0000000000000000a.log', '');
    put('b/broken.json', '{"events": [{"timestamp": 1, "message": "x"}');
    put(`c/${dash.s3Key}`, dash.s3);
    put(
      'd/bad.json',
      JSON.stringify({ events: [{ timestamp: 1, message: '{"eventVersion":"1.0","sessionData":["cut' }] }),
    );
    await h.poll(localDirSource(dir));
    const reasons = h.rows<{ item_key: string; reason: string }>(
      'SELECT item_key, reason FROM quarantine ORDER BY 1',
    );
    expect(reasons.map((r) => r.reason)).toEqual(['empty', 'malformed_json', 'malformed_json']);
    expect(reasons[1]!.item_key).toBe('b/broken.json');
    expect(reasons[2]!.item_key).toMatch(/^d\/bad\.json#0$/);
    expect(listTranscripts(h.store, dash.sessionId)).toHaveLength(1);
    expect(listTranscripts(h.store, 'bad')).toHaveLength(1); // the event is kept as evidence
    const before = dump();
    await h.poll(localDirSource(dir));
    expect(dump()).toBe(before);
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
