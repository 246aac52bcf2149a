/**
 * How transcript chunks are stored: each ≤ 1 MiB piece of raw bytes gzip-compressed on its own, so
 * any chunk can be read without its neighbours. Shared by every dialect and by ingest, which
 * compresses while it reads.
 */
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { BadInputError } from '../errors.ts';

/**
 * gzip level for stored chunks. Level 1 is ~3x faster than the default 6 on terminal output and
 * still shrinks it several times; transcripts are written once and read rarely, so speed wins.
 */
export const COMPRESSION_LEVEL = 1;

/** One chunk as stored. gzip's magic (1f 8b) lets a future codec be told apart by its own magic. */
export function compressChunk(raw: Buffer): Buffer {
  return gzipSync(raw, { level: COMPRESSION_LEVEL });
}

/** The same on the libuv pool, so several chunks compress in parallel with reading and hashing. */
export function compressChunkAsync(raw: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    gzip(raw, { level: COMPRESSION_LEVEL }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/** The raw bytes of a stored chunk. */
export function decompressChunk(data: Buffer): Buffer {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data);
  throw new BadInputError('unknown_compression', 'stored transcript chunk: unknown compression');
}
