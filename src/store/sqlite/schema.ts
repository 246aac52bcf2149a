/**
 * The whole store schema. Times are integer milliseconds since the epoch (UTC); JSON columns hold
 * text. Evidence tables (ct_events, describe_snapshots, transcripts, transcript_chunks, cw_events)
 * are append-only: rows are inserted once and never updated, so the raw evidence stays exactly as
 * received. `sessions` is a projection recomputed from that evidence (see store/sessions.ts), which
 * is what makes ingestion independent of arrival order and idempotent.
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Every Session Manager CloudTrail record we keep: one row per eventID, content version
 * (store/record-digest.ts) and source. Re-imports collapse; a second version of one eventID (a
 * forged record reusing a genuine id) is kept beside the first and raises `conflicting_record`.
 */
export const ctEvents = sqliteTable(
  'ct_events',
  {
    eventId: text('event_id').notNull(),
    /** recordDigest of the record's fields; '' only in rows migrated before 0008 (backfilled at open). */
    digest: text('digest').notNull().default(''),
    eventName: text('event_name').notNull(), // StartSession | ResumeSession | TerminateSession
    eventTime: integer('event_time').notNull(),
    sessionId: text('session_id'), // null for denied StartSession calls
    accountId: text('account_id'),
    region: text('region'),
    target: text('target'),
    documentName: text('document_name'),
    parameters: text('parameters'), // JSON object of string arrays, or null
    reason: text('reason'),
    principalArn: text('principal_arn'),
    principalType: text('principal_type'),
    actor: text('actor'),
    sourceIp: text('source_ip'),
    userAgent: text('user_agent'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    // where it was seen: s3://bucket/key, lookup:acct/region, a file path. The same version from
    // several sources is one row per source: each delivery is kept exactly as received.
    origin: text('origin').notNull(),
    raw: text('raw').notNull(), // the record exactly as received (JSON text)
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.digest, t.origin] }),
    index('ct_events_session').on(t.sessionId),
    index('ct_events_denied').on(t.eventName, t.errorCode, t.eventTime),
  ],
);

/** DescribeSessions observations. Keyed so a changed status is a new row, never an update. */
export const describeSnapshots = sqliteTable(
  'describe_snapshots',
  {
    sessionId: text('session_id').notNull(),
    status: text('status').notNull(),
    accountId: text('account_id'),
    region: text('region'),
    target: text('target'),
    documentName: text('document_name'),
    owner: text('owner'),
    reason: text('reason'),
    startedAt: integer('started_at'),
    endedAt: integer('ended_at'),
    outputUrl: text('output_url'), // JSON of OutputUrl {S3OutputUrl, CloudWatchOutputUrl}
    raw: text('raw').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.status, t.raw] })],
);

