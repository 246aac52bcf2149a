import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.ts';
import {
  buildTranscriptEvidence,
  CHUNK_BYTES,
  cloudWatchEventRows,
  cloudWatchTranscript,
  type ObjectOrigin,
  SPILL_BYTES,
  sessionIdFromKey,
} from '../../../src/ingest/normalize/transcript-evidence.ts';
import { decompressChunk } from '../../../src/store/chunks.ts';
import type { ChunkRow } from '../../../src/store/index.ts';
import { ARN, agentEvent, POWERSHELL, scriptLog, shellBody, TARGET } from '../transcript-samples.ts';

const SID = 'alice-0a1b2c3d4e5f67890';

function origin(over: Partial<ObjectOrigin> = {}): ObjectOrigin {
  return {
    transcriptId: `s3://b/logs/${SID}.log#etag1`,
    location: `b/logs/${SID}.log`,
    etag: 'etag1',
    versionId: null,
    lastModified: 1_759_165_083_000,
    sessionIdFromName: SID,
    ...over,
  };
}

/** Yields `bytes` in pieces of the given sizes, cycling, like a network stream would. */
async function* pieces(bytes: Buffer, sizes = [7, 65_536, 1, 300_000]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

const joined = (chunks: ChunkRow[]) => Buffer.concat(chunks.map((c) => decompressChunk(c.data)));

describe('buildTranscriptEvidence', () => {
  it('keeps a script log byte for byte in <= 1 MiB chunks with the whole SHA-256 and header facts', async () => {
    const filler = shellBody(Array.from({ length: 60_000 }, (_, i) => `echo line ${i}`));
    const bytes = scriptLog(SID, filler);
    expect(bytes.length).toBeGreaterThan(2 * CHUNK_BYTES);
    const { transcript, chunks } = await buildTranscriptEvidence(pieces(bytes), origin());
    expect(joined(chunks).equals(bytes)).toBe(true);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((c) => c.rawSize <= CHUNK_BYTES && c.transcriptId === transcript.transcriptId)).toBe(
      true,
    );
    expect(chunks.slice(0, -1).every((c) => c.rawSize === CHUNK_BYTES)).toBe(true);
    expect(transcript).toMatchObject({
      sessionId: SID,
      source: 's3',
      format: 'script',
      byteSize: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      headerTime: Date.parse('2025-09-29T16:58:03Z'),
      claimedTarget: TARGET,
      claimedPrincipalArn: null,
    });
  });

  it('keeps invalid UTF-8, NUL bytes, a final line without newline and a long single line exactly', async () => {
    const body = Buffer.concat([
      Buffer.from('$ printf "\\xff\\xfe\\0"\r\r\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x00]),
      Buffer.alloc(3 * CHUNK_BYTES + 17, 'x'),
      Buffer.from('$ no newline at the end'),
    ]);
    const bytes = Buffer.concat([scriptLog(SID, '').subarray(0, 200), body]);
    const { transcript, chunks } = await buildTranscriptEvidence(pieces(bytes), origin());
    expect(joined(chunks).equals(bytes)).toBe(true);
    expect(transcript.byteSize).toBe(bytes.length);
  });

  it('falls back to the header session id, and rejects an object that names no session', async () => {
    const fromHeader = await buildTranscriptEvidence(
      [scriptLog(SID, 'ls\n')],
      origin({ sessionIdFromName: null }),
    );
    expect(fromHeader.transcript.sessionId).toBe(SID);
    const anonymous = buildTranscriptEvidence(
      [Buffer.from('just bytes')],
      origin({ sessionIdFromName: null }),
    );
    await expect(anonymous).rejects.toMatchObject({ name: 'BadInputError', reason: 'no_session_id' });
  });

  it('stores zero-byte, raw and PowerShell objects with their format', async () => {
    const empty = await buildTranscriptEvidence([], origin());
    expect(empty.transcript).toMatchObject({ format: 'empty', byteSize: 0, headerTime: null });
    expect(empty.chunks).toEqual([]);
    const ps = await buildTranscriptEvidence([POWERSHELL], origin());
    expect(ps.transcript.format).toBe('powershell');
    expect(joined(ps.chunks).equals(POWERSHELL)).toBe(true);
    const raw = await buildTranscriptEvidence([Buffer.from('\x1b[?2004h$ ls\r\n')], origin());
    expect(raw.transcript.format).toBe('raw');
  });

  it('spills compressed chunks in order once the budget is exceeded, and needs a known id to do so', async () => {
    const bytes = randomBytes(SPILL_BYTES + 4 * CHUNK_BYTES); // incompressible: every chunk stays ~1 MiB
    const spilled: ChunkRow[][] = [];
    const { chunks } = await buildTranscriptEvidence(
      pieces(bytes, [CHUNK_BYTES / 2]),
      origin(),
      async (c) => {
        spilled.push(c);
      },
    );
    expect(spilled.length).toBeGreaterThan(0);
    const all = [...spilled.flat(), ...chunks];
    expect(all.map((c) => c.seq)).toEqual(all.map((_, i) => i));
    expect(joined(all).equals(bytes)).toBe(true);
    const unhashed = buildTranscriptEvidence(
      pieces(bytes, [CHUNK_BYTES]),
      origin({ transcriptId: (sha) => `file://x#${sha}` }),
    );
    await expect(unhashed).rejects.toBeInstanceOf(BadInputError);
    let spills = 0;
    const nameless = buildTranscriptEvidence(
      pieces(bytes, [CHUNK_BYTES]),
      origin({ sessionIdFromName: null }),
      async () => {
        spills++;
      },
    );
    await expect(nameless).rejects.toMatchObject({ reason: 'no_session_id' });
    expect(spills).toBe(0); // refused before writing anything, so no orphan chunks
  });

  it('derives the id from the content hash when asked', async () => {
    const bytes = scriptLog(SID, 'ls\n');
    const { transcript, chunks } = await buildTranscriptEvidence(
      [bytes],
      origin({ transcriptId: (sha) => `file://a/${SID}.log#${sha}` }),
    );
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(transcript.transcriptId).toBe(`file://a/${SID}.log#${sha}`);
    expect(chunks.every((c) => c.transcriptId === transcript.transcriptId)).toBe(true);
  });
});

describe('sessionIdFromKey', () => {
  it('takes the file name of a session log under any prefix', () => {
    expect(sessionIdFromKey(`a/b/c/${SID}.log`)).toBe(SID);
    expect(sessionIdFromKey(`${SID}.log`)).toBe(SID);
    expect(sessionIdFromKey('a/b/notes.txt')).toBeNull();
    expect(sessionIdFromKey('a/b/.log')).toBeNull();
    expect(sessionIdFromKey('a/has space.log')).toBeNull();
  });
});

describe('CloudWatch evidence', () => {
  it('takes the claims of the agent events and keeps every event, flagging malformed ones', () => {
    const events = [
      { timestamp: 1000, message: agentEvent(SID, ['$ whoami'], 1000) },
      { timestamp: 2000, message: '{"eventVersion":"1.0","sessionData":["broken' },
      { timestamp: 3000, message: agentEvent(SID, ['ssm-user'], 3000) },
    ];
    const t = cloudWatchTranscript(`cw://g/${SID}`, `g/${SID}`, SID, events);
    expect(t).toMatchObject({
      source: 'cloudwatch',
      format: 'cloudwatch_stream',
      claimedTarget: TARGET,
      claimedPrincipalArn: ARN,
      claimedRunAsUser: 'ssm-user',
      firstEventAt: 1000,
      lastEventAt: 3000,
    });
    const { rows, invalid } = cloudWatchEventRows(t.transcriptId, 5, events);
    expect(rows.map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(rows[1]!.message).toBe(events[1]!.message);
    expect(invalid).toEqual([{ seq: 6, reason: 'malformed_json' }]);
  });

  it('marks the plain end-of-session upload as text with no claims', () => {
    const t = cloudWatchTranscript('cw://g/s', 'g/s', 's', [
      { timestamp: 5, message: 'Script started on ...\n$ ls\n' },
    ]);
    expect(t).toMatchObject({ format: 'cloudwatch_text', claimedTarget: null, claimedPrincipalArn: null });
  });
});
