/**
 * Groups the evidence of several small items (files, objects) into one store transaction. Each
 * item's ledger entry travels with its evidence, so a batch still commits all-or-nothing per item;
 * fewer, larger transactions spare the commit and the re-projection of sessions touched by
 * several files in a row.
 */
import type { EvidenceBatch } from '../store/index.ts';
import type { SourceContext } from './source.ts';

type Part = Omit<EvidenceBatch, 'sourceId'>;

export interface BatchLimits {
  /** Items (ledger entries) per transaction. */
  items: number;
  /** Evidence rows per transaction. */
  rows: number;
  /** Raw transcript bytes per transaction. */
  bytes: number;
  /** Longest time evidence waits before it is committed. */
  ms: number;
}

const DEFAULT_LIMITS: BatchLimits = { items: 32, rows: 20_000, bytes: 32 << 20, ms: 1_000 };
const ARRAY_KEYS = [
  'ctEvents',
  'describeSnapshots',
  'transcripts',
  'transcriptChunks',
  'cwEvents',
  'ledger',
  'quarantine',
  'discardOrphanChunksOf',
] as const;

export interface Batcher {
  /** Adds one item's evidence; commits the pending batch when it reached a limit. */
  add(part: Part): Promise<void>;
  /** Commits whatever is pending (call at the end of a poll and before returning on abort). */
  flush(): Promise<void>;
}

/** @example const batcher = createBatcher(ctx); for (...) await batcher.add({ ctEvents, ledger }); await batcher.flush(); */
export function createBatcher(ctx: SourceContext, limits: Partial<BatchLimits> = {}): Batcher {
  const l = { ...DEFAULT_LIMITS, ...limits };
  let pending: Part = {};
  let items = 0;
  let rows = 0;
  let bytes = 0;
  let since = 0;
  const flush = async () => {
    if (items === 0 && rows === 0 && pending.checkpoint === undefined && !pending.quarantine?.length) return;
    const batch = pending;
    pending = {};
    items = rows = bytes = 0;
    await ctx.write(batch);
  };
  return {
    async add(part) {
      if (items === 0 && rows === 0) since = Date.now();
      for (const key of ARRAY_KEYS) {
        const list = part[key] as unknown[] | undefined;
        if (!list?.length) continue;
        const target = (pending[key] as unknown[] | undefined) ?? [];
        for (const item of list) target.push(item);
        (pending as Record<string, unknown>)[key] = target;
        if (key === 'ledger') items += list.length;
        else if (key !== 'quarantine') rows += list.length;
      }
      for (const c of part.transcriptChunks ?? []) bytes += c.rawSize;
      if (part.checkpoint !== undefined) pending.checkpoint = part.checkpoint;
      if (items >= l.items || rows >= l.rows || bytes >= l.bytes || Date.now() - since >= l.ms) await flush();
    },
    flush,
  };
}
