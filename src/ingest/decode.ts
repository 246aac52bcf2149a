/**
 * Bounded decoding of stored objects: gzip detection by magic bytes (trail copies are not always
 * named `.gz`), and a hard cap on the decompressed size so a gzip bomb or a runaway object costs a
 * quarantine row, not the process.
 */
import { gunzip } from 'node:zlib';
import { BadInputError } from '../errors.ts';

/** CloudTrail delivers files of a few MB; anything far beyond is not a trail file. */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;

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
  if (!isGzip(bytes)) {
    // A `.gz` name over bytes that are neither gzip nor JSON text: a broken upload, say so.
    if (/\.gz$/i.test(itemKey) && !/^\s*[[{]/.test(bytes.subarray(0, 64).toString('latin1'))) {
      throw new BadInputError('corrupt_gzip', `${itemKey} is named .gz but is not gzip data`);
    }
    return bytes;
  }
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
