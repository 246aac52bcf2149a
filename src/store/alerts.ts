/**
 * The detection side of the store interface (store/index.ts): the detect queue, alerts, the
 * notification outbox, rule states and suppressions. Shapes and groups only; every dialect
 * implements them and test/store/contract/alerts.ts checks them.
 *
 * Who may write: the detect queue, alert recording and the outbox belong to the writer (they need
 * the writer lease: only the process that runs the passes raises alerts and delivers them);
 * acknowledging, resolving and suppressing alerts, rule enable/disable and suppressions are
 * user-owned writes (no lease), like tokens.
 */
import type { Page, PageRequest } from './types.ts';

export const ALERT_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'suppressed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** An alert as a rule raised it, before it is stored. */
export interface NewAlert {
  /**
   * What makes two alerts the same: (rule, session, command text, occurrence of that text in the
   * session) for command rules; (rule, group, when the condition started holding) for scheduled
   * rules. Never a row id or seq.
   */
  dedupKey: string;
  ruleId: string;
  ruleTitle: string;
  ruleAuthor: string | null;
  level: AlertLevel;
  tags: string[];
  sessionId: string | null;
  commandText: string | null;
  commandAt: number | null;
  commandSeq: number | null;
  /** 0-based: which occurrence of this exact text in the session. */
  occurrence: number | null;
  user: string | null;
  actor: string | null;
  target: string | null;
  /** A short summary for scheduled rules (`12 sessions by alice in 1h`); never transcript content. */
  detail: string | null;
  /** The replay deep link (src/api/deep-link.ts format), relative to the UI's base URL. */
  link: string | null;
  /** `suppressed` when a suppression matched when it was raised. */
  status: 'open' | 'suppressed';
  createdAt: number;
  /** Channels to notify if the alert is new; empty: recorded, not notified. */
  notify: string[];
}

export interface AlertRecord extends Omit<NewAlert, 'notify' | 'status'> {
  alertId: number;
  status: AlertStatus;
  statusBy: string | null;
  statusReason: string | null;
  updatedAt: number;
}

export interface AlertFilters {
  status?: AlertStatus[];
  ruleId?: string;
  sessionId?: string;
  /** This level and above. */
  minLevel?: AlertLevel;
  actor?: string;
  target?: string;
  since?: number;
  until?: number;
}

/** A session's alerts in brief: what its badge shows. */
export interface SessionAlertCounts {
  /** Alerts in status `open`. */
  open: number;
  /** Alerts in any status (suppressed included). */
  total: number;
  /** The highest level among the open alerts; null when none is open. */
  openLevel: AlertLevel | null;
  /** The highest level among all of them. */
  level: AlertLevel;
}

/** What a write of new alerts did: stored (new dedupe keys) and deliveries queued. */
export interface AlertWriteOutcome {
  inserted: number;
  deliveriesQueued: number;
}

/** Sessions whose commands changed since detection last ran over them. */
export interface DetectQueueStore {
  /** Up to `limit` queued session ids after `after`, in id order. */
  next(after: string, limit: number): Promise<string[]>;
  size(): Promise<number>;
  /**
   * Stores a session's alerts (an alert whose dedupe key exists is left as it is), queues one
   * delivery per channel for each new alert, and removes the session from the queue; one transaction.
   */
  complete(sessionId: string, alerts: NewAlert[]): Promise<AlertWriteOutcome>;
  /** Queues every session that has commands (after a rule change); returns how many. */
  queueAll(): Promise<number>;
}

export interface AlertStore {
  /** Stores alerts raised outside a session's queue entry (scheduled rules); same dedupe as complete. */
  record(alerts: NewAlert[]): Promise<AlertWriteOutcome>;
  /** Newest first (created, then id), paged (default 100, max 1000). */
  list(filters?: AlertFilters, page?: PageRequest): Promise<Page<AlertRecord>>;
  get(alertId: number): Promise<AlertRecord | undefined>;
  /** Sets the status of these alerts (user-owned, no lease); returns the alerts that changed. */
  setStatus(
    alertIds: number[],
    change: { status: AlertStatus; by: string; reason?: string | null; now: number },
  ): Promise<AlertRecord[]>;
  /** Alerts per rule id (all statuses), for hit counts. */
  countByRule(): Promise<Record<string, number>>;
  /** Open and total alerts of these sessions and their highest levels (sessions without alerts are absent), for badges. */
  countBySession(sessionIds: string[]): Promise<Record<string, SessionAlertCounts>>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  deliveryId: number;
  alertId: number;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** The last failure, as the deliverer described it (no secrets, no payload). */
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/**
 * The notification outbox: retries with backoff that survive restarts. Writer-owned, except
 * `retryDead` (a user's decision, like acknowledging an alert: no lease; the deliverer never writes
 * dead rows, so the two cannot race).
 */
export interface OutboxStore {
  /**
   * Pending deliveries due at `now` with their alerts, oldest due first, leaving out the channels in
   * `excludeChannels` (those that failed in this pass), so a failing channel's backlog can never
   * fill the page and starve the others.
   */
  due(
    now: number,
    limit: number,
    options?: { excludeChannels?: readonly string[] },
  ): Promise<{ delivery: Delivery; alert: AlertRecord }[]>;
  markDelivered(deliveryId: number, now: number): Promise<void>;
  /** Records a failed attempt; `retryAt` null gives up (dead). */
  markFailed(deliveryId: number, error: string, retryAt: number | null): Promise<void>;
  /**
   * Makes dead deliveries pending again, due at `now`, with a fresh series of attempts (attempts
   * back to 0; the last error is kept until the next attempt). `'all'`: every dead one. Returns the
   * deliveries that were dead and are pending now (other ids are left alone).
   */
  retryDead(deliveryIds: readonly number[] | 'all', now: number): Promise<Delivery[]>;
  /** The delivery log, newest first, paged (default 100, max 1000). */
  list(filters?: { status?: DeliveryStatus; alertId?: number }, page?: PageRequest): Promise<Page<Delivery>>;
}

export interface RuleState {
  ruleId: string;
  enabled: boolean;
  updatedAt: number;
  updatedBy: string;
}

/** Rules users turned off or on; rules without a state are enabled. User-owned. */
export interface RuleStateStore {
  list(): Promise<RuleState[]>;
  setEnabled(ruleId: string, enabled: boolean, by: string, now: number): Promise<RuleState>;
}

export interface NewSuppression {
  /** Null: every rule. */
  ruleId: string | null;
  /** Patterns with `*` wildcards (case-insensitive); null matches anything. */
  actor: string | null;
  target: string | null;
  command: string | null;
  reason: string;
  expiresAt: number | null;
  createdAt: number;
  createdBy: string;
}

export interface Suppression extends NewSuppression {
  suppressionId: number;
  removedAt: number | null;
}

/** Suppressions: raised alerts that match one are stored as `suppressed` and not notified. User-owned. */
export interface SuppressionStore {
  create(suppression: NewSuppression): Promise<Suppression>;
  /** Not removed and, when `activeAt` is given, not expired at that time; oldest first. */
  list(options?: { activeAt?: number }): Promise<Suppression[]>;
  /** Removes one; false when it does not exist or was removed already. */
  remove(suppressionId: number, now: number): Promise<boolean>;
}
