/**
 * The SQLite dialect of the store interface (store/index.ts). better-sqlite3 is synchronous: each
 * method runs its statements (one transaction) to completion and resolves, so no transaction ever
 * spans an await. SQLite failures a user can meet become StoreError (errors.ts).
 */
import type { Store } from '../index.ts';
import { appendAccess, listAccess } from './access-trail.ts';
import * as alerts from './alerts.ts';
import { listSessionCommands } from './commands.ts';
import { type Conn, readTransaction } from './connection.ts';
import { translateSqliteError } from './errors.ts';
import {
  isInLedger,
  readCheckpoint,
  sessionDescribeSnapshots,
  sessionEvents,
  writeBatch,
} from './evidence.ts';
import { listLedger, listQuarantine } from './evidence-lists.ts';
import { completeExtraction, failExtraction, nextQueued, queueOutdated, queueSize } from './extract-queue.ts';
import { countFindings, listFindings } from './findings.ts';
import { acquireWriterLease } from './lease.ts';
import * as outbox from './outbox.ts';
import { refreshTimeDependentSessions } from './projection.ts';
import * as rules from './rules.ts';
import { countCommands, searchCommands, searchSessionIds, searchWithCount } from './search/index.ts';
import { countAlertsBySession } from './session-alerts.ts';
import { countSessions, getSession, listAttempts, listSessions } from './sessions.ts';
import { recordPoll, sourcePolls } from './source-polls.ts';
import { statsOverview, tableRows } from './stats.ts';
import { listTimeline } from './timelines.ts';
import { authenticateToken, createToken, listTokens, redeemCode, revokeTokens } from './tokens.ts';
import {
  cwStreamPosition,
  listTranscripts,
  readCwEvents,
  readTranscriptChunks,
  storedChunkBytes,
} from './transcripts.ts';

/**
 * The connection behind a SQLite store, for the dialect's own tests and bench set-up only (they
 * check plans and indexes the interface deliberately hides). Nothing in src/ outside store/sqlite/
 * may call it.
 */
export function connOf(store: Store): Conn {
  const conn = conns.get(store);
  if (!conn) throw new Error('not a SQLite store');
  return conn;
}

const conns = new WeakMap<Store, Conn>();

