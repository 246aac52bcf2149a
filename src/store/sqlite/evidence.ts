/**
 * The one way ingestion writes: an EvidenceBatch is applied in a single synchronous transaction
 * (fetch and parse happen outside), together with the source's ledger entries and checkpoint, and
 * the sessions it touched are re-projected in the same transaction. A worker killed at any point
 * therefore leaves either all of a batch or none of it, and a re-run converges to the same store.
 */
import { eq } from 'drizzle-orm';
import type { ProjectionSettings } from '../projection.ts';
import { recordDigest } from '../record-digest.ts';
import type { BatchOutcome, CtEventRow, DescribeSnapshotRow, EvidenceBatch } from '../types.ts';
import { type Conn, writeTransaction } from './connection.ts';
import { projectSessions } from './projection.ts';
import { checkpoints, ctEvents, describeSnapshots } from './schema.ts';
import { statementCache } from './statements.ts';

/**
 * Applies a batch atomically and re-projects the sessions it touched.
 *
 * @example writeBatch(conn, { sourceId: 'local:/trail', ctEvents, ledger: [{ itemKey, version, outcome: 'done', records: 3 }] }, settings)
 */
export function writeBatch(conn: Conn, batch: EvidenceBatch, settings: ProjectionSettings): BatchOutcome {
  const s = statements(conn);
  return writeTransaction(conn, (): BatchOutcome => {
    const touched = new Set<string>();
    const transcriptsChanged = new Set<string>();
    let ctEventsInserted = 0;
    let transcriptsInserted = 0;
    for (const e of batch.ctEvents ?? []) {
      const digest = recordDigest(e);
      // A version already stored from another source is not a new session event for the counters.
      const known = s.ctVersionExists.get(e.eventId, digest) !== undefined;
      if (s.insertCtEvent.run({ ...e, digest }).changes > 0) {
        if (!known) ctEventsInserted++;
        if (e.sessionId) touched.add(e.sessionId);
      }
    }
    for (const d of batch.describeSnapshots ?? []) {
      if (s.insertDescribe.run(d).changes > 0) touched.add(d.sessionId);
    }
    const sessionOfTranscript = new Map<string, string>();
    for (const t of batch.transcripts ?? []) {
      sessionOfTranscript.set(t.transcriptId, t.sessionId);
      if (s.insertTranscript.run(t).changes > 0) {
        transcriptsInserted++;
        touched.add(t.sessionId);
        transcriptsChanged.add(t.sessionId);
      }
    }
    for (const c of batch.transcriptChunks ?? []) {
      if (s.insertChunk.run(c).changes > 0) markTranscript(c.transcriptId);
    }
    for (const transcriptId of batch.discardOrphanChunksOf ?? [])
      s.discardOrphanChunks.run({ id: transcriptId });
    const cwTranscripts = new Set<string>();
    for (const e of batch.cwEvents ?? []) {
      if (s.insertCwEvent.run(e).changes > 0) {
        cwTranscripts.add(e.transcriptId);
        markTranscript(e.transcriptId);
      }
    }
    for (const id of cwTranscripts) s.refreshCwTranscript.run(id);
    let quarantined = 0;
    for (const q of batch.quarantine ?? []) {
      quarantined += s.insertQuarantine.run({ sourceId: batch.sourceId, ...q }).changes;
    }
    for (const l of batch.ledger ?? []) s.upsertLedger.run({ sourceId: batch.sourceId, ...l });
    if (batch.checkpoint !== undefined) {
      s.upsertCheckpoint.run(batch.sourceId, JSON.stringify(batch.checkpoint));
    }
    for (const sessionId of transcriptsChanged) s.queueExtract.run(sessionId);
    const projected = projectSessions(conn, touched, settings);
    return { ctEventsInserted, transcriptsInserted, ...projected, quarantined };

    function markTranscript(transcriptId: string) {
      const sessionId =
        sessionOfTranscript.get(transcriptId) ??
        (s.sessionOfTranscript.get(transcriptId) as { session_id: string } | undefined)?.session_id;
      if (!sessionId) return;
      sessionOfTranscript.set(transcriptId, sessionId);
      touched.add(sessionId);
      transcriptsChanged.add(sessionId);
    }
  });
}

