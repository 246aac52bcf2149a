/**
 * One local file's import, once the walker has prepared it: a whole file (read into memory, offered
 * to the whole-file handlers) or a streamed one (hashed in a first pass, then streamed into its
 * handler with early chunks committed). Every file ends as evidence + a `done` ledger entry, or as
 * a quarantine row naming it (with a `quarantined` ledger entry when its content is at fault).
 */
import { createHash } from 'node:crypto';
import { BadInputError } from '../../../errors.ts';
import type { Batcher } from '../../batcher.ts';
import { decodeObject, MAX_DECODED_BYTES } from '../../normalize/decode.ts';
import type { SourceContext } from '../../source.ts';
import { asFileError, contentBytes, type digestFile, type OpenedFile, openLocalFile } from './files.ts';
import {
  type FileHandler,
  isStreamHandler,
  type StreamFileHandler,
  type WholeFileHandler,
} from './handler.ts';
import type { WalkEntry } from './walk.ts';

/** Bytes of decoded content shown to `accepts`. */
const HEAD_BYTES = 512;

/** What may be done ahead of a file's turn (see sources/local-dir.ts), and what is left to do. */
export type Prepared = { entry: WalkEntry } & (
  | { kind: 'skip'; note?: string; unchanged?: boolean }
  | { kind: 'failed'; error: BadInputError }
  | { kind: 'stream'; handler: StreamFileHandler; file: OpenedFile; digest: Digested }
  | WholePrepared
);
type Digested = Awaited<ReturnType<typeof digestFile>>;
/** A whole file; with neither content nor error, it was too big to read or inflate ahead. */
type WholePrepared = {
  kind: 'whole';
  file: OpenedFile;
  version?: string;
  content?: Buffer;
  error?: BadInputError;
};

/** Hashes a file held in memory, skips it when the ledger has it, else gunzips it (up to maxDecoded). */
export async function decodeWhole(
  ctx: SourceContext,
  entry: WalkEntry,
  file: OpenedFile,
  maxDecoded: number,
): Promise<Prepared> {
  const version = createHash('sha256').update(file.whole!).digest('hex');
  if (await ctx.ledger.has(entry.relPath, version)) return { entry, kind: 'skip', unchanged: true };
  try {
    return {
      entry,
      kind: 'whole',
      file,
      version,
      content: await decodeObject(file.whole!, entry.relPath, maxDecoded),
    };
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    // Inflates beyond what may be held ahead: decoded again at its turn, with the full cap.
    if (err.reason === 'too_large' && maxDecoded < MAX_DECODED_BYTES)
      return { entry, kind: 'whole', file, version };
    return { entry, kind: 'whole', file, version, error: err };
  }
}

export async function importWhole(
  ctx: SourceContext,
  batcher: Batcher,
  prepared: Extract<Prepared, { kind: 'whole' }>,
  handlers: FileHandler[],
): Promise<void> {
  const { relPath, absPath } = prepared.entry;
  let item: Prepared = prepared;
  if (!prepared.content && !prepared.error) {
    // Too big to read or inflate ahead: done now, alone, with the full cap.
    try {
      if (prepared.file.size > MAX_DECODED_BYTES)
        throw new BadInputError('too_large', `${relPath} is larger than ${MAX_DECODED_BYTES} bytes`);
      const file = prepared.file.whole
        ? prepared.file
        : await openLocalFile(absPath, relPath, MAX_DECODED_BYTES);
      if (!file) return;
      if (!file.whole)
        throw new BadInputError('too_large', `${relPath} grew beyond ${MAX_DECODED_BYTES} bytes`);
      item = await decodeWhole(ctx, prepared.entry, file, MAX_DECODED_BYTES);
    } catch (err) {
      if (err instanceof BadInputError) return quarantine(batcher, relPath, err);
      throw err;
    }
  }
  if (item.kind !== 'whole') return;
  const { file, version, content, error } = item;
  // A corrupt or empty file that no handler would ever want (e.g. a stray `.DS_Store.gz`) is
  // still quarantined: the operator asked us to import this folder and should hear about it.
  if (error) return quarantine(batcher, relPath, error, version);
  const head = content!.subarray(0, HEAD_BYTES).toString('utf8');
  const handler = handlers
    .filter((h): h is WholeFileHandler => !isStreamHandler(h))
    .find((h) => h.accepts(relPath, head));
  if (!handler) return;
  try {
    const out = await handler.read({
      relPath,
      absPath,
      bytes: file.whole!,
      content: content!,
      version: version!,
    });
    ctx.counters.recordsSeen += out.records;
    await batcher.add({
      ...out.evidence,
      ledger: [{ itemKey: relPath, version: version!, outcome: 'done', records: out.records }],
    });
  } catch (err) {
    const failure = asFileError(err, relPath); // e.g. a string beyond V8's limit: `too_large`
    if (!(failure instanceof BadInputError)) throw failure;
    await quarantine(batcher, relPath, failure, version);
  }
}

/**
 * A session log (or any stream handler's file), already hashed in one streaming pass ahead of its
 * turn (the transcript id carries the hash): skipped when the ledger has that version, else
 * streamed into the handler, whose early chunks are committed as they come (spilled).
 */
export async function importStreamed(
  ctx: SourceContext,
  batcher: Batcher,
  prepared: Extract<Prepared, { kind: 'stream' }>,
  maxInflated: number,
): Promise<void> {
  const { entry, handler, file, digest } = prepared;
  const { relPath, absPath } = entry;
  const version = digest.version;
  if ('error' in digest) return quarantine(batcher, relPath, digest.error, version);
  if (await ctx.ledger.has(relPath, version)) {
    ctx.counters.itemsUnchanged++;
    return;
  }
  // Chunks committed ahead of the transcript row: removed with the quarantine if the file fails.
  const spilled = new Set<string>();
  try {
    const out = await handler.readStream(
      {
        relPath,
        absPath,
        version,
        sha256: digest.sha256,
        size: digest.size,
        mtimeMs: file.mtimeMs,
        held: file.whole !== null,
        content: () => contentBytes(file, digest, relPath, maxInflated),
      },
      (chunks) => {
        for (const c of chunks) spilled.add(c.transcriptId);
        return ctx.write({ transcriptChunks: chunks });
      },
    );
    ctx.counters.recordsSeen += out.records;
    await batcher.add({
      ...out.evidence,
      ledger: [{ itemKey: relPath, version, outcome: 'done', records: out.records }],
    });
  } catch (err) {
    const failure = asFileError(err, relPath);
    if (!(failure instanceof BadInputError)) throw failure;
    await quarantine(batcher, relPath, failure, version, [...spilled]);
  }
}

/**
 * Records why a file was not used. With its version, the ledger marks it done-as-quarantined (a
 * re-import skips it); a filesystem failure has none, or may pass, so the next import tries again.
 * Chunks it spilled ahead of its transcript row go in the same transaction (no orphans).
 */
export function quarantine(
  batcher: Batcher,
  relPath: string,
  err: BadInputError,
  version?: string,
  discardOrphanChunksOf: string[] = [],
): Promise<void> {
  const keep = version !== undefined && err.reason !== 'unreadable';
  return batcher.add({
    quarantine: [{ itemKey: relPath, reason: err.reason, detail: err.message }],
    ledger: keep ? [{ itemKey: relPath, version, outcome: 'quarantined', records: 0 }] : [],
    ...(discardOrphanChunksOf.length > 0 ? { discardOrphanChunksOf } : {}),
  });
}
