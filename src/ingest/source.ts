/**
 * The contract between the ingest worker and each source (one file per source in ./sources/).
 * A source lists what is new since its checkpoint, reads and parses it outside any transaction,
 * and hands each parsed item to `ctx.write` as one EvidenceBatch (evidence + ledger + checkpoint),
 * which commits atomically. Killing the process between two writes loses nothing: the next poll
 * resumes from the last committed checkpoint and the ledger skips what was already done.
 */
import type { BatchOutcome, EvidenceBatch } from '../store/evidence.ts';
import type { Store } from '../store/open.ts';
import type { ProjectionSettings } from '../store/sessions.ts';

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
  /** Command extraction after the sources ran (see extract-pass.ts). */
  sessionsExtracted: number;
  commandsExtracted: number;
  extractFailures: number;
}

export interface SourceContext {
  store: Store;
  settings: ProjectionSettings;
  counters: IngestCounters;
  /** Commits one batch and folds its outcome into the counters. */
  write(batch: Omit<EvidenceBatch, 'sourceId'>): BatchOutcome;
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
    sessionsExtracted: 0,
    commandsExtracted: 0,
    extractFailures: 0,
  };
}