/** The source's stored checkpoint, or undefined on its first run. */
export function readCheckpoint<T>(conn: Conn, sourceId: string): T | undefined {
  const row = conn.db
    .select({ value: checkpoints.value })
    .from(checkpoints)
    .where(eq(checkpoints.sourceId, sourceId))
    .get();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** Whether this exact item version was already processed (done or quarantined) by the source. */
export function isInLedger(conn: Conn, sourceId: string, itemKey: string, version: string): boolean {
  return statements(conn).inLedger.get(sourceId, itemKey, version) !== undefined;
}

/** A session's CloudTrail records, oldest first. */
export function sessionEvents(conn: Conn, sessionId: string): CtEventRow[] {
  return conn.db
    .select()
    .from(ctEvents)
    .where(eq(ctEvents.sessionId, sessionId))
    .orderBy(ctEvents.eventTime, ctEvents.eventId, ctEvents.digest, ctEvents.origin)
    .all();
}

/** A session's DescribeSessions observations, in the order of their start and status. */
export function sessionDescribeSnapshots(conn: Conn, sessionId: string): DescribeSnapshotRow[] {
  return conn.db
    .select()
    .from(describeSnapshots)
    .where(eq(describeSnapshots.sessionId, sessionId))
    .orderBy(describeSnapshots.status, describeSnapshots.raw)
    .all();
}

const statements = statementCache(prepare);

function prepare(conn: Conn) {
  const db = conn.sqlite;
  return {
    // One row per eventID, content version and source: a re-import collapses, nothing is updated.
    insertCtEvent: db.prepare(
      `INSERT INTO ct_events (event_id, digest, event_name, event_time, session_id, account_id, region, target,
         document_name, parameters, reason, principal_arn, principal_type, actor, source_ip, user_agent,
         error_code, error_message, origin, raw)
       VALUES (@eventId, @digest, @eventName, @eventTime, @sessionId, @accountId, @region, @target, @documentName,
         @parameters, @reason, @principalArn, @principalType, @actor, @sourceIp, @userAgent, @errorCode,
         @errorMessage, @origin, @raw)
       ON CONFLICT DO NOTHING`,
    ),
    ctVersionExists: db.prepare('SELECT 1 FROM ct_events WHERE event_id = ? AND digest = ?'),
    insertDescribe: db.prepare(
      `INSERT INTO describe_snapshots (session_id, status, account_id, region, target, document_name, owner,
         reason, started_at, ended_at, output_url, raw)
       VALUES (@sessionId, @status, @accountId, @region, @target, @documentName, @owner, @reason, @startedAt,
         @endedAt, @outputUrl, @raw)
       ON CONFLICT DO NOTHING`,
    ),
    insertTranscript: db.prepare(
      `INSERT INTO transcripts (transcript_id, session_id, source, location, etag, version_id, sha256, byte_size,
         format, header_time, last_modified, first_event_at, last_event_at, claimed_target,
         claimed_principal_arn, claimed_run_as_user, claimed_session_id)
       VALUES (@transcriptId, @sessionId, @source, @location, @etag, @versionId, @sha256, @byteSize, @format,
         @headerTime, @lastModified, @firstEventAt, @lastEventAt, @claimedTarget, @claimedPrincipalArn,
         @claimedRunAsUser, @claimedSessionId)
       ON CONFLICT(transcript_id) DO NOTHING`,
    ),
    insertChunk: db.prepare(
      `INSERT INTO transcript_chunks (transcript_id, seq, raw_size, data) VALUES (@transcriptId, @seq, @rawSize, @data)
       ON CONFLICT DO NOTHING`,
    ),
    insertCwEvent: db.prepare(
      `INSERT INTO cw_events (transcript_id, seq, timestamp, ingestion_time, message)
       VALUES (@transcriptId, @seq, @timestamp, @ingestionTime, @message) ON CONFLICT DO NOTHING`,
    ),
    // A CloudWatch stream grows while its session runs; its metadata follows the stored events.
    refreshCwTranscript: db.prepare(
      `UPDATE transcripts SET
         first_event_at = (SELECT min(timestamp) FROM cw_events WHERE transcript_id = transcripts.transcript_id),
         last_event_at = (SELECT max(timestamp) FROM cw_events WHERE transcript_id = transcripts.transcript_id),
         byte_size = (SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) FROM cw_events
                      WHERE transcript_id = transcripts.transcript_id)
       WHERE transcript_id = ?`,
    ),
    sessionOfTranscript: db.prepare('SELECT session_id FROM transcripts WHERE transcript_id = ?'),
    discardOrphanChunks: db.prepare(
      `DELETE FROM transcript_chunks WHERE transcript_id = @id
       AND NOT EXISTS (SELECT 1 FROM transcripts WHERE transcript_id = @id)`,
    ),
    insertQuarantine: db.prepare(
      `INSERT INTO quarantine (source_id, item_key, reason, detail) VALUES (@sourceId, @itemKey, @reason, @detail)
       ON CONFLICT DO NOTHING`,
    ),
    upsertLedger: db.prepare(
      `INSERT INTO ingest_ledger (source_id, item_key, version, outcome, records)
       VALUES (@sourceId, @itemKey, @version, @outcome, @records)
       ON CONFLICT DO UPDATE SET outcome = excluded.outcome, records = excluded.records`,
    ),
    upsertCheckpoint: db.prepare(
      'INSERT INTO checkpoints (source_id, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
    ),
    // The ledger is asked once per listed object on every poll: a prepared statement, not a builder.
    inLedger: db.prepare('SELECT 1 FROM ingest_ledger WHERE source_id = ? AND item_key = ? AND version = ?'),
    queueExtract: db.prepare('INSERT INTO extract_queue (session_id) VALUES (?) ON CONFLICT DO NOTHING'),
  };
}

/**
 * Gives rows copied by migration 0008 their content digest (SQLite has no SHA-256 to do it in SQL).
 * Runs once, at the first writable open after the upgrade; a no-op afterwards.
 */
export function backfillRecordDigests(conn: Conn): void {
  const pending = conn.sqlite.prepare("SELECT * FROM ct_events WHERE digest = '' LIMIT 1").get();
  if (!pending) return;
  conn.sqlite
    .transaction(() => {
      const rows = conn.db.select().from(ctEvents).where(eq(ctEvents.digest, '')).all();
      const update = conn.sqlite.prepare(
        "UPDATE ct_events SET digest = ? WHERE event_id = ? AND origin = ? AND digest = ''",
      );
      for (const row of rows) update.run(recordDigest(row), row.eventId, row.origin);
    })
    .immediate();
}
