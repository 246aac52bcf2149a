/**
 * THE store interface. Everything above the store (sources, the worker, analyze passes, the CLI,
 * later the API and detection) talks to the database through this, and only this: no raw handle,
 * statement, SQL string or ORM object crosses it. A dialect (store/sqlite/, later store/postgres/)
 * implements it; test/store/contract/ checks every method against every dialect.
 *
 * Rules every dialect keeps:
 * - One call is one transaction. Nothing holds a transaction open across an `await`, so a caller
 *   never sees a half-applied batch and a killed process leaves all of a call or none of it.
 * - Every write checks, inside its own transaction, that this store still holds the writer lease
 *   (`lease.acquire`), and throws LeaseLostError otherwise: a writer that lost its lease while busy
 *   (a long extraction, a stalled disk) stops instead of interleaving with the new holder.
 *   Exception: what users own (`tokens`, `accessTrail`) is written without the lease, so tokens,
 *   sign-ins and the access trail work while `serve --no-ingest`, `serve` or `ingest` runs; those
 *   writes are single short transactions that never touch evidence or projections.
 * - Large reads are pages keyed by an opaque cursor, or async iterables that read page by page.
 * - Pure domain logic (projection, coverage, integrity, folding, id scheme) lives outside the
 *   dialect folders (store/projection.ts and friends) so every dialect shares it.
 *
 * @example
 * const store = await openStore('./data/shelltrail.db');
 * try { const page = await store.sessions.list({ actor: 'alice*' }, { limit: 20 }); } finally { await store.close(); }
 */
import type {
  AlertStore,
  DetectQueueStore,
  OutboxStore,
  RuleStateStore,
  SuppressionStore,
} from './alerts.ts';
import type { ProjectionSettings } from './projection.ts';
import type { CountOutcome, SearchQuery, SearchResult } from './search-query.ts';
import type {
  AttemptFilters,
  AttemptRow,
  BatchOutcome,
  CtEventRow,
  CwStreamPosition,
  DescribeSnapshotRow,
  EvidenceBatch,
  ExtractionOutcome,
  Finding,
  FindingKind,
  LedgerEntry,
  Page,
  PageRequest,
  QuarantineRow,
  SessionCounts,
  SessionFilters,
  SessionRow,
  StoredCommand,
  StoredCwEvent,
  TranscriptRow,
} from './types.ts';

export type * from './alerts.ts';
export type { ProjectionSettings } from './projection.ts';
export type { CountOutcome, SearchHit, SearchQuery, SearchResult } from './search-query.ts';
export type * from './types.ts';

/** Evidence as received: append-only writes, plus what sources ask before they fetch. */
export interface EvidenceStore {
  /**
   * Applies one batch atomically (evidence, ledger, quarantine, checkpoint), re-projects the
   * sessions it touched and queues changed transcripts for extraction, all in one transaction.
   */
  writeBatch(batch: EvidenceBatch, settings: ProjectionSettings): Promise<BatchOutcome>;
  /** The source's stored checkpoint, or undefined on its first run. */
  readCheckpoint<T>(sourceId: string): Promise<T | undefined>;
  /** Whether this exact item version was already processed (done or quarantined) by the source. */
  isInLedger(sourceId: string, itemKey: string, version: string): Promise<boolean>;
  /** The Session Manager CloudTrail records of one session, oldest first (raw records included). */
  sessionEvents(sessionId: string): Promise<CtEventRow[]>;
  /** The DescribeSessions observations of one session. */
  describeSnapshots(sessionId: string): Promise<DescribeSnapshotRow[]>;
  /** Items set aside as unusable, with why; ordered by (sourceId, itemKey, reason). Page: 1,000 (max 10,000). */
  listQuarantine(filter?: { sourceId?: string }, page?: PageRequest): Promise<Page<QuarantineRow>>;
  /** The item versions one source has processed; ordered by (itemKey, version). Page: 1,000 (max 10,000). */
  listLedger(sourceId: string, page?: PageRequest): Promise<Page<LedgerEntry>>;
  /**
   * Records how one poll of a source went (the worker, after each source's poll; a write under the
   * lease): succeeded at `at`, or failed at `at` with `error` (the error's class and message, never
   * content). Read back by `stats.sourcePolls`.
   */
  recordPoll(sourceId: string, outcome: SourcePollOutcome): Promise<void>;
}

