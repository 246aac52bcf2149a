/**
 * Bounded decoding of stored objects: gzip detection by magic bytes (trail copies are not always
 * named `.gz`), and a hard cap on the decompressed size so a gzip bomb or a runaway object costs a
 * quarantine row, not the process.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip, gunzip } from 'node:zlib';
import { BadInputError } from '../../errors.ts';

/** CloudTrail delivers files of a few MB; anything far beyond is not a trail file. */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;
/**
 * A gzipped session log is inflated as a stream, so memory is no limit; this bounds the disk and
 * time a gzip bomb (up to ~1000:1) may cost. Real sessions that print gigabytes stay well under.
 */
export const MAX_INFLATED_LOG_BYTES = 8 * 1024 * 1024 * 1024;

const GUNZIP_CHUNK_BYTES = 4 * 1024 * 1024;

export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips when the bytes are gzip, else returns them unchanged. Runs on the libuv pool so the
 * next file can be read while this one inflates.
 *
 * @example const text = (await decodeObject(bytes, key)).toString('utf8');
 */
export async function decodeObject(
  bytes: Buffer,
  itemKey: string,
  maxBytes = MAX_DECODED_BYTES,
): Promise<Buffer> {
  if (bytes.length === 0) throw new BadInputError('empty', `${itemKey} is empty`);
  if (!isGzipContent(bytes, bytes.length, itemKey)) return bytes;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      // Large output chunks: the default 16 KiB means hundreds of callbacks and copies per file.
      gunzip(bytes, { maxOutputLength: maxBytes, chunkSize: GUNZIP_CHUNK_BYTES }, (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test((err as Error).message)) {
      throw new BadInputError('too_large', `${itemKey} inflates beyond ${maxBytes} bytes`, { cause: err });
    }
    throw new BadInputError('corrupt_gzip', `${itemKey} is not a valid gzip stream (${code ?? 'error'})`, {
      cause: err,
    });
  }
}

/**
 * Whether bytes that start with `head` need gunzipping: gzip magic decides (copies are not always
 * named `.gz`). A `.gz` name over bytes that are neither gzip nor JSON text is a broken upload, and
 * a zero-byte `.gz` file is not the gzip of anything: both throw BadInputError.
 */
export function isGzipContent(head: Buffer, size: number, itemKey: string): boolean {
  if (isGzip(head)) return true;
  if (/\.gz$/i.test(itemKey)) {
    if (size === 0) throw new BadInputError('empty', `${itemKey} is empty`);
    if (!/^\s*[[{]/.test(head.subarray(0, 64).toString('latin1')))
      throw new BadInputError('corrupt_gzip', `${itemKey} is named .gz but is not gzip data`);
  }
  return false;
}

/**
 * Inflates a gzip byte stream piece by piece (bounded memory whatever the size), refusing more than
 * maxBytes of output (`too_large`) and reporting a broken stream as `corrupt_gzip`. Errors of the
 * source itself (a file read failing) pass through unchanged.
 *
 * @example for await (const piece of gunzipStream(createReadStream(path), relPath)) hash.update(piece);
 */
export async function* gunzipStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  itemKey: string,
  maxBytes = MAX_INFLATED_LOG_BYTES,
): AsyncGenerator<Buffer> {
  const inflate = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES / 4 });
  const input = Readable.from(source, { objectMode: false });
  // Errors of either side surface through the iteration below; the callback only keeps them handled.
  const out = pipeline(input, inflate, () => {}) as AsyncIterable<Buffer> & Readable;
  let size = 0;
  try {
    for await (const piece of out) {
      size += piece.length;
      if (size > maxBytes)
        throw new BadInputError('too_large', `${itemKey} inflates beyond ${maxBytes} bytes`);
      yield piece;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // zlib's own errors say Z_*; anything else (a failing file read) is not about the content.
    if (err instanceof BadInputError || !code?.startsWith('Z_')) throw err;
    throw new BadInputError('corrupt_gzip', `${itemKey} is not a valid gzip stream (${code})`, {
      cause: err,
    });
  } finally {
    input.destroy();
    inflate.destroy();
  }
}

/** Reads a byte stream (an S3 object body) into one Buffer, refusing more than maxBytes. */
export async function readBounded(
  stream: AsyncIterable<Uint8Array>,
  itemKey: string,
  maxBytes = MAX_DECODED_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw new BadInputError('too_large', `${itemKey} is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}
