/**
 * What ingestion set aside or already read: the quarantine (items it could not use, with why) and
 * a source's ledger (item versions done or quarantined). Keyset pages over their primary keys.
 */
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import { InvalidRequestError } from '../../errors.ts';
import type { LedgerEntry, Page, PageRequest, QuarantineRow } from '../types.ts';
import type { Conn } from './connection.ts';
import { ingestLedger, quarantine } from './schema.ts';
import { paged, pageLimit } from './sessions.ts';

export const EVIDENCE_LIST_PAGE = { default: 1000, max: 10_000 };

/** Quarantined items, optionally of one source, ordered by (sourceId, itemKey, reason). */
export function listQuarantine(
  conn: Conn,
  filter: { sourceId?: string } = {},
  page: PageRequest = {},
): Page<QuarantineRow> {
  const limit = pageLimit(page, EVIDENCE_LIST_PAGE);
  const conditions: (SQL | undefined)[] = [];
  if (filter.sourceId !== undefined) conditions.push(eq(quarantine.sourceId, filter.sourceId));
  if (page.cursor) {
    const [source, key, reason] = decodeStrings(page.cursor, 3) as [string, string, string];
    conditions.push(
      or(
        gt(quarantine.sourceId, source),
        and(eq(quarantine.sourceId, source), gt(quarantine.itemKey, key)),
        and(eq(quarantine.sourceId, source), eq(quarantine.itemKey, key), gt(quarantine.reason, reason)),
      ),
    );
  }
  const rows = conn.db
    .select({
      sourceId: quarantine.sourceId,
      itemKey: quarantine.itemKey,
      reason: quarantine.reason,
      detail: quarantine.detail,
    })
    .from(quarantine)
    .where(and(...conditions))
    .orderBy(asc(quarantine.sourceId), asc(quarantine.itemKey), asc(quarantine.reason))
    .limit(limit + 1)
    .all();
  return paged(rows, limit, (r) => [r.sourceId, r.itemKey, r.reason]);
}

/** One source's ledger, ordered by (itemKey, version). */
export function listLedger(conn: Conn, sourceId: string, page: PageRequest = {}): Page<LedgerEntry> {
  const limit = pageLimit(page, EVIDENCE_LIST_PAGE);
  const conditions: (SQL | undefined)[] = [eq(ingestLedger.sourceId, sourceId)];
  if (page.cursor) {
    const [key, version] = decodeStrings(page.cursor, 2) as [string, string];
    conditions.push(
      or(
        gt(ingestLedger.itemKey, key),
        and(eq(ingestLedger.itemKey, key), gt(ingestLedger.version, version)),
      ),
    );
  }
  const rows = conn.db
    .select({
      itemKey: ingestLedger.itemKey,
      version: ingestLedger.version,
      outcome: ingestLedger.outcome,
      records: ingestLedger.records,
    })
    .from(ingestLedger)
    .where(and(...conditions))
    .orderBy(asc(ingestLedger.itemKey), asc(ingestLedger.version))
    .limit(limit + 1)
    .all() as LedgerEntry[];
  return paged(rows, limit, (r) => [r.itemKey, r.version]);
}

function decodeStrings(cursor: string, length: number): string[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(key) && key.length === length && key.every((k) => typeof k === 'string'))
      return key as string[];
  } catch {}
  throw new InvalidRequestError('bad_cursor', 'the cursor is not one this store handed out');
}
