/**
 * Re-projection inside the SQLite dialect: reads a session's evidence, hands it to the pure
 * projection (store/projection.ts) and writes the session row and its findings back.
 */
import {
  type CtEvidence,
  type DescribeEvidence,
  EXTRACTION_INPUTS,
  type ProjectionSettings,
  projectSession,
  type TranscriptEvidence,
} from '../projection.ts';
import { type Conn, writeTransaction } from './connection.ts';
import { statementCache } from './statements.ts';

/**
 * Recomputes the session rows (and their findings) for the given ids from the stored evidence.
 * Runs inside the caller's transaction.
 */
export function projectSessions(
  conn: Conn,
  sessionIds: Iterable<string>,
  settings: ProjectionSettings,
): { sessionsCreated: number; sessionsUpdated: number } {
  const q = statements(conn);
  let sessionsCreated = 0;
  let sessionsUpdated = 0;
  for (const sessionId of sessionIds) {
    const transcripts = q.transcripts.all(sessionId) as TranscriptEvidence[];
    const projected = projectSession(
      sessionId,
      q.ct.all(sessionId) as CtEvidence[],
      q.describe.all(sessionId) as DescribeEvidence[],
      transcripts,
      settings,
    );
    if (!projected) continue;
    const existing = q.existing.get(sessionId) as Record<string, unknown> | undefined;
    const row = { ...projected.session, identityVerified: projected.session.identityVerified ? 1 : 0 };
    if (!existing) {
      q.upsert.run(row);
      sessionsCreated++;
    } else if (changed(existing, row)) {
      q.upsert.run(row);
      sessionsUpdated++;
      // Command times and the starting user derive from these: extract again with the new facts.
      if (transcripts.length > 0 && EXTRACTION_INPUTS.some((k) => existing[COLUMNS[k]!] !== row[k])) {
        q.queueExtract.run(sessionId);
      }
    }
    const wanted = new Set(projected.findings.map((f) => f.findingId));
    for (const { finding_id } of q.findings.all(sessionId) as { finding_id: string }[]) {
      if (!wanted.has(finding_id)) q.deleteFinding.run(finding_id);
    }
    for (const f of projected.findings) {
      q.upsertFinding.run(f.findingId, f.kind, f.code, sessionId, f.detail, settings.now());
    }
  }
  return { sessionsCreated, sessionsUpdated };
}

/**
 * Re-projects sessions whose state can change with time alone (still open, or awaiting their
 * transcript within the grace period), so `open` turns into `missing` once the assumed end passed.
 */
export function refreshTimeDependentSessions(conn: Conn, settings: ProjectionSettings): number {
  return writeTransaction(conn, () => {
    const ids = (statements(conn).timeDependent.all() as { session_id: string }[]).map((r) => r.session_id);
    return projectSessions(conn, ids, settings).sessionsUpdated;
  });
}

const COLUMNS: Record<string, string> = {
  sessionId: 'session_id',
  kind: 'kind',
  accountId: 'account_id',
  region: 'region',
  target: 'target',
  principalArn: 'principal_arn',
  principalType: 'principal_type',
  actor: 'actor',
  sourceIp: 'source_ip',
  userAgent: 'user_agent',
  documentName: 'document_name',
  parameters: 'parameters',
  reason: 'reason',
  startedAt: 'started_at',
  startSource: 'start_source',
  endedAt: 'ended_at',
  endSource: 'end_source',
  terminatedBy: 'terminated_by',
  status: 'status',
  owner: 'owner',
  outputUrl: 'output_url',
  identityVerified: 'identity_verified',
  runAsUser: 'run_as_user',
  coverage: 'coverage',
  transcriptSources: 'transcript_sources',
  assumedEndAt: 'assumed_end_at',
  conflicts: 'conflicts',
};

function changed(existing: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return Object.entries(COLUMNS).some(([key, column]) => existing[column] !== row[key]);
}

const statements = statementCache(prepare);

function prepare(conn: Conn) {
  const db = conn.sqlite;
  const cols = Object.values(COLUMNS);
  const params = Object.keys(COLUMNS).map((k) => `@${k}`);
  const updates = cols.filter((c) => c !== 'session_id').map((c) => `${c} = excluded.${c}`);
  return {
    timeDependent: db.prepare("SELECT session_id FROM sessions WHERE coverage = 'open' OR ended_at IS NULL"),
    ct: db.prepare('SELECT * FROM ct_events WHERE session_id = ?'),
    describe: db.prepare('SELECT * FROM describe_snapshots WHERE session_id = ?'),
    transcripts: db.prepare('SELECT * FROM transcripts WHERE session_id = ?'),
    existing: db.prepare('SELECT * FROM sessions WHERE session_id = ?'),
    // Findings extraction raised (`extract:` ids) are the extract pass's to replace, not the projection's.
    findings: db.prepare(
      "SELECT finding_id FROM findings WHERE session_id = ? AND finding_id NOT LIKE 'extract:%'",
    ),
    deleteFinding: db.prepare('DELETE FROM findings WHERE finding_id = ?'),
    upsertFinding: db.prepare(
      `INSERT INTO findings (finding_id, kind, code, session_id, detail, detected_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(finding_id) DO UPDATE SET detail = excluded.detail`,
    ),
    queueExtract: db.prepare('INSERT INTO extract_queue (session_id) VALUES (?) ON CONFLICT DO NOTHING'),
    upsert: db.prepare(
      `INSERT INTO sessions (${cols.join(', ')}) VALUES (${params.join(', ')})
       ON CONFLICT(session_id) DO UPDATE SET ${updates.join(', ')}`,
    ),
  };
}
