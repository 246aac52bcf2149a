/**
 * Rule states and suppressions (store/alerts.ts). Both are user-owned writes: one short IMMEDIATE
 * transaction each, no writer lease, so the UI and CLI can change them while the worker runs.
 */
import type { NewSuppression, RuleState, Suppression } from '../alerts.ts';
import type { Conn } from './connection.ts';
import { statementCache } from './statements.ts';

const SUPPRESSION_COLUMNS = `suppression_id AS suppressionId, rule_id AS ruleId, actor, target, command, reason,
  expires_at AS expiresAt, created_at AS createdAt, created_by AS createdBy, removed_at AS removedAt`;

const statements = statementCache((conn) => {
  const db = conn.sqlite;
  return {
    states: db.prepare(
      'SELECT rule_id AS ruleId, enabled, updated_at AS updatedAt, updated_by AS updatedBy FROM rule_states ORDER BY rule_id',
    ),
    setState: db.prepare(
      `INSERT INTO rule_states (rule_id, enabled, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT(rule_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
    ),
    insertSuppression: db.prepare(
      `INSERT INTO suppressions (rule_id, actor, target, command, reason, expires_at, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    suppressions: db.prepare(
      `SELECT ${SUPPRESSION_COLUMNS} FROM suppressions WHERE removed_at IS NULL
         AND (? IS NULL OR expires_at IS NULL OR expires_at > ?) ORDER BY suppression_id`,
    ),
    removeSuppression: db.prepare(
      'UPDATE suppressions SET removed_at = ? WHERE suppression_id = ? AND removed_at IS NULL',
    ),
  };
});

export function listRuleStates(conn: Conn): RuleState[] {
  return (statements(conn).states.all() as (Omit<RuleState, 'enabled'> & { enabled: number })[]).map((r) => ({
    ...r,
    enabled: r.enabled === 1,
  }));
}

export function setRuleEnabled(
  conn: Conn,
  ruleId: string,
  enabled: boolean,
  by: string,
  now: number,
): RuleState {
  statements(conn).setState.run(ruleId, enabled ? 1 : 0, now, by);
  return { ruleId, enabled, updatedAt: now, updatedBy: by };
}

export function createSuppression(conn: Conn, s: NewSuppression): Suppression {
  const result = statements(conn).insertSuppression.run(
    s.ruleId,
    s.actor,
    s.target,
    s.command,
    s.reason,
    s.expiresAt,
    s.createdAt,
    s.createdBy,
  );
  return { ...s, suppressionId: Number(result.lastInsertRowid), removedAt: null };
}

export function listSuppressions(conn: Conn, options: { activeAt?: number } = {}): Suppression[] {
  const at = options.activeAt ?? null;
  return statements(conn).suppressions.all(at, at) as Suppression[];
}

export function removeSuppression(conn: Conn, suppressionId: number, now: number): boolean {
  return statements(conn).removeSuppression.run(now, suppressionId).changes > 0;
}
