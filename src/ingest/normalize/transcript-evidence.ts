/**
 * Transcript bytes -> evidence rows. The raw object is kept exactly: cut into chunks of at most
 * 1 MiB, each gzip-compressed on its own (so every reader can go chunk by chunk), with the SHA-256
 * of the whole object. Memory stays bounded whatever the object size: compressed chunks are handed
 * to `spill` once they exceed a budget, and the caller writes them ahead of the transcript row.
 */
import { createHash, type Hash } from 'node:crypto';
import { BadInputError } from '../../errors.ts';
import { compressChunkAsync } from '../../store/chunks.ts';
import type { ChunkRow, CwEventRow, TranscriptRow } from '../../store/index.ts';
import { parseCloudWatchMessage } from './cloudwatch-events.ts';
import { detectFormat, parseScriptHeader } from './transcript.ts';

/** Raw bytes per stored chunk. */
export const CHUNK_BYTES = 1 << 20;
/** Compressed bytes held before the caller must write them out (bounds memory per object). */
export const SPILL_BYTES = 16 << 20;
/** Bytes kept from the front of the object for format detection and the `script` header. */
const HEAD_BYTES = 8192;
/** Chunks compressing at once on the libuv pool (its default size). */
const MAX_INFLIGHT = 4;
/** Session ids are opaque (`<caller>-<17 hex>` or `<caller>-<26 base36>`, up to 96 chars). */
const SESSION_ID_RE = /^[^\s/\\"'<>|]{1,128}$/;

export function isPlausibleSessionId(id: string | null | undefined): id is string {
  return typeof id === 'string' && SESSION_ID_RE.test(id);
}

/** `<prefix>/<sessionId>.log` -> sessionId; null when the name is not a session log. */
export function sessionIdFromKey(key: string): string | null {
  const base = key.slice(key.lastIndexOf('/') + 1);
  if (!base.endsWith('.log')) return null;
  const id = base.slice(0, -4);
  return isPlausibleSessionId(id) ? id : null;
}

export interface ObjectOrigin {
  /** Known up front (S3: versionId/etag), or derived from the content hash (local files). */
  transcriptId: string | ((sha256: string) => string);
  location: string;
  etag: string | null;
  versionId: string | null;
  lastModified: number | null;
  /** Session id the object's name gives, if any; the header is the fallback. */
  sessionIdFromName: string | null;
  /** The content's SHA-256 when the caller already computed it (saves hashing twice). */
  sha256?: string;
}

export interface TranscriptEvidence {
  transcript: TranscriptRow;
  /** The chunks not already handed to `spill`. */
  chunks: ChunkRow[];
}

/**
 * Streams an object into a transcript row and its chunks. `spill` receives compressed chunks in
 * order whenever more than SPILL_BYTES are pending; it is only allowed when the transcript id is
 * known before reading (otherwise an object that large throws `too_large_unhashed`, and the caller
 * hashes it first). Throws BadInputError `no_session_id` when neither name nor header gives one.
 *
 * @example const { transcript, chunks } = await buildTranscriptEvidence(body, origin, (c) => write({ transcriptChunks: c }));
 */
export async function buildTranscriptEvidence(
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  origin: ObjectOrigin,
  spill?: (chunks: ChunkRow[]) => Promise<unknown>,
): Promise<TranscriptEvidence> {
  const knownId = typeof origin.transcriptId === 'string' ? origin.transcriptId : null;
  const chunker = new Chunker(knownId ?? '', origin.sha256);
  let head = Buffer.alloc(0);
  for await (const piece of body) {
    const bytes = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      chunker.push(bytes.subarray(at, at + CHUNK_BYTES));
      await chunker.settle(MAX_INFLIGHT);
      if (chunker.pendingBytes > SPILL_BYTES) {
        if (!knownId || !spill)
          throw new BadInputError(
            'too_large_unhashed',
            `${origin.location}: too large to hold; hash it first`,
          );
        // Refuse before anything is written: a quarantined object must leave no orphan chunks.
        if (!sessionIdOf(origin, head)) throw noSessionId(origin);
        await spill(chunker.take());
      }
    }
  }
  const sha256 = chunker.finish();
  await chunker.settle(0);
  const transcriptId = knownId ?? (origin.transcriptId as (sha: string) => string)(sha256);
  const chunks = chunker.take().map((c) => ({ ...c, transcriptId }));
  const header = parseScriptHeader(head)?.header ?? null;
  const sessionId = sessionIdOf(origin, head);
  if (!sessionId) throw noSessionId(origin);
  const transcript: TranscriptRow = {
    transcriptId,
    sessionId,
    source: 's3',
    location: origin.location,
    etag: origin.etag,
    versionId: origin.versionId,
    sha256,
    byteSize: chunker.totalBytes,
    format: chunker.totalBytes === 0 ? 'empty' : detectFormat(head),
    headerTime: header?.time ?? null,
    lastModified: origin.lastModified,
    firstEventAt: null,
    lastEventAt: null,
    claimedTarget: header?.target ?? null,
    claimedPrincipalArn: null,
    claimedRunAsUser: null,
    claimedSessionId: header?.sessionId ?? null,
  };
  return { transcript, chunks };
}

