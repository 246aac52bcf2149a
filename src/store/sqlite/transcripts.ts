/**
 * Read side of the transcripts table group (transcripts, transcript_chunks, cw_events). Every
 * reader goes chunk by chunk or page by page, one statement at a time (no iterator holds the
 * connection), so a 500 MB transcript never has to sit in memory; writes go through evidence.ts.
 */
import { decompressChunk } from '../chunks.ts';
import type { CwStreamPosition, StoredCwEvent, TranscriptRow } from '../types.ts';
import type { Conn } from './connection.ts';

const TRANSCRIPT_COLUMNS = `transcript_id AS transcriptId, session_id AS sessionId, source, location, etag,
  version_id AS versionId, sha256, byte_size AS byteSize, format, header_time AS headerTime,
  last_modified AS lastModified, first_event_at AS firstEventAt, last_event_at AS lastEventAt,
  claimed_target AS claimedTarget, claimed_principal_arn AS claimedPrincipalArn,
  claimed_run_as_user AS claimedRunAsUser, claimed_session_id AS claimedSessionId`;

/** A session's transcripts, S3 first, then by upload/first event time, then id (stable order). */
export function listTranscripts(conn: Conn, sessionId: string): TranscriptRow[] {
  return conn.sqlite
    .prepare(
      `SELECT ${TRANSCRIPT_COLUMNS} FROM transcripts WHERE session_id = ?
       ORDER BY source DESC, coalesce(last_modified, first_event_at), transcript_id`,
    )
    .all(sessionId) as TranscriptRow[];
}

/** Raw bytes stored for a transcript (equals byte_size once an import completed). */
export function storedChunkBytes(conn: Conn, transcriptId: string): number {
  const row = conn.sqlite
    .prepare('SELECT coalesce(sum(raw_size), 0) AS n FROM transcript_chunks WHERE transcript_id = ?')
    .get(transcriptId) as { n: number };
  return row.n;
}

/**
 * The raw bytes of a stored S3/file transcript, in order, one decompressed chunk at a time.
 * @example for await (const bytes of readTranscriptChunks(conn, id)) process.stdout.write(bytes);
 */
export async function* readTranscriptChunks(conn: Conn, transcriptId: string): AsyncGenerator<Buffer> {
  const next = conn.sqlite.prepare(
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

/** A CloudWatch transcript's events in stream order, read in pages. */
export async function* readCwEvents(
  conn: Conn,
  transcriptId: string,
  pageSize = 1000,
): AsyncGenerator<StoredCwEvent> {
  const page = conn.sqlite.prepare(
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
export function cwStreamPosition(conn: Conn, transcriptId: string): CwStreamPosition {
  const row = conn.sqlite
    .prepare(
      'SELECT count(*) AS count, max(timestamp) AS lastTimestamp FROM cw_events WHERE transcript_id = ?',
    )
    .get(transcriptId) as { count: number; lastTimestamp: number | null };
  const atLast =
    row.lastTimestamp == null
      ? 0
      : (
          conn.sqlite
            .prepare('SELECT count(*) AS n FROM cw_events WHERE transcript_id = ? AND timestamp = ?')
            .get(transcriptId, row.lastTimestamp) as { n: number }
        ).n;
  return { count: row.count, lastTimestamp: row.lastTimestamp, countAtLast: atLast };
}