/**
 * The session projection: one row per SSM session id, recomputed from ct_events, describe_snapshots
 * and transcripts whenever any of them changes for that session.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    sessionId: text('session_id').primaryKey(),
    kind: text('kind').notNull(), // shell | port_forward | ssh | interactive_command | non_interactive_command | custom
    accountId: text('account_id'),
    region: text('region'),
    target: text('target'),
    principalArn: text('principal_arn'),
    principalType: text('principal_type'),
    actor: text('actor'),
    sourceIp: text('source_ip'),
    userAgent: text('user_agent'),
    documentName: text('document_name'),
    parameters: text('parameters'),
    reason: text('reason'),
    startedAt: integer('started_at'),
    startSource: text('start_source'), // cloudtrail | describe | transcript
    endedAt: integer('ended_at'),
    endSource: text('end_source'), // terminate | describe | transcript_cloudwatch | transcript_s3 | max_duration
    terminatedBy: text('terminated_by'),
    status: text('status'), // DescribeSessions status when known
    owner: text('owner'),
    outputUrl: text('output_url'),
    identityVerified: integer('identity_verified', { mode: 'boolean' }).notNull().default(false),
    runAsUser: text('run_as_user'),
    coverage: text('coverage'), // not_recordable | open | complete | partial | missing
    transcriptSources: text('transcript_sources').notNull().default('[]'), // JSON array: s3, cloudwatch
    termCols: integer('term_cols'),
    termColsSource: text('term_cols_source'),
    /** EXTRACTOR_VERSION of the extraction that produced the commands (null: never extracted). */
    extractorVersion: integer('extractor_version'),
    /** Null when the commands are complete; else why not (`over_budget`, `truncated`, `failed`). */
    commandsIncomplete: text('commands_incomplete'),
    /** When nothing recorded the end: start + maxDurationHours, the deadline coverage works with. */
    assumedEndAt: integer('assumed_end_at'),
    /** JSON array of CloudTrail records with several versions (see projection.ts RecordConflict). */
    conflicts: text('conflicts').notNull().default('[]'),
  },
  (t) => [
    index('sessions_started').on(t.startedAt),
    index('sessions_actor').on(t.actor),
    // The API and CLI match actors case-insensitively (lower(actor) GLOB pattern): an exact actor or
    // a pattern's literal prefix is a range on this index, in start order.
    index('sessions_actor_folded').on(sql`lower(${t.actor})`, t.startedAt),
    index('sessions_target').on(t.target),
    // The sessions list's principal and coverage filters walk these in start order (keyset pages).
    index('sessions_principal_started').on(t.principalArn, t.startedAt),
    index('sessions_coverage_started').on(t.coverage, t.startedAt),
  ],
);

/**
 * A transcript object as received. `transcriptId` is a natural key so re-imports converge:
 * `s3://bucket/key#<versionId|etag>`, `cw://group/stream`, or `file://path#<sha256>`.
 */
export const transcripts = sqliteTable(
  'transcripts',
  {
    transcriptId: text('transcript_id').primaryKey(),
    sessionId: text('session_id').notNull(),
    source: text('source').$type<'s3' | 'cloudwatch'>().notNull(),
    location: text('location').notNull(), // bucket/key or group/stream or file path
    etag: text('etag'),
    versionId: text('version_id'),
    sha256: text('sha256'), // of the whole raw object (null for CloudWatch streams, which grow)
    byteSize: integer('byte_size').notNull().default(0),
    format: text('format').notNull(), // script | raw | powershell | cloudwatch_stream | cloudwatch_text
    headerTime: integer('header_time'), // `Script started on ...` time
    lastModified: integer('last_modified'), // S3 upload time
    firstEventAt: integer('first_event_at'),
    lastEventAt: integer('last_event_at'),
    claimedTarget: text('claimed_target'), // identity as the node wrote it: unverified
    claimedPrincipalArn: text('claimed_principal_arn'),
    claimedRunAsUser: text('claimed_run_as_user'),
    claimedSessionId: text('claimed_session_id'), // the session id the content names (script header, event)
  },
  (t) => [index('transcripts_session').on(t.sessionId)],
);