function sessionIdOf(origin: ObjectOrigin, head: Buffer): string | null {
  if (origin.sessionIdFromName) return origin.sessionIdFromName;
  const fromHeader = parseScriptHeader(head)?.header.sessionId;
  return isPlausibleSessionId(fromHeader) ? fromHeader : null;
}

function noSessionId(origin: ObjectOrigin): BadInputError {
  return new BadInputError('no_session_id', `${origin.location}: no session id in name or header`);
}

/** Cuts a byte stream into <= 1 MiB chunks, compressing each (a few at a time), hashing everything. */
class Chunker {
  totalBytes = 0;
  pendingBytes = 0;
  private readonly hash: Hash | null;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private seq = 0;
  private pending: ChunkRow[] = [];
  private inflight: Promise<ChunkRow>[] = [];

  constructor(
    private readonly transcriptId: string,
    private readonly knownSha256?: string,
  ) {
    this.hash = knownSha256 ? null : createHash('sha256');
  }

  push(bytes: Buffer): void {
    this.hash?.update(bytes);
    this.totalBytes += bytes.length;
    let rest = bytes;
    while (rest.length > 0) {
      const room = CHUNK_BYTES - this.partsBytes;
      const piece = rest.length > room ? rest.subarray(0, room) : rest;
      this.parts.push(piece);
      this.partsBytes += piece.length;
      rest = rest.subarray(piece.length);
      if (this.partsBytes === CHUNK_BYTES) this.flush();
    }
  }

  /** Ends the stream; returns the hex SHA-256 of everything pushed. */
  finish(): string {
    if (this.partsBytes > 0) this.flush();
    return this.knownSha256 ?? this.hash!.digest('hex');
  }

  /** Waits until at most `max` chunks are still compressing; finished ones become pending, in order. */
  async settle(max: number): Promise<void> {
    while (this.inflight.length > max) {
      const row = await this.inflight.shift()!;
      this.pending.push(row);
      this.pendingBytes += row.data.length;
    }
  }

  take(): ChunkRow[] {
    const out = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }

  private flush(): void {
    const raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsBytes);
    const seq = this.seq++;
    const row = compressChunkAsync(raw).then((data) => ({
      transcriptId: this.transcriptId,
      seq,
      rawSize: raw.length,
      data,
    }));
    row.catch(() => {}); // awaited in settle(); this only keeps an abandoned one from being "unhandled"
    this.inflight.push(row);
    this.parts = [];
    this.partsBytes = 0;
  }
}

export interface CloudWatchEventIn {
  timestamp: number;
  message: string;
  ingestionTime?: number | null;
}

/**
 * The transcript row for a CloudWatch stream (or an export of one). Identity and target come from
 * the agent's streaming JSON, so they are claims of the node, stored unverified.
 */
export function cloudWatchTranscript(
  transcriptId: string,
  location: string,
  sessionId: string,
  events: CloudWatchEventIn[],
): TranscriptRow {
  let format = 'cloudwatch_text';
  let claims: { target?: string; userArn?: string; runAsUser?: string; sessionId?: string } = {};
  for (const e of events) {
    const parsed = parseCloudWatchMessage(e.message);
    if (parsed.kind !== 'stream') continue;
    format = 'cloudwatch_stream';
    claims = parsed;
    if (parsed.target || parsed.userArn) break;
  }
  let first: number | null = null;
  let last: number | null = null;
  for (const e of events) {
    if (first == null || e.timestamp < first) first = e.timestamp;
    if (last == null || e.timestamp > last) last = e.timestamp;
  }
  return {
    transcriptId,
    sessionId,
    source: 'cloudwatch',
    location,
    etag: null,
    versionId: null,
    sha256: null,
    byteSize: 0,
    format,
    headerTime: null,
    lastModified: null,
    firstEventAt: first,
    lastEventAt: last,
    claimedTarget: claims.target ?? null,
    claimedPrincipalArn: claims.userArn ?? null,
    claimedRunAsUser: claims.runAsUser ?? null,
    claimedSessionId: claims.sessionId ?? null,
  };
}

/**
 * Event rows numbered from `firstSeq`, plus the events that look like the agent's JSON but do not
 * parse: they are stored anyway (they are evidence) and reported so the caller can quarantine-note them.
 */
export function cloudWatchEventRows(
  transcriptId: string,
  firstSeq: number,
  events: CloudWatchEventIn[],
): { rows: CwEventRow[]; invalid: Array<{ seq: number; reason: string }> } {
  const rows: CwEventRow[] = [];
  const invalid: Array<{ seq: number; reason: string }> = [];
  events.forEach((e, i) => {
    const seq = firstSeq + i;
    rows.push({
      transcriptId,
      seq,
      timestamp: e.timestamp,
      ingestionTime: e.ingestionTime ?? null,
      message: e.message,
    });
    const parsed = parseCloudWatchMessage(e.message);
    if (parsed.kind === 'invalid') invalid.push({ seq, reason: parsed.reason });
  });
  return { rows, invalid };
}
