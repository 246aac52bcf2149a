/**
 * What tests read back from a store after an import, through the store interface: every session,
 * every transcript, one session's commands. Quarantine and ledger rows have no interface call yet
 * (requested in /work/notes/interface-requests.md, #1 and #2): until they do, they are read from
 * the dialect's canonical dump (test/store/dump.ts), the one place tests may look at tables.
 */
import type {
  QuarantineEntry,
  SessionRow,
  Store,
  StoredCommand,
  TranscriptRow,
} from '../../src/store/index.ts';
import { dumpStore } from '../store/dump.ts';

/** Every session, in the store's listing order (newest start first). */
export async function allSessions(store: Store): Promise<SessionRow[]> {
  const out: SessionRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.sessions.list({}, { limit: 5000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every transcript of every session, ordered by session id, then the store's order per session. */
export async function allTranscripts(store: Store): Promise<TranscriptRow[]> {
  const sessions = (await allSessions(store)).map((s) => s.sessionId).sort();
  const out: TranscriptRow[] = [];
  for (const id of sessions) out.push(...(await store.transcripts.list(id)));
  return out;
}

/** A session's commands in typed order. */
export async function sessionCommands(store: Store, sessionId: string): Promise<StoredCommand[]> {
  const out: StoredCommand[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.commands.listForSession(sessionId, { cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The raw bytes of a stored S3/file transcript. */
export async function transcriptBytes(store: Store, transcriptId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of store.transcripts.readChunks(transcriptId)) parts.push(chunk);
  return Buffer.concat(parts);
}

export interface QuarantineRow extends QuarantineEntry {
  sourceId: string;
}

/** Every quarantine row, ordered by item key, then reason. */
export function quarantineRows(store: Store): QuarantineRow[] {
  return tableRows(store, 'quarantine')
    .map((r) => ({
      sourceId: r.source_id as string,
      itemKey: r.item_key as string,
      reason: r.reason as string,
      detail: (r.detail as string | null) ?? null,
    }))
    .sort((a, b) => cmp(a.itemKey, b.itemKey) || cmp(a.reason, b.reason));
}

/** The item keys in one source's ledger (or every source's), sorted. */
export function ledgerKeys(store: Store, sourceId?: string): string[] {
  return tableRows(store, 'ingest_ledger')
    .filter((r) => sourceId === undefined || r.source_id === sourceId)
    .map((r) => r.item_key as string)
    .sort(cmp);
}

function tableRows(store: Store, table: string): Record<string, unknown>[] {
  return (dumpStore(store.location)[table] ?? []).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
