/**
 * A local folder as a source: a trail bucket copy (`aws s3 sync`), loose trail files, NDJSON,
 * saved API output, session logs, and whatever else a handler in FILE_HANDLERS recognizes. Files
 * are walked in sorted order, each is one item (evidence + ledger entry keyed by relative path +
 * sha256), so a re-import skips what is done and a killed import resumes where it stopped.
 * Memory stays bounded whatever the file sizes: small files are read a few ahead, session logs of
 * any size are streamed, and a file that cannot be read is quarantined without stopping the rest.
 */
import { resolve } from 'node:path';
import { BadInputError } from '../../errors.ts';
import { createBatcher } from '../batcher.ts';
import { MAX_INFLATED_LOG_BYTES } from '../normalize/decode.ts';
import type { Source, SourceContext } from '../source.ts';
import { cloudtrailJsonHandler } from './local/cloudtrail-files.ts';
import { asFileError, digestFile, openLocalFile } from './local/files.ts';
import { type FileHandler, isStreamHandler } from './local/handler.ts';
import { decodeWhole, importStreamed, importWhole, type Prepared, quarantine } from './local/import-file.ts';
import { TRANSCRIPT_FILE_HANDLERS } from './local/transcript-files.ts';
import { type WalkEntry, walk } from './local/walk.ts';

/**
 * The registry. Stream handlers (which decide from the path alone) are asked first, in order;
 * then whole-file handlers, in order, see the path and the first bytes. Add a handler here (more
 * specific ones first) to teach `import` a new file kind.
 */
export const FILE_HANDLERS: FileHandler[] = [...TRANSCRIPT_FILE_HANDLERS, cloudtrailJsonHandler];

/** Files prepared ahead of the one being written: enough to hide read and gunzip latency. */
const PREFETCH = 3;
/** Whole-file (JSON) files up to this size are read and inflated ahead; bigger ones at their turn. */
const PREFETCH_WHOLE_BYTES = 8 << 20;
/** Inflated size allowed ahead of time: a small gzip that inflates further waits for its turn. */
const PREFETCH_DECODED_BYTES = 32 << 20;
/** Session logs up to this size are read once into memory (ahead); bigger ones are streamed. */
const HOLD_LOG_BYTES = 1 << 20;

export interface LocalDirOptions {
  handlers?: FileHandler[];
  /** Test knob: pause after each file, so a kill lands at many different points. */
  pauseAfterFileMs?: number;
  /** Cap on a gzipped session log's inflated size (default MAX_INFLATED_LOG_BYTES). */
  maxInflatedLogBytes?: number;
}

/** @example createLocalDirSource('./data/demo') */
export function createLocalDirSource(dir: string, options: LocalDirOptions = {}): Source {
  const root = resolve(dir);
  const handlers = options.handlers ?? FILE_HANDLERS;
  const maxInflated = options.maxInflatedLogBytes ?? MAX_INFLATED_LOG_BYTES;
  return {
    id: `local:${root}`,
    async poll(ctx) {
      const { entries } = await walk(root);
      ctx.counters.itemsTotal += entries.length;
      const prepareAhead = (entry: WalkEntry) => {
        const p = prepare(ctx, entry, handlers, maxInflated);
        p.catch(() => {}); // awaited in order below
        return p;
      };
      const pending = entries.slice(0, PREFETCH).map(prepareAhead);
      const batcher = createBatcher(ctx, options.pauseAfterFileMs ? { items: 1 } : {});
      for (let i = 0; i < entries.length; i++) {
        if (ctx.signal.aborted) break;
        const current = pending[i]!;
        if (i + PREFETCH < entries.length) pending.push(prepareAhead(entries[i + PREFETCH]!));
        pending[i] = undefined as unknown as Promise<Prepared>; // let the buffers go once written
        const item = await current;
        if (item.kind === 'stream') await importStreamed(ctx, batcher, item, maxInflated);
        else if (item.kind === 'whole') await importWhole(ctx, batcher, item, handlers);
        else if (item.kind === 'failed') await quarantine(batcher, item.entry.relPath, item.error);
        else if (item.unchanged) ctx.counters.itemsUnchanged++;
        else if (item.note) ctx.log(`${item.entry.relPath}: skipped, ${item.note}`);
        ctx.counters.itemsRead++;
        if (options.pauseAfterFileMs) await new Promise((r) => setTimeout(r, options.pauseAfterFileMs));
      }
      await batcher.flush();
    },
  };
}

/** Stats and, for small files, reads and inflates: the part of a file's work that may run ahead. */
async function prepare(
  ctx: SourceContext,
  entry: WalkEntry,
  handlers: FileHandler[],
  maxInflated: number,
): Promise<Prepared> {
  if (skipReason(entry.relPath)) return { entry, kind: 'skip' };
  if (entry.skip === 'symlinked_folder')
    return { entry, kind: 'skip', note: 'a symlink to a folder (not followed)' };
  // Refused without being read, and said so in the quarantine (with the summary's count by reason).
  if (entry.skip) return { entry, kind: 'failed', error: refusal(entry.relPath, entry.skip) };
  try {
    if (entry.error) throw asFileError(entry.error, entry.relPath);
    const handler = handlers.filter(isStreamHandler).find((h) => h.acceptsPath(entry.relPath));
    const file = await openLocalFile(
      entry.absPath,
      entry.relPath,
      handler ? HOLD_LOG_BYTES : PREFETCH_WHOLE_BYTES,
    );
    if (!file) return { entry, kind: 'failed', error: refusal(entry.relPath, 'not_regular') };
    // Hashing streams (bounded memory), so it may run ahead, alongside the compression of earlier files.
    if (handler)
      return {
        entry,
        kind: 'stream',
        handler,
        file,
        digest: await digestFile(file, entry.relPath, maxInflated),
      };
    if (!file.whole) return { entry, kind: 'whole', file }; // read at its turn, not ahead
    return await decodeWhole(ctx, entry, file, PREFETCH_DECODED_BYTES);
  } catch (err) {
    if (err instanceof BadInputError) return { entry, kind: 'failed', error: err };
    throw err;
  }
}

/** Why a listed entry is not read, as a quarantine reason and a message naming it. */
function refusal(
  relPath: string,
  skip: 'not_regular' | 'symlink_outside' | 'special_filesystem',
): BadInputError {
  if (skip === 'symlink_outside')
    return new BadInputError(
      'symlink_outside',
      `${relPath}: a symlink out of the imported folder (not followed)`,
    );
  if (skip === 'special_filesystem')
    return new BadInputError('special_file', `${relPath}: leads into /proc, /sys or /dev (not read)`);
  return new BadInputError(
    'not_regular_file',
    `${relPath}: not a regular file (FIFO, socket or device; not read)`,
  );
}

/** Not evidence files: integrity digests (validated elsewhere), S3 write probes, OS litter. */
function skipReason(relPath: string): string | undefined {
  if (relPath.includes('CloudTrail-Digest/')) return 'digest';
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (name === 'ConfigWritabilityCheckFile') return 'writability_check';
  if (name.startsWith('.')) return 'hidden';
  return undefined;
}
