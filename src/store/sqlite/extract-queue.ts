/**
 * The extract queue: sessions whose transcripts changed since their commands were extracted. It is
 * filled in the same transaction as the evidence batch that changed them (evidence.ts, projection.ts),
 * so a crash between ingest and extraction loses nothing; each session leaves it in the same
 * transaction that stores its commands.
 */
import type { ExtractionOutcome } from '../types.ts';
import { replaceSessionCommands } from './commands.ts';
import { type Conn, writeTransaction } from './connection.ts';
import { statementCache } from './statements.ts';

/** The source id quarantine rows of extraction carry. */
export const EXTRACT_SOURCE_ID = 'extract';

export function nextQueued(conn: Conn, after: string, limit: number): string[] {
  return (statements(conn).page.all(after, limit) as { session_id: string }[]).map((r) => r.session_id);
}

export function queueSize(conn: Conn): number {
  return (statements(conn).size.get() as { n: number }).n;
}

export function completeExtraction(conn: Conn, sessionId: string, outcome: ExtractionOutcome | null): void {
  const s = statements(conn);
  writeTransaction(conn, () => {
    replaceSessionCommands(conn, sessionId, outcome?.commands ?? []);
    const incomplete = outcome?.commandsIncomplete ?? (outcome?.droppedCommands ? 'truncated' : null);
    s.sessionExtraction.run(
      outcome?.cols ?? null,
      outcome?.colsSource ?? null,
      outcome?.extractorVersion ?? null,
      incomplete,
      sessionId,
    );
    s.clearExtractFindings.run(sessionId);
    // A session past the per-session command bound keeps its first commands; say so rather than hide it.
    if (outcome?.droppedCommands) {
      const detail = `${outcome.droppedCommands} commands past the per-session bound not kept`;
      s.quarantine.run(EXTRACT_SOURCE_ID, sessionId, 'commands_truncated', detail);
      s.finding.run(
        `extract:${sessionId}:commands_truncated`,
        'commands_truncated',
        sessionId,
        detail,
        Date.now(),
      );
    }
    // The two copies of one session disagree: someone edited one of them. Counts, never content.
    if (outcome?.formsDisagree) {
      const { cloudWatchOnly, s3Only } = outcome.formsDisagree;
      s.finding.run(
        `extract:${sessionId}:forms_disagree`,
        'forms_disagree',
        sessionId,
        `S3 and CloudWatch copies disagree: ${cloudWatchOnly} commands only in the CloudWatch copy (kept as uncertain), ${s3Only} only in the S3 copy`,
        Date.now(),
      );
    }
    s.dequeue.run(sessionId);
    // Detection looks at the new commands next; queued in this transaction so a crash loses nothing.
    s.queueDetection.run(sessionId);
  });
}

export function failExtraction(conn: Conn, sessionId: string, reason: string): void {
  const s = statements(conn);
  writeTransaction(conn, () => {
    s.quarantine.run(EXTRACT_SOURCE_ID, sessionId, reason, null);
    s.markIncomplete.run(reason, sessionId);
    const code =
      reason === 'over_budget' || reason.startsWith('over_budget')
        ? 'transcript_over_budget'
        : 'extract_failed';
    s.finding.run(
      `extract:${sessionId}:${code}`,
      code,
      sessionId,
      `command extraction stopped (${reason}); the session's commands are incomplete`,
      Date.now(),
    );
    s.dequeue.run(sessionId);
  });
}

/** Queues sessions with transcripts whose commands an older extractor produced (or none did). */
export function queueOutdated(conn: Conn, extractorVersion: number): number {
  return writeTransaction(conn, () => statements(conn).queueOutdated.run(extractorVersion).changes);
}

const statements = statementCache((conn) => {
  const db = conn.sqlite;
  return {
    page: db.prepare('SELECT session_id FROM extract_queue WHERE session_id > ? ORDER BY session_id LIMIT ?'),
    size: db.prepare('SELECT count(*) AS n FROM extract_queue'),
    sessionExtraction: db.prepare(
      `UPDATE sessions SET term_cols = ?, term_cols_source = ?, extractor_version = ?, commands_incomplete = ?
       WHERE session_id = ?`,
    ),
    markIncomplete: db.prepare('UPDATE sessions SET commands_incomplete = ? WHERE session_id = ?'),
    clearExtractFindings: db.prepare(
      "DELETE FROM findings WHERE session_id = ? AND finding_id LIKE 'extract:%'",
    ),
    quarantine: db.prepare(
      `INSERT INTO quarantine (source_id, item_key, reason, detail) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET detail = excluded.detail`,
    ),
    finding: db.prepare(
      `INSERT INTO findings (finding_id, kind, code, session_id, detail, detected_at) VALUES (?, 'integrity', ?, ?, ?, ?)
       ON CONFLICT(finding_id) DO UPDATE SET detail = excluded.detail`,
    ),
    dequeue: db.prepare('DELETE FROM extract_queue WHERE session_id = ?'),
    queueDetection: db.prepare('INSERT INTO detect_queue (session_id) VALUES (?) ON CONFLICT DO NOTHING'),
    queueOutdated: db.prepare(
      `INSERT INTO extract_queue (session_id)
       SELECT s.session_id FROM sessions s
       WHERE (s.extractor_version IS NULL OR s.extractor_version < ?)
         AND EXISTS (SELECT 1 FROM transcripts t WHERE t.session_id = s.session_id)
       ON CONFLICT DO NOTHING`,
    ),
  };
});