/** Raw transcript bytes, in order, at most 1 MiB raw per chunk, each compressed on its own. */
export const transcriptChunks = sqliteTable(
  'transcript_chunks',
  {
    transcriptId: text('transcript_id').notNull(),
    seq: integer('seq').notNull(),
    rawSize: integer('raw_size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.transcriptId, t.seq] })],
);

/** CloudWatch events of a stream, in stream order, kept with their timestamps for timing. */
export const cwEvents = sqliteTable(
  'cw_events',
  {
    transcriptId: text('transcript_id').notNull(),
    seq: integer('seq').notNull(),
    timestamp: integer('timestamp').notNull(),
    ingestionTime: integer('ingestion_time'),
    message: text('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.transcriptId, t.seq] })],
);

/** Audit findings: missing / partial transcripts, integrity problems. Natural key for idempotency. */
export const findings = sqliteTable(
  'findings',
  {
    findingId: text('finding_id').primaryKey(), // `${kind}:${sessionId}:${code}`
    kind: text('kind').notNull(), // missing | partial | integrity
    code: text('code').notNull(), // e.g. no_s3, cw_stops_early, target_mismatch, object_changed
    sessionId: text('session_id').notNull(),
    detail: text('detail').notNull(),
    detectedAt: integer('detected_at').notNull(),
  },
  (t) => [index('findings_session').on(t.sessionId)],
);

/** Commands reconstructed from transcripts. FTS indexes over `text` live in a custom migration. */
export const commands = sqliteTable(
  'commands',
  {
    id: integer('id').primaryKey(),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
    user: text('user'),
    // null: the extractor cannot tell whether the shell ran it (fidelity 'uncertain').
    executed: integer('executed', { mode: 'boolean' }),
    at: integer('at'),
    atPrecision: text('at_precision'), // exact | second | approximate
    cwd: text('cwd'),
    exitCode: integer('exit_code'),
    fidelity: text('fidelity').notNull().default('exact'), // exact | lossy | uncertain
    output: text('output'), // bounded excerpt of what the command printed
  },
  (t) => [
    uniqueIndex('commands_session_seq').on(t.sessionId, t.seq),
    index('commands_at').on(t.at),
    // Search within sessions tests the text on this index and reads only matching rows: a
    // session's rows are scattered over the table, since ids are ordered by time (command-ids.ts).
    index('commands_session_text').on(t.sessionId, t.text),
  ],
);

/**
 * Every distinct command text and how many commands have it, kept by triggers on `commands`
 * (migrations/0012_command_texts.sql), with a trigram index of its own. Command histories repeat
 * themselves (1,000,000 bench commands hold 16,000 texts): an exact count of the commands
 * containing a text sums the few distinct texts that contain it instead of reading every match.
 */
export const commandTexts = sqliteTable(
  'command_texts',
  {
    id: integer('id').primaryKey(),
    text: text('text').notNull(),
    commands: integer('commands').notNull(),
  },
  (t) => [uniqueIndex('command_texts_text').on(t.text)],
);

/** Sessions whose transcripts changed since their commands were last extracted. */
export const extractQueue = sqliteTable('extract_queue', {
  sessionId: text('session_id').primaryKey(),
});

/** Per-source progress. `value` is JSON owned by the source. */
export const checkpoints = sqliteTable('checkpoints', {
  sourceId: text('source_id').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Each source's polls as the worker reports them, for /metrics in any process (`serve --no-ingest`
 * beside `shelltrail ingest` reads them here): when it was first polled, last polled without an
 * error, last failed, how many polls failed in all, and the last error's class (never content).
 */
export const sourcePolls = sqliteTable('source_polls', {
  sourceId: text('source_id').primaryKey(),
  firstPolledAt: integer('first_polled_at').notNull(),
  lastSuccessAt: integer('last_success_at'),
  lastFailureAt: integer('last_failure_at'),
  failures: integer('failures').notNull().default(0),
  lastError: text('last_error'),
});

/** Items already processed by a source, so the same object version is never read twice. */
export const ingestLedger = sqliteTable(
  'ingest_ledger',
  {
    sourceId: text('source_id').notNull(),
    itemKey: text('item_key').notNull(),
    version: text('version').notNull(), // ETag, VersionId or content hash
    outcome: text('outcome').notNull(), // done | quarantined
    records: integer('records').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.itemKey, t.version] })],
);

/** Input we could not use, with the reason. Natural key so re-runs do not duplicate. */
export const quarantine = sqliteTable(
  'quarantine',
  {
    sourceId: text('source_id').notNull(),
    itemKey: text('item_key').notNull(),
    reason: text('reason').notNull(),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.itemKey, t.reason] })],
);

