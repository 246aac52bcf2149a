/**
 * The contract between the ingest worker and each source (one file per source in ./sources/).
 * A source lists what is new since its checkpoint, reads and parses it outside any transaction,
 * and hands each parsed item to `ctx.write` as one EvidenceBatch (evidence + ledger + checkpoint),
 * which commits atomically. Killing the process between two writes loses nothing: the next poll
 * resumes from the last committed checkpoint and the ledger skips what was already done.
 *
 * A source never sees the store: it gets the few capabilities below, already bound to its own id,
 * so it can neither read another source's progress nor write outside its batches.
 */
import type { PassCounters } from '../analyze/pass.ts';
import type { BatchOutcome, CwStreamPosition, EvidenceBatch, ProjectionSettings } from '../store/index.ts';

export interface IngestCounters {
  /** Files or objects read (including quarantined ones). */
  itemsRead: number;
  /** Items we found to do in this poll (for progress: itemsRead / itemsTotal). */
  itemsTotal: number;
  /** Of itemsRead: already imported in this exact version (the ledger has it), so not read again. */
  itemsUnchanged: number;
  recordsSeen: number;
  sessionEvents: number;
  sessionsCreated: number;
  sessionsUpdated: number;
  transcripts: number;
  quarantined: number;
  /** reason -> count, for the summary. */
  quarantineReasons: Record<string, number>;
  /**
   * What the passes after each poll did, added up by key (each pass names its own counters, e.g.
   * the extract pass's `sessionsExtracted`, `commandsExtracted`, `extractFailures`).
   */
  passes: PassCounters;
}

export interface SourceContext {
  settings: ProjectionSettings;
  counters: IngestCounters;
  /** This source's stored checkpoint (what its last committed batch carried), or undefined on its first run. */
  checkpoint: { read<T>(): Promise<T | undefined> };
  /** What this source already processed (done or quarantined), by item key and exact version. */
  ledger: { has(itemKey: string, version: string): Promise<boolean> };
  /**
   * Commits one batch (one transaction) and folds its outcome into the counters. Rejects with
   * LeaseLostError when this worker lost the writer lease: the source must let that propagate.
   */
  write(batch: Omit<EvidenceBatch, 'sourceId'>): Promise<BatchOutcome>;
  /** Where a CloudWatch transcript stream stands in the store (the CloudWatch source resumes from it). */
  cwStreamPosition(transcriptId: string): Promise<CwStreamPosition>;
  /** A human-readable line for the operator (never secrets or transcript content). */
  log(message: string): void;
  signal: AbortSignal;
}

export interface Source {
  /** Stable id, used for checkpoints, ledger and quarantine rows, e.g. `cloudtrail-s3:bucket/prefix`. */
  id: string;
  /** One poll: read everything new, write it, return when caught up. */
  poll(ctx: SourceContext): Promise<void>;
}

export function emptyCounters(): IngestCounters {
  return {
    itemsRead: 0,
    itemsTotal: 0,
    itemsUnchanged: 0,
    recordsSeen: 0,
    sessionEvents: 0,
    sessionsCreated: 0,
    sessionsUpdated: 0,
    transcripts: 0,
    quarantined: 0,
    quarantineReasons: {},
    passes: {},
  };
}

/** Adds one pass run's counters into the ingest counters, key by key. */
export function addPassCounters(counters: IngestCounters, done: PassCounters): void {
  for (const [key, n] of Object.entries(done)) counters.passes[key] = (counters.passes[key] ?? 0) + n;
}