export function sqliteStore(conn: Conn): Store {
  /** Runs a synchronous dialect call as the interface's async one, translating SQLite failures. */
  async function call<A extends unknown[], R>(fn: (conn: Conn, ...args: A) => R, ...args: A): Promise<R> {
    try {
      return fn(conn, ...args);
    } catch (err) {
      throw translateSqliteError(err, conn.path);
    }
  }
  /** The same for page-by-page readers. */
  async function* stream<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* source;
    } catch (err) {
      throw translateSqliteError(err, conn.path);
    }
  }
  const store: Store = {
    location: conn.path,
    evidence: {
      writeBatch: (batch, settings) => call(writeBatch, batch, settings),
      readCheckpoint: <T>(sourceId: string) => call((c) => readCheckpoint<T>(c, sourceId)),
      isInLedger: (sourceId, itemKey, version) => call(isInLedger, sourceId, itemKey, version),
      sessionEvents: (sessionId) => call(sessionEvents, sessionId),
      describeSnapshots: (sessionId) => call(sessionDescribeSnapshots, sessionId),
      listQuarantine: (filter, page) => call(listQuarantine, filter, page),
      listLedger: (sourceId, page) => call(listLedger, sourceId, page),
      recordPoll: (sourceId, outcome) => call(recordPoll, sourceId, outcome),
    },
    sessions: {
      list: (filters, page) => call(listSessions, filters, page),
      count: (filters, options) => call(countSessions, filters, options),
      get: (sessionId) => call(getSession, sessionId),
      listAttempts: (filters, page) => call(listAttempts, filters, page),
      refreshTimeDependent: (settings) => call(refreshTimeDependentSessions, settings),
    },
    transcripts: {
      list: (sessionId) => call(listTranscripts, sessionId),
      readChunks: (transcriptId) => stream(readTranscriptChunks(conn, transcriptId)),
      readCwEvents: (transcriptId) => stream(readCwEvents(conn, transcriptId)),
      cwStreamPosition: (transcriptId) =>
        call((c) => readTransaction(c, () => cwStreamPosition(c, transcriptId))),
      storedChunkBytes: (transcriptId) => call(storedChunkBytes, transcriptId),
    },
    commands: {
      listForSession: (sessionId, page) => call(listSessionCommands, sessionId, page),
      search: (query) => call(searchCommands, query),
      count: (query) => call(countCommands, query),
      searchWithCount: (query) => call(searchWithCount, query),
      sessionIds: (query) => call(searchSessionIds, query),
    },
    extractQueue: {
      next: (after, limit) => call(nextQueued, after, limit),
      size: () => call(queueSize),
      complete: (sessionId, outcome) => call(completeExtraction, sessionId, outcome),
      fail: (sessionId, reason) => call(failExtraction, sessionId, reason),
      queueOutdated: (version) => call(queueOutdated, version),
    },
    findings: {
      list: (options, page) => call(listFindings, options, page),
      countByKind: () => call(countFindings),
    },
    lease: {
      acquire: async (holder, options) => {
        try {
          return await acquireWriterLease(conn, holder, options);
        } catch (err) {
          throw translateSqliteError(err, conn.path);
        }
      },
    },
    // User-owned writes: no writer lease (store/index.ts).
    tokens: {
      create: (token) => call(createToken, token),
      authenticate: (hash, now) => call(authenticateToken, hash, now),
      redeemCode: (hash, now) => call(redeemCode, hash, now),
      list: () => call(listTokens),
      revoke: (idOrName, now) => call(revokeTokens, idOrName, now),
    },
    accessTrail: {
      append: (entry) => call(appendAccess, entry),
      list: (filters, page) => call(listAccess, filters, page),
    },
    stats: {
      overview: (range) => call(statsOverview, range),
      tableRows: () => call(tableRows),
      sourcePolls: () => call(sourcePolls),
    },
    timelines: {
      list: (subject, options, page) => call(listTimeline, subject, options, page),
    },
    detectQueue: {
      next: (after, limit) => call(alerts.nextDetectQueued, after, limit),
      size: () => call(alerts.detectQueueSize),
      complete: (sessionId, raised) => call(alerts.completeDetection, sessionId, raised),
      queueAll: () => call(alerts.queueAllForDetection),
    },
    alerts: {
      record: (raised) => call(alerts.recordAlerts, raised),
      list: (filters, page) => call(alerts.listAlerts, filters, page),
      get: (alertId) => call(alerts.getAlert, alertId),
      // User-owned (no lease): acknowledging works while the worker runs.
      setStatus: (alertIds, change) => call(alerts.setAlertStatus, alertIds, change),
      countByRule: () => call(alerts.countAlertsByRule),
      countBySession: (sessionIds) => call(countAlertsBySession, sessionIds),
    },
    outbox: {
      due: (now, limit, options) => call(outbox.dueDeliveries, now, limit, options),
      markDelivered: (deliveryId, now) => call(outbox.markDelivered, deliveryId, now),
      markFailed: (deliveryId, error, retryAt) => call(outbox.markFailed, deliveryId, error, retryAt),
      list: (filters, page) => call(outbox.listDeliveries, filters, page),
      // User-owned (no lease): an operator retries dead deliveries while the worker runs.
      retryDead: (deliveryIds, now) => call(outbox.retryDead, deliveryIds, now),
    },
    rules: {
      list: () => call(rules.listRuleStates),
      setEnabled: (ruleId, enabled, by, now) => call(rules.setRuleEnabled, ruleId, enabled, by, now),
    },
    suppressions: {
      create: (suppression) => call(rules.createSuppression, suppression),
      list: (options) => call(rules.listSuppressions, options),
      remove: (suppressionId, now) => call(rules.removeSuppression, suppressionId, now),
    },
    async close() {
      if (conn.sqlite.open) conn.sqlite.close();
    },
  };
  conns.set(store, conn);
  return store;
}
