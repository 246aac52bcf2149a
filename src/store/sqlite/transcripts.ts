/**
 * Read side of the transcripts table group (transcripts, transcript_chunks, cw_events) and of the
 * audit findings. Every reader goes chunk by chunk or page by page so a 500 MB transcript never has
 * to sit in memory; writes go through store/evidence.ts only.
 */
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { TranscriptRow } from './evidence.ts';
import type { Store } from './open.ts';

/**
 * gzip level for stored chunks. Level 1 is ~3x faster than the default 6 on terminal output and
 * still shrinks it several times; transcripts are written once and read rarely, so speed wins.
 */
export const COMPRESSION_LEVEL = 1;

/** One chunk as stored. gzip's magic (1f 8b) lets a future codec be told apart by its own magic. */
export function compressChunk(raw: Buffer): Buffer {
  return gzipSync(raw, { level: COMPRESSION_LEVEL });
}

/** The same on the libuv pool, so several chunks compress in parallel with reading and hashing. */
export function compressChunkAsync(raw: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    gzip(raw, { level: COMPRESSION_LEVEL }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/** The raw bytes of a stored chunk. */
export function decompressChunk(data: Buffer): Buffer {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data);
  throw new Error('transcript chunk: unknown compression');
}

/** A stored transcript's metadata (the same shape the evidence writer inserts). */
export type StoredTranscript = TranscriptRow;

const TRANSCRIPT_COLUMNS = `transcript_id AS transcriptId, session_id AS sessionId, source, location, etag,
  version_id AS versionId, sha256, byte_size AS byteSize, format, header_time AS headerTime,
  last_modified AS lastModified, first_event_at AS firstEventAt, last_event_at AS lastEventAt,
  claimed_target AS claimedTarget, claimed_principal_arn AS claimedPrincipalArn,
  claimed_run_as_user AS claimedRunAsUser, claimed_session_id AS claimedSessionId`;

/** A session's transcripts, S3 first, then by upload/first event time, then id (stable order). */
export function listTranscripts(store: Store, sessionId: string): StoredTranscript[] {
  return store.sqlite
    .prepare(
      `SELECT ${TRANSCRIPT_COLUMNS} FROM transcripts WHERE session_id = ?
       ORDER BY source DESC, coalesce(last_modified, first_event_at), transcript_id`,
    )
    .all(sessionId) as StoredTranscript[];
}

/** Raw bytes stored for a transcript (equals byte_size once an import completed). */
export function storedChunkBytes(store: Store, transcriptId: string): number {
  const row = store.sqlite
    .prepare('SELECT coalesce(sum(raw_size), 0) AS n FROM transcript_chunks WHERE transcript_id = ?')
    .get(transcriptId) as { n: number };
  return row.n;
}

/**
 * The raw bytes of a stored S3/file transcript, in order, one decompressed chunk at a time.
 * @example for await (const bytes of readTranscriptChunks(store, id)) process.stdout.write(bytes);
 */
export async function* readTranscriptChunks(store: Store, transcriptId: string): AsyncGenerator<Buffer> {
  const next = store.sqlite.prepare(
    'SELECT seq, data FROM transcript_chunks WHERE transcript_id = ? AND seq > ? ORDER BY seq LIMIT 1',
  );
  let seq = -1;
  for (;;) {
    const row = next.get(transcriptId, seq) as { seq: number; data: Buffer } | undefined;
    if (!row) return;
    seq = row.seq;
    yield decompressChunk(row.data);
  }
}

export interface StoredCwEvent {
  seq: number;
  timestamp: number;
  ingestionTime: number | null;
  message: string;
}

/** A CloudWatch transcript's events in stream order, read in pages. */
export function* readCwEvents(store: Store, transcriptId: string, pageSize = 1000): Generator<StoredCwEvent> {
  const page = store.sqlite.prepare(
    `SELECT seq, timestamp, ingestion_time AS ingestionTime, message FROM cw_events
     WHERE transcript_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  let seq = -1;
  for (;;) {
    const rows = page.all(transcriptId, seq, pageSize) as StoredCwEvent[];
    yield* rows;
    if (rows.length < pageSize) return;
    seq = rows.at(-1)!.seq;
  }
}

/** Where a stream stands: how many events are stored and the last timestamp (resume point). */
export function cwStreamPosition(
  store: Store,
  transcriptId: string,
): { count: number; lastTimestamp: number | null; countAtLast: number } {
  const row = store.sqlite
    .prepare(
      'SELECT count(*) AS count, max(timestamp) AS lastTimestamp FROM cw_events WHERE transcript_id = ?',
    )
    .get(transcriptId) as { count: number; lastTimestamp: number | null };
  const atLast =
    row.lastTimestamp == null
      ? 0
      : (
          store.sqlite
            .prepare('SELECT count(*) AS n FROM cw_events WHERE transcript_id = ? AND timestamp = ?')
            .get(transcriptId, row.lastTimestamp) as { n: number }
        ).n;
  return { count: row.count, lastTimestamp: row.lastTimestamp, countAtLast: atLast };
}

export type FindingKind = 'missing' | 'partial' | 'integrity';

export interface Finding {
  findingId: string;
  kind: FindingKind;
  code: string;
  sessionId: string;
  detail: string;
  detectedAt: number;
  actor: string | null;
  target: string | null;
  startedAt: number | null;
}

/** Audit findings, newest session first, optionally of some kinds only. */
export function listFindings(
  store: Store,
  options: { kinds?: FindingKind[]; sessionId?: string } = {},
): Finding[] {
  const where: string[] = [];
  const params: string[] = [];
  if (options.kinds?.length) {
    where.push(`f.kind IN (${options.kinds.map(() => '?').join(', ')})`);
    params.push(...options.kinds);
  }
  if (options.sessionId) {
    where.push('f.session_id = ?');
    params.push(options.sessionId);
  }
  return store.sqlite
    .prepare(
      `SELECT f.finding_id AS findingId, f.kind, f.code, f.session_id AS sessionId, f.detail,
         f.detected_at AS detectedAt, s.actor, s.target, s.started_at AS startedAt
       FROM findings f LEFT JOIN sessions s ON s.session_id = f.session_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY s.started_at DESC NULLS LAST, f.session_id, f.finding_id`,
    )
    .all(...params) as Finding[];
}

/** Findings per kind, for the import summary. */
export function countFindings(store: Store): Record<FindingKind, number> {
  const counts: Record<FindingKind, number> = { missing: 0, partial: 0, integrity: 0 };
  const rows = store.sqlite.prepare('SELECT kind, count(*) AS n FROM findings GROUP BY kind').all() as {
    kind: FindingKind;
    n: number;
  }[];
  for (const r of rows) counts[r.kind] = r.n;
  return counts;
}