/** One poll of one source: no `error` when it succeeded. */
export interface SourcePollOutcome {
  at: number;
  error?: string;
}

/** A source's polls so far, as `evidence.recordPoll` recorded them. */
export interface SourcePollStatus {
  sourceId: string;
  firstPolledAt: number;
  /** Null while no poll has succeeded. */
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  /** Failed polls in all. */
  failures: number;
  lastError: string | null;
}

/** The session projection and the denied attempts. */
export interface SessionStore {
  /** Sessions matching every filter, newest start first (unknown start last), paged (default 500, max 5000). */
  list(filters?: SessionFilters, page?: PageRequest): Promise<Page<SessionRow>>;
  /**
   * How many sessions match `filters`, exact up to `cap` (default 1,000, max 100,000; beyond it
   * the cap, `exact: false`), and as many for each coverage state (the filters' coverage replaced
   * by it). Bounded by the cap whatever the filters: for a list's counts on every view.
   */
  count(filters?: SessionFilters, options?: { cap?: number }): Promise<SessionCounts>;
  get(sessionId: string): Promise<SessionRow | undefined>;
  /** Denied or failed StartSession calls, newest first, paged like `list`. */
  listAttempts(filters?: AttemptFilters, page?: PageRequest): Promise<Page<AttemptRow>>;
  /**
   * Re-projects sessions whose state changes with time alone (still open, awaiting a transcript),
   * so `open` turns into `missing`; returns how many changed. A write.
   */
  refreshTimeDependent(settings: ProjectionSettings): Promise<number>;
}

/** Transcripts as stored: metadata, byte-exact chunks, CloudWatch events. */
export interface TranscriptStore {
  /** A session's transcripts, S3 first, then by upload/first event time, then id (stable order). */
  list(sessionId: string): Promise<TranscriptRow[]>;
  /** The raw bytes of an S3/file transcript, in order, one decompressed chunk (≤ 1 MiB) at a time. */
  readChunks(transcriptId: string): AsyncIterable<Buffer>;
  /** A CloudWatch transcript's events in stream order, read page by page. */
  readCwEvents(transcriptId: string): AsyncIterable<StoredCwEvent>;
  /** Where a CloudWatch stream stands (the CloudWatch source resumes from it). */
  cwStreamPosition(transcriptId: string): Promise<CwStreamPosition>;
  /** Raw bytes stored for a transcript (equals byteSize once an import completed). */
  storedChunkBytes(transcriptId: string): Promise<number>;
}

/** Commands and search over them. */
export interface CommandStore {
  /** A session's commands in the order they were typed, paged by seq (default 10,000, max 10,000). */
  listForSession(sessionId: string, page?: PageRequest): Promise<Page<StoredCommand>>;
  /** One page of matching commands, newest first, with a (possibly lower-bound) total. */
  search(query: SearchQuery): Promise<SearchResult>;
  /** How many commands match, exactly up to COUNT_CAP. */
  count(query: Omit<SearchQuery, 'limit' | 'offset' | 'cursor'>): Promise<CountOutcome>;
  /** A page whose total is made exact (up to COUNT_CAP), page and count from one snapshot. */
  searchWithCount(query: SearchQuery): Promise<SearchResult>;
  /** Every session with at least one matching command, unordered. */
  sessionIds(query: Omit<SearchQuery, 'limit' | 'offset' | 'cursor'>): Promise<string[]>;
}

/** The durable queue of sessions whose transcripts changed since their commands were extracted. */
export interface ExtractQueueStore {
  /** Up to `limit` queued session ids after `after`, in id order (the pass walks it once per run). */
  next(after: string, limit: number): Promise<string[]>;
  /** How many sessions wait. */
  size(): Promise<number>;
  /**
   * Stores a session's extraction: replaces its commands, records its terminal width, raises the
   * truncation finding when commands were dropped, and removes it from the queue; one transaction.
   */
  complete(sessionId: string, outcome: ExtractionOutcome | null): Promise<void>;
  /**
   * Records a session the extractor failed on or gave up on (over its time or memory budget): a
   * quarantine row and an integrity finding with the reason only (never transcript content), its
   * commands marked incomplete, and removes it from the queue, so it is never retried forever.
   */
  fail(sessionId: string, reason: string): Promise<void>;
  /**
   * Queues every session with transcripts whose commands came from an older extractor version (or
   * none), so an upgrade re-extracts them; returns how many were queued.
   */
  queueOutdated(extractorVersion: number): Promise<number>;
}

