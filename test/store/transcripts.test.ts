import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBatch } from '../../src/store/evidence.ts';
import {
  compressChunk,
  countFindings,
  cwStreamPosition,
  decompressChunk,
  listFindings,
  listTranscripts,
  readCwEvents,
  readTranscriptChunks,
  storedChunkBytes,
} from '../../src/store/transcripts.ts';
import { type Harness, openHarness } from '../ingest/transcript-harness.ts';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

function transcript(
  transcriptId: string,
  sessionId: string,
  source: 's3' | 'cloudwatch',
  lastModified: number | null,
) {
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
  };
}

describe('transcript readers', () => {
  it('yields chunks in seq order whatever order they were written in, decompressing one at a time', async () => {
    const parts = ['first ', 'second ', 'third'].map((s) => Buffer.from(s));
    writeBatch(
      h.store,
      {
        sourceId: 't',
        transcriptChunks: [2, 0, 1].map((seq) => ({
          transcriptId: 'x',
          seq,
          rawSize: parts[seq]!.length,
          data: compressChunk(parts[seq]!),
        })),
      },
      h.settings,
    );
    writeBatch(h.store, { sourceId: 't', transcripts: [transcript('x', 's-1', 's3', 5)] }, h.settings);
    const out: string[] = [];
    for await (const c of readTranscriptChunks(h.store, 'x')) out.push(c.toString());
    expect(out).toEqual(['first ', 'second ', 'third']);
    expect(storedChunkBytes(h.store, 'x')).toBe(18);
    expect(() => decompressChunk(Buffer.from('plain'))).toThrow(/unknown compression/);
  });

  it('pages CloudWatch events in stream order and reports the resume position', () => {
    const events = [0, 1, 2, 3, 4].map((seq) => ({
      transcriptId: 'cw://g/s',
      seq,
      timestamp: seq < 3 ? 100 : 200,
      ingestionTime: null,
      message: `m${seq}`,
    }));
    writeBatch(
      h.store,
      { sourceId: 't', transcripts: [transcript('cw://g/s', 's', 'cloudwatch', null)], cwEvents: events },
      h.settings,
    );
    expect([...readCwEvents(h.store, 'cw://g/s', 2)].map((e) => e.message)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
    expect(cwStreamPosition(h.store, 'cw://g/s')).toEqual({ count: 5, lastTimestamp: 200, countAtLast: 2 });
    expect(cwStreamPosition(h.store, 'cw://g/none')).toEqual({
      count: 0,
      lastTimestamp: null,
      countAtLast: 0,
    });
  });

  it('lists a session transcripts S3 first, then by upload time', () => {
    writeBatch(
      h.store,
      {
        sourceId: 't',
        transcripts: [
          transcript('cw', 's', 'cloudwatch', null),
          transcript('b', 's', 's3', 20),
          transcript('a', 's', 's3', 10),
        ],
      },
      h.settings,
    );
    expect(listTranscripts(h.store, 's').map((t) => t.transcriptId)).toEqual(['a', 'b', 'cw']);
  });
});

describe('findings queries', () => {
  it('lists findings with their session and counts them per kind', () => {
    const insert = h.store.sqlite.prepare(
      'INSERT INTO findings (finding_id, kind, code, session_id, detail, detected_at) VALUES (?, ?, ?, ?, ?, 1)',
    );
    insert.run('missing:a:no_transcript', 'missing', 'no_transcript', 'a', 'd1');
    insert.run('integrity:b:object_changed:x', 'integrity', 'object_changed:x', 'b', 'd2');
    insert.run('integrity:b:target_mismatch:y', 'integrity', 'target_mismatch:y', 'b', 'd3');
    expect(listFindings(h.store).map((f) => f.findingId)).toHaveLength(3);
    expect(listFindings(h.store, { kinds: ['integrity'] }).map((f) => f.code)).toEqual([
      'object_changed:x',
      'target_mismatch:y',
    ]);
    expect(listFindings(h.store, { sessionId: 'a' })[0]).toMatchObject({ kind: 'missing', actor: null });
    expect(countFindings(h.store)).toEqual({ missing: 1, partial: 0, integrity: 2 });
  });
});
