import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/ingest/normalize/cloudtrail.ts';
import { describeSessionToRow } from '../../src/ingest/normalize/describe.ts';
import { compressChunk, decompressChunk } from '../../src/store/chunks.ts';
import type { Store, TranscriptRow } from '../../src/store/index.ts';
import { startSession } from '../ingest/records.ts';
import { useTempStore } from './helpers.ts';
import { settings } from './projection-settings.ts';

let store: Store;
useTempStore('transcripts', (s) => {
  store = s;
});

function transcript(
  transcriptId: string,
  sessionId: string,
  source: 's3' | 'cloudwatch',
  lastModified: number | null,
  extra: Partial<TranscriptRow> = {},
): TranscriptRow {
  return {
    transcriptId,
    sessionId,
    source,
    location: transcriptId,
    etag: null,
    versionId: null,
    sha256: null,
    byteSize: 1,
    format: source === 's3' ? 'script' : 'cloudwatch_stream',
    headerTime: null,
    lastModified,
    firstEventAt: null,
    lastEventAt: null,
    claimedTarget: null,
    claimedPrincipalArn: null,
    claimedRunAsUser: null,
    claimedSessionId: null,
    ...extra,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const cwEvent = (transcriptId: string, seq: number, timestamp: number) => ({
  transcriptId,
  seq,
  timestamp,
  ingestionTime: null,
  message: `m${seq}`,
});

describe('transcript readers', () => {
  it('yields chunks in seq order whatever order they were written in, decompressing one at a time', async () => {
    const parts = ['first ', 'second ', 'third'].map((s) => Buffer.from(s));
    await store.evidence.writeBatch(
      {
        sourceId: 't',
        transcriptChunks: [2, 0, 1].map((seq) => ({
          transcriptId: 'x',
          seq,
          rawSize: parts[seq]!.length,
          data: compressChunk(parts[seq]!),
        })),
      },
      settings,
    );
    await store.evidence.writeBatch(
      { sourceId: 't', transcripts: [transcript('x', 's-1', 's3', 5)] },
      settings,
    );
    const out = (await collect(store.transcripts.readChunks('x'))).map((c) => c.toString());
    expect(out).toEqual(['first ', 'second ', 'third']);
    expect(await store.transcripts.storedChunkBytes('x')).toBe(18);
    expect(await store.transcripts.storedChunkBytes('none')).toBe(0);
    expect(await collect(store.transcripts.readChunks('none'))).toEqual([]);
    expect(() => decompressChunk(Buffer.from('plain'))).toThrow(/unknown compression/);
  });

  it('reads CloudWatch events in stream order and reports the resume position', async () => {
    const events = [4, 2, 0, 3, 1].map((seq) => cwEvent('cw://g/s', seq, seq < 3 ? 100 : 200));
    await store.evidence.writeBatch(
      { sourceId: 't', transcripts: [transcript('cw://g/s', 's', 'cloudwatch', null)], cwEvents: events },
      settings,
    );
    expect((await collect(store.transcripts.readCwEvents('cw://g/s'))).map((e) => e.message)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
    expect(await store.transcripts.cwStreamPosition('cw://g/s')).toEqual({
      count: 5,
      lastTimestamp: 200,
      countAtLast: 2,
    });
    expect(await store.transcripts.cwStreamPosition('cw://g/none')).toEqual({
      count: 0,
      lastTimestamp: null,
      countAtLast: 0,
    });
  });

  it('reads a stream longer than one page completely, in order, without repeats', async () => {
    // Several of the reader's pages (it reads page by page so no iterator holds the connection).
    const n = 2_500;
    const events = Array.from({ length: n }, (_, seq) => cwEvent('cw://g/long', seq, 1_000 + seq));
    await store.evidence.writeBatch(
      { sourceId: 't', transcripts: [transcript('cw://g/long', 's', 'cloudwatch', null)], cwEvents: events },
      settings,
    );
    const read = await collect(store.transcripts.readCwEvents('cw://g/long'));
    expect(read.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(read.at(-1)).toEqual({
      seq: n - 1,
      timestamp: 1_000 + n - 1,
      ingestionTime: null,
      message: `m${n - 1}`,
    });
  });

  it('lists a session transcripts S3 first, then by upload time', async () => {
    await store.evidence.writeBatch(
      {
        sourceId: 't',
        transcripts: [
          transcript('cw', 's', 'cloudwatch', null),
          transcript('b', 's', 's3', 20),
          transcript('a', 's', 's3', 10),
        ],
      },
      settings,
    );
    expect((await store.transcripts.list('s')).map((t) => t.transcriptId)).toEqual(['a', 'b', 'cw']);
    expect(await store.transcripts.list('other')).toEqual([]);
  });
});

describe('findings queries', () => {
  it('lists findings with their session and counts them per kind', async () => {
    // Session a: known from DescribeSessions only (no owner, so no actor), ended long ago, no
    // transcript: missing. Session b: its S3 object in two versions, one claiming another target.
    await store.evidence.writeBatch(
      {
        sourceId: 't',
        describeSnapshots: [
          describeSessionToRow(
            {
              SessionId: 'a',
              Status: 'Terminated',
              StartDate: '2026-11-20T00:00:00Z',
              EndDate: '2026-11-20T01:00:00Z',
            },
            'us-east-1',
          ),
        ],
      },
      settings,
    );
    const start = normalizeRecord(
      startSession({ sessionId: 'b', time: '2026-11-21T00:00:00Z', target: 'i-1' }),
      't',
    )!;
    await store.evidence.writeBatch(
      {
        sourceId: 't',
        ctEvents: [start],
        transcripts: [
          transcript('y', 'b', 's3', Date.parse('2026-11-21T01:00:00Z'), {
            location: 'x',
            sha256: '1',
            claimedTarget: 'i-2',
          }),
          transcript('y2', 'b', 's3', Date.parse('2026-11-21T02:00:00Z'), { location: 'x', sha256: '2' }),
        ],
      },
      settings,
    );
    const list = async (options?: Parameters<Store['findings']['list']>[0]) =>
      (await store.findings.list(options)).items;
    expect(await list()).toHaveLength(3);
    expect((await list({ kinds: ['integrity'] })).map((f) => f.code)).toEqual([
      'object_changed:x',
      'target_mismatch:y',
    ]);
    expect(
      (await list({ kinds: ['integrity'] })).every((f) => f.sessionId === 'b' && f.actor === 'alice'),
    ).toBe(true);
    expect((await list({ sessionId: 'a' }))[0]).toMatchObject({
      kind: 'missing',
      code: 'no_transcript',
      actor: null,
    });
    expect(await store.findings.countByKind()).toEqual({ missing: 1, partial: 0, integrity: 2 });
  });
});