/** Audit findings. */
export interface FindingStore {
  /** Newest session first, optionally of some kinds or one session, paged (default 1000, max 5000). */
  list(options?: { kinds?: FindingKind[]; sessionId?: string }, page?: PageRequest): Promise<Page<Finding>>;
  /** Findings per kind, for summaries. */
  countByKind(): Promise<Record<FindingKind, number>>;
}

/** The single-writer lease. */
export interface LeaseStore {
  /**
   * Takes the lease for this store, waiting up to `waitMs` for another holder; throws
   * LeaseHeldError naming the holder when it stays taken. Writes through this store are allowed
   * from then on, until `release` or until another process takes the lapsed lease.
   */
  acquire(holder: string, options?: { waitMs?: number; now?: () => number }): Promise<WriterLease>;
}

export interface WriterLease {
  /** Extends the lease; throws LeaseLostError when another writer holds it now. */
  renew(): Promise<void>;
  release(): Promise<void>;
  /** Whether this process held the lease at the last check (renew or write). */
  readonly held: boolean;
}

/** Who may use a token: see src/api/scoped-store.ts for what each role sees. */
export type Role = 'viewer' | 'auditor' | 'admin';

/**
 * What a credential is: an API token a person was given (`api`), a browser sign-in made with one
 * (`browser`, carried in a cookie), or a one-time sign-in code that `serve` and `demo` print.
 */
export type TokenKind = 'api' | 'browser' | 'signin_code';

/** A credential as stored: only the SHA-256 of the secret, never the secret itself. */
export interface TokenRecord {
  tokenId: string;
  kind: TokenKind;
  name: string;
  role: Role;
  createdAt: number;
  /** Null: does not expire (API tokens); browser sign-ins and codes always expire. */
  expiresAt: number | null;
  revokedAt: number | null;
  /** The credential this one was made from (a browser sign-in's token); revoking it revokes this. */
  parentId: string | null;
  /** Who made it (`cli`, a token name, an OIDC email). */
  createdBy: string;
  /**
   * When it (or a browser sign-in made with it) last authenticated a request, to the minute
   * (authenticate records it at most once a minute per credential); null: never used.
   */
  lastUsedAt: number | null;
}

export interface NewToken extends Omit<TokenRecord, 'revokedAt' | 'lastUsedAt'> {
  /** Lower-case hex SHA-256 of the secret. */
  secretHash: string;
}

/**
 * Credentials. A user-owned write: these writes never need the writer lease, so `token create`
 * and sign-ins work while another process (`serve`, `ingest`) holds it; they still serialize with
 * the ingest writer inside the database (each is one short transaction).
 */
export interface TokenStore {
  /** Stores a new credential; throws InvalidRequestError(`name_taken`) when an active API token has the name. */
  create(token: NewToken): Promise<TokenRecord>;
  /**
   * The live credential with this secret hash at `now`: not revoked, not expired, its parent
   * neither, and not a sign-in code (those are only redeemed). Undefined otherwise. Records `now`
   * as its last use (and its parent's) when the recorded one is a minute old or more: a user-owned
   * write, at most once a minute per credential.
   */
  authenticate(secretHash: string, now: number): Promise<TokenRecord | undefined>;
  /**
   * Redeems a one-time sign-in code: marks it used and returns it, in one transaction, so a code
   * works once even when two requests race. Undefined when unknown, used or expired.
   */
  redeemCode(secretHash: string, now: number): Promise<TokenRecord | undefined>;
  /** API tokens, oldest first, revoked ones included (they show when they were revoked). */
  list(): Promise<TokenRecord[]>;
  /**
   * Revokes the active credentials whose id or (API token) name is `idOrName` (a browser sign-in
   * by id: sign-out), and every browser sign-in made from them; returns the matched credentials.
   */
  revoke(idOrName: string, now: number): Promise<TokenRecord[]>;
}

/** One entry of the access trail: who did what, when, from where. */
export interface AccessEntry {
  at: number;
  /** `replay`, `transcript`, `export`, `search`, `signin`, `signin_failed`, `signout`, `token_create`, `token_revoke`, ... */
  action: string;
  /** Who: a token name, an OIDC email, `anonymous`, `cli`. */
  actor: string;
  role: Role | null;
  tokenId: string | null;
  /** From where: the client address, null when unknown. */
  sourceIp: string | null;
  /** What: a session id, a token name, ... */
  subject: string | null;
  /** Small JSON object with the rest (search text and filters, format, ...). */
  detail: Record<string, unknown> | null;
}

