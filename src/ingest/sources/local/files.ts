/**
 * Reading one local file with bounded memory and without surprises: opened non-blocking and checked
 * to be a regular file (a FIFO swapped in after the walk cannot hang the import), held in memory only
 * up to a size the caller chooses, otherwise streamed. Filesystem failures become BadInputErrors
 * naming the file, so one unreadable file is quarantined and its neighbours still import.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { BadInputError } from '../../../errors.ts';
import { gunzipStream, isGzipContent } from '../../normalize/decode.ts';

/** Bytes kept from the front of a file that is not held whole (gzip detection). */
const HEAD_BYTES = 64;
/** Read size when streaming from disk. */
const STREAM_PIECE_BYTES = 1 << 20;
// O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for regular files.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export interface OpenedFile {
  absPath: string;
  size: number;
  mtimeMs: number;
  /** The whole file, when it was at most the size asked for; else null (stream it with rawBytes). */
  whole: Buffer | null;
  /** Its first bytes. */
  head: Buffer;
}

/**
 * Stats (and reads, when at most `holdUpTo` bytes) a file. Returns null when it is not a regular
 * file. Throws BadInputError `unreadable` / `too_large` for filesystem failures.
 */
export async function openLocalFile(
  absPath: string,
  relPath: string,
  holdUpTo: number,
): Promise<OpenedFile | null> {
  try {
    const handle = await open(absPath, OPEN_FLAGS);
    try {
      const s = await handle.stat();
      if (!s.isFile()) return null;
      const base = { absPath, size: s.size, mtimeMs: s.mtimeMs };
      if (s.size <= holdUpTo) {
        const whole = await handle.readFile();
        return { ...base, size: whole.length, whole, head: whole.subarray(0, HEAD_BYTES) };
      }
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      return { ...base, whole: null, head: head.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw asFileError(err, relPath);
  }
}

/** The file's bytes as on disk: the held copy, or a fresh read, piece by piece. */
export function rawBytes(f: OpenedFile): AsyncIterable<Buffer> | Iterable<Buffer> {
  return f.whole ? [f.whole] : readPieces(f.absPath);
}

async function* readPieces(absPath: string): AsyncGenerator<Buffer> {
  const handle = await open(absPath, OPEN_FLAGS);
  try {
    // Checked again on the open handle: the path may have been swapped since the walk.
    if (!(await handle.stat()).isFile())
      throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    for (;;) {
      // A fresh buffer per piece: consumers keep slices of it (chunks are cut across pieces).
      const piece = Buffer.allocUnsafe(STREAM_PIECE_BYTES);
      const { bytesRead } = await handle.read(piece, 0, piece.length, null);
      if (bytesRead === 0) return;
      yield bytesRead === piece.length ? piece : piece.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

export interface FileDigest {
  /** sha256 hex of the bytes on disk (the ledger version). */
  version: string;
  gzip: boolean;
  /** sha256 hex and length of the content, after gunzip when gzip. */
  sha256: string;
  size: number;
}

/**
 * The streaming hash pass: hashes the file and, when it is gzip, its inflated content (bounded by
 * maxInflated). Content errors come back with the version so the file's ledger entry can say
 * "quarantined"; filesystem errors throw (unreadable: nothing is recorded, the next import retries).
 */
export async function digestFile(
  f: OpenedFile,
  relPath: string,
  maxInflated: number,
): Promise<FileDigest | { version: string; error: BadInputError }> {
  try {
    let gzip: boolean;
    try {
      gzip = isGzipContent(f.head, f.size, relPath);
    } catch (err) {
      if (!(err instanceof BadInputError)) throw err;
      return { version: await hashOf(rawBytes(f)), error: err };
    }
    if (!gzip) {
      const version = await hashOf(rawBytes(f));
      return { version, gzip, sha256: version, size: f.size };
    }
    const rawHash = createHash('sha256');
    const contentHash = createHash('sha256');
    let size = 0;
    try {
      for await (const piece of gunzipStream(tap(rawBytes(f), rawHash), relPath, maxInflated)) {
        contentHash.update(piece);
        size += piece.length;
      }
    } catch (err) {
      if (!(err instanceof BadInputError)) throw err;
      // Inflating stopped early: the ledger version still needs the whole file's hash.
      return { version: await hashOf(rawBytes(f)), error: err };
    }
    return { version: rawHash.digest('hex'), gzip, sha256: contentHash.digest('hex'), size };
  } catch (err) {
    throw asFileError(err, relPath);
  }
}

/** The content again (second pass), inflated when gzip; filesystem errors become BadInputErrors. */
export async function* contentBytes(
  f: OpenedFile,
  digest: FileDigest,
  relPath: string,
  maxInflated: number,
): AsyncGenerator<Buffer> {
  try {
    const raw = rawBytes(f);
    yield* digest.gzip ? gunzipStream(raw, relPath, maxInflated) : raw;
  } catch (err) {
    throw asFileError(err, relPath);
  }
}

/**
 * A filesystem failure on one file as a quarantine reason: `too_large` when Node cannot hold it
 * (over 2 GiB for readFile, or a string beyond V8's limit), else `unreadable`. The message names the
 * file and the error code, never content. Other errors (bugs) pass through.
 */
export function asFileError(err: unknown, relPath: string): unknown {
  if (err instanceof BadInputError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG' || err instanceof RangeError)
    return new BadInputError('too_large', `${relPath}: too large to read (${code ?? 'RangeError'})`, {
      cause: err,
    });
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && !PROCESS_WIDE.has(code))
    return new BadInputError('unreadable', `${relPath}: cannot read (${code})`, { cause: err });
  return err;
}

/** Errors about the process or the machine, not the file: the import fails and is retried whole. */
const PROCESS_WIDE = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'ENOSPC']);

async function hashOf(bytes: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of bytes) hash.update(piece);
  return hash.digest('hex');
}

async function* tap(
  bytes: AsyncIterable<Buffer> | Iterable<Buffer>,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<Buffer> {
  for await (const piece of bytes) {
    hash.update(piece);
    yield piece;
  }
}
