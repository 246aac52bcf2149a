/**
 * The contract of a local file handler. The local-dir walker offers every file to the handlers of
 * its registry (sources/local-dir.ts). Two kinds:
 * - whole-file handlers get the file read into memory (gunzipped if it is gzip) and decide from its
 *   path and first bytes; they suit documents that are parsed as a whole (JSON) and are small.
 * - stream handlers decide from the path alone and read the file themselves, piece by piece, so a
 *   session log of any size costs bounded memory. They are consulted first, before anything is read.
 */
import type { ChunkRow, EvidenceBatch } from '../../../store/index.ts';

export interface LocalFile {
  /** Path relative to the imported folder, with `/` separators: the ledger key. */
  relPath: string;
  absPath: string;
  /** The file as on disk. */
  bytes: Buffer;
  /** `bytes` gunzipped when the file is gzip, else `bytes` itself. */
  content: Buffer;
  /** sha256 hex of `bytes`: the ledger version, so a changed file is read again. */
  version: string;
}

/** A file a stream handler reads: already hashed in one streaming pass, read again by `content()`. */
export interface StreamedLocalFile {
  relPath: string;
  absPath: string;
  /** sha256 hex of the file as on disk: the ledger version. */
  version: string;
  /** sha256 hex and size of the content (after gunzip), from the hashing pass. */
  sha256: string;
  size: number;
  /** The file's mtime in ms (`aws s3 sync` sets it to the object's LastModified). */
  mtimeMs: number;
  /** The file is held in memory: `content()` yields what was hashed (a file on disk may change). */
  held: boolean;
  /** A fresh stream of the content, inflated when the file is gzip. */
  content(): AsyncIterable<Buffer>;
}

export interface WholeFileHandler {
  name: string;
  /** Cheap: decides from the relative path and the first bytes of the (gunzipped) content. */
  accepts(relPath: string, head: string): boolean;
  /** Throws BadInputError (reason code) for a file that cannot be used: it is quarantined. */
  read(file: LocalFile): HandlerOutput | Promise<HandlerOutput>;
}

export interface StreamFileHandler {
  name: string;
  /** Decides from the relative path alone: nothing has been read yet. */
  acceptsPath(relPath: string): boolean;
  /**
   * Reads the file through `file.content()`. `spill` commits chunks early (ahead of the rest of the
   * output) so memory stays bounded; nothing may be spilled before the file is known to be usable.
   * Throws BadInputError for a file that cannot be used: it is quarantined.
   */
  readStream(
    file: StreamedLocalFile,
    spill: (chunks: ChunkRow[]) => Promise<unknown>,
  ): Promise<HandlerOutput>;
}

export type FileHandler = WholeFileHandler | StreamFileHandler;

export function isStreamHandler(h: FileHandler): h is StreamFileHandler {
  return 'readStream' in h;
}

export interface HandlerOutput {
  evidence: Omit<EvidenceBatch, 'sourceId' | 'ledger' | 'checkpoint'>;
  /** Source records seen in the file (all of them, noise included), for the summary. */
  records: number;
}