export interface StoredAccessEntry extends AccessEntry {
  id: number;
}

/** The access trail: append-only (no update or delete exists), a user-owned write (no lease needed). */
export interface AccessTrailStore {
  append(entry: AccessEntry): Promise<void>;
  /** Newest first, paged (default 500, max 5000), optionally one action or actor. */
  list(
    filters?: { action?: string; actor?: string; since?: number; until?: number },
    page?: PageRequest,
  ): Promise<Page<StoredAccessEntry>>;
}

export interface StatsRange {
  since?: number;
  until?: number;
}

export interface StatsOverview {
  /** Sessions per UTC day (`YYYY-MM-DD`), oldest day first, days with sessions only. */
  sessionsPerDay: { day: string; sessions: number }[];
  /** The 10 actors and targets with most sessions, most first. */
  topActors: { actor: string; sessions: number }[];
  topTargets: { target: string; sessions: number }[];
  /** Sessions per coverage state. */
  coverage: Record<string, number>;
  sessions: number;
  attempts: number;
}

/** Summaries for the overview page and the metrics endpoint. */
export interface StatsStore {
  overview(range?: StatsRange): Promise<StatsOverview>;
  /** Rows per table (sessions, commands, transcripts, ...), for /metrics. */
  tableRows(): Promise<Record<string, number>>;
  /** Every source's recorded polls (evidence.recordPoll), by source id, for /metrics. */
  sourcePolls(): Promise<SourcePollStatus[]>;
}

/** Whose timeline: one actor (exact, case-insensitive) or one target. */
export type TimelineSubject = { actor: string } | { target: string };

/**
 * A timeline entry: a session, or a command run, at the time it is placed (`at`; see
 * TimelineStore.list). Sessions come before their commands at equal times.
 */
export type TimelineEntry =
  | { type: 'session'; at: number; session: SessionRow }
  | { type: 'command'; at: number; command: StoredCommand };

/** Everything one person or one node did, in time order, across sessions and accounts. */
export interface TimelineStore {
  /**
   * Sessions and commands that overlap [since, until), oldest first, paged (default 500, max
   * 5000). `commands: false` leaves commands out.
   * - A session lies from its start (no start: its first timed command, else its end) to its end
   *   (`endedAt`, else `assumedEndAt`), so one that began before `since` and ran into the window
   *   is listed, at its start. A session with no time at all cannot be placed and is not listed.
   * - A command with a time is placed at it. A command without one (S3-only transcripts record no
   *   times) is placed at the nearest timed command before it in its session, else at its
   *   session's place, so it keeps its order within the session (`command.at` stays null); it may
   *   have run until the next timed command, else the session's end, and is listed when that span
   *   overlaps the window and its session is listed.
   */
  list(
    subject: TimelineSubject,
    options?: StatsRange & { commands?: boolean },
    page?: PageRequest,
  ): Promise<Page<TimelineEntry>>;
}

/** An open store: the domain groups, and close. */
export interface Store {
  /** Where the store lives (a file path for SQLite), for messages. */
  readonly location: string;
  readonly evidence: EvidenceStore;
  readonly sessions: SessionStore;
  readonly transcripts: TranscriptStore;
  readonly commands: CommandStore;
  readonly extractQueue: ExtractQueueStore;
  readonly findings: FindingStore;
  readonly lease: LeaseStore;
  readonly tokens: TokenStore;
  readonly accessTrail: AccessTrailStore;
  readonly stats: StatsStore;
  readonly timelines: TimelineStore;
  /** Detection (store/alerts.ts): its queue, alerts, the outbox, rule states, suppressions. */
  readonly detectQueue: DetectQueueStore;
  readonly alerts: AlertStore;
  readonly outbox: OutboxStore;
  readonly rules: RuleStateStore;
  readonly suppressions: SuppressionStore;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Open without migrating or writing (read commands); the store must exist. */
  readonly?: boolean;
}

/**
 * Opens the store at `location` (a file path: the SQLite dialect), creating and migrating it when
 * needed. Loads the dialect on demand so commands that never open a store never load a driver.
 */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  const { openSqliteStore } = await import('./sqlite/open.ts');
  return openSqliteStore(location, options);
}
