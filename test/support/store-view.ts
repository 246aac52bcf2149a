/**
 * What tests read back from a store after an import, through the store interface: every session,
 * every transcript, one session's commands, the quarantine and a source's ledger.
 */
import type {
  QuarantineRow,
  SessionRow,
  Store,
  StoredCommand,
  TranscriptRow,
} from '../../src/store/index.ts';

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

export type { QuarantineRow };

/** Every quarantine row, ordered by item key, then reason. */
export async function quarantineRows(store: Store): Promise<QuarantineRow[]> {
  const out: QuarantineRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.evidence.listQuarantine({}, { limit: 10_000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out.sort((a, b) => cmp(a.itemKey, b.itemKey) || cmp(a.reason, b.reason));
}

/** The item keys in one source's ledger, sorted. */
export async function ledgerKeys(store: Store, sourceId: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.evidence.listLedger(sourceId, { limit: 10_000, cursor });
    out.push(...page.items.map((l) => l.itemKey));
    cursor = page.nextCursor;
  } while (cursor);
  return out.sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