/** One writer at a time: a lease row with an expiry that the holder renews. */
export const writerLease = sqliteTable('writer_lease', {
  id: integer('id').primaryKey(),
  holder: text('holder').notNull(),
  pid: integer('pid').notNull(),
  host: text('host').notNull(),
  acquiredAt: integer('acquired_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * Credentials: API tokens, browser sign-ins made with them, one-time sign-in codes. Only the
 * SHA-256 of each secret is kept. User-owned: written without the writer lease (store/index.ts).
 */
export const tokens = sqliteTable(
  'tokens',
  {
    tokenId: text('token_id').primaryKey(),
    kind: text('kind').notNull(), // api | browser | signin_code
    name: text('name').notNull(),
    role: text('role').notNull(), // viewer | auditor | admin
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'), // also set when a sign-in code is redeemed
    /** When it last authenticated a request, to the minute (store/sqlite/tokens.ts LAST_USED_STEP). */
    lastUsedAt: integer('last_used_at'),
    parentId: text('parent_id'),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('tokens_secret').on(t.secretHash),
    uniqueIndex('tokens_active_api_name').on(t.name).where(sql`kind = 'api' AND revoked_at IS NULL`),
    index('tokens_parent').on(t.parentId),
  ],
);

/** The access trail: who replayed, downloaded, exported or searched what, and every sign-in and token change. Append-only. */
export const accessTrail = sqliteTable(
  'access_trail',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    role: text('role'),
    tokenId: text('token_id'),
    sourceIp: text('source_ip'),
    subject: text('subject'),
    detail: text('detail'), // JSON object or null
  },
  (t) => [index('access_trail_at').on(t.at)],
);

/**
 * Sessions whose commands changed since detection last looked at them: filled in the same
 * transaction that stores an extraction (extract-queue.ts), drained by the detection pass.
 */
export const detectQueue = sqliteTable('detect_queue', {
  sessionId: text('session_id').primaryKey(),
});

/**
 * Alerts raised by rules. `dedupKey` is (rule, session, command text, occurrence of that text in
 * the session) for command rules and (rule, group, window) for scheduled ones: never a row id or
 * seq, which change on re-extraction, so re-imports and re-extractions never duplicate an alert.
 */
export const alerts = sqliteTable(
  'alerts',
  {
    alertId: integer('alert_id').primaryKey({ autoIncrement: true }),
    dedupKey: text('dedup_key').notNull(),
    ruleId: text('rule_id').notNull(),
    ruleTitle: text('rule_title').notNull(),
    ruleAuthor: text('rule_author'),
    level: text('level').notNull(),
    tags: text('tags').notNull(), // JSON array
    sessionId: text('session_id'),
    commandText: text('command_text'),
    commandAt: integer('command_at'),
    commandSeq: integer('command_seq'),
    occurrence: integer('occurrence'),
    user: text('user'),
    actor: text('actor'),
    target: text('target'),
    detail: text('detail'),
    link: text('link'),
    status: text('status').notNull(), // open | acknowledged | resolved | suppressed
    statusBy: text('status_by'),
    statusReason: text('status_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_dedup').on(t.dedupKey),
    index('alerts_created').on(t.createdAt),
    // A session's alerts by status and level: the sessions list's badges (count and highest level
    // per session) and the alerts of one session, read from the index alone.
    index('alerts_session_status_level').on(t.sessionId, t.status, t.level),
    // "Sessions with open (or any) alerts of this level and above": the list's alert filter.
    index('alerts_status_level_session').on(t.status, t.level, t.sessionId),
    index('alerts_rule').on(t.ruleId),
  ],
);

/**
 * The notification outbox: one row per (alert, channel), written with the alert, so a delivery
 * survives restarts and a failing endpoint retries with backoff without holding up the others.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    deliveryId: integer('delivery_id').primaryKey({ autoIncrement: true }),
    alertId: integer('alert_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status').notNull(), // pending | delivered | dead
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    uniqueIndex('outbox_alert_channel').on(t.alertId, t.channel),
    index('outbox_due').on(t.status, t.nextAttemptAt),
  ],
);

/** Rules a user turned off (or back on). Rules without a row are enabled. User-owned. */
export const ruleStates = sqliteTable('rule_states', {
  ruleId: text('rule_id').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** Suppressions: a rule (or any) + actor/target/command patterns, with a reason and an expiry. User-owned. */
export const suppressions = sqliteTable('suppressions', {
  suppressionId: integer('suppression_id').primaryKey({ autoIncrement: true }),
  ruleId: text('rule_id'),
  actor: text('actor'),
  target: text('target'),
  command: text('command'),
  reason: text('reason').notNull(),
  expiresAt: integer('expires_at'),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  removedAt: integer('removed_at'),
});
