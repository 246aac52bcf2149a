/**
 * The sessions table group: re-projection from evidence, and the read queries the CLI and API use.
 */
import type { Store } from './open.ts';
import {
  type CtEvidence,
  type DescribeEvidence,
  type ProjectionSettings,
  projectSession,
  type TranscriptEvidence,
} from './projection.ts';
import { statementCache } from './statements.ts';

export type { ProjectionSettings } from './projection.ts';

/** Projection settings from the `sessions` section of the config. */
export function projectionSettings(
  config: {
    maxDurationHours: number;
    missingGraceMinutes: number;
    expectedDestinations: ProjectionSettings['expectedDestinations'];
  },
  now: () => number = Date.now,
): ProjectionSettings {
  return {
    maxDurationMs: config.maxDurationHours * 3_600_000,
    missingGraceMs: config.missingGraceMinutes * 60_000,
    expectedDestinations: config.expectedDestinations,
    now,
  };
}

/**
 * Recomputes the session rows (and their findings) for the given ids from the stored evidence.
 * Runs inside the caller's transaction.
 */
export function projectSessions(
  store: Store,
  sessionIds: Iterable<string>,
  settings: ProjectionSettings,
): { sessionsCreated: number; sessionsUpdated: number } {
  const q = statements(store);
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

/** Session facts that command extraction uses (times are spread between start and end). */
const EXTRACTION_INPUTS = ['startedAt', 'endedAt', 'runAsUser'] as const;

/**
 * Re-projects sessions whose state can change with time alone (still open, or awaiting their
 * transcript within the grace period), so `open` turns into `missing` or `max_duration` ends.
 */
export function refreshTimeDependentSessions(store: Store, settings: ProjectionSettings): number {
  const ids = (
    store.sqlite
      .prepare("SELECT session_id FROM sessions WHERE coverage = 'open' OR ended_at IS NULL")
      .all() as { session_id: string }[]
  ).map((r) => r.session_id);
  return store.sqlite.transaction(() => {
    const r = projectSessions(store, ids, settings);
    return r.sessionsUpdated;
  })();
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
};

function changed(existing: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return Object.entries(COLUMNS).some(([key, column]) => existing[column] !== row[key]);
}

const statements = statementCache(prepare);

function prepare(store: Store) {
  const db = store.sqlite;
  const cols = Object.values(COLUMNS);
  const params = Object.keys(COLUMNS).map((k) => `@${k}`);
  const updates = cols.filter((c) => c !== 'session_id').map((c) => `${c} = excluded.${c}`);
  return {
    ct: db.prepare('SELECT * FROM ct_events WHERE session_id = ?'),
    describe: db.prepare('SELECT * FROM describe_snapshots WHERE session_id = ?'),
    transcripts: db.prepare('SELECT * FROM transcripts WHERE session_id = ?'),
    existing: db.prepare('SELECT * FROM sessions WHERE session_id = ?'),
    findings: db.prepare('SELECT finding_id FROM findings WHERE session_id = ?'),
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
