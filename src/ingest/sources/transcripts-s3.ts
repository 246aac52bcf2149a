/**
 * Session logs the SSM agent uploads to S3 (`<prefix>/<sessionId>.log`, also under nested prefixes).
 * Session ids do not sort by time, so every poll walks the whole prefix; the ledger (key + version)
 * makes that cheap, since an object version already stored is never read again. The checkpoint
 * records how far the current walk got, so a killed worker resumes mid-listing instead of restarting.
 * Objects are streamed into <= 1 MiB compressed chunks: memory stays bounded for any object size.
 *
 * On a versioned bucket (`versioned: true`) the walk lists every version (ListObjectVersions) and
 * reads each by its VersionId, so a log overwritten twice between two polls still leaves all three
 * versions in the store and the projection flags the change (`object_changed`). Otherwise only the
 * current version of each key is seen, identified by its ETag.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { TranscriptsS3Config } from '../../config.ts';
import { BadInputError, LeaseLostError } from '../../errors.ts';
import { createS3Client } from '../aws/clients.ts';
import { withRetry } from '../aws/retry.ts';
import { buildTranscriptEvidence, sessionIdFromKey } from '../normalize/transcript-evidence.ts';
import type { Source, SourceContext } from '../source.ts';

interface S3Checkpoint {
  /** Last key handled in the walk in progress; null when the last walk finished. */
  after: string | null;
}

/** The body and identity of one object version, as S3 returned it. */
export interface S3ObjectRead {
  body: AsyncIterable<Uint8Array>;
  versionId: string | null;
  etag: string;
  lastModified: number | null;
}

/** One object version found by the walk. */
export interface ListedObject {
  key: string;
  /** ETag without quotes. */
  etag: string;
  /** S3's version id (`null` for objects written before versioning was enabled); absent when unversioned. */
  versionId?: string;
  /** Ledger version: the VersionId when the bucket gives one, else the ETag. */
  version: string;
  lastModified: Date | undefined;
  /** Where a restarted walk may resume: every version of every key up to here is handled. */
  resumeAfter: string | null;
}

type TranscriptsS3SourceConfig = Omit<TranscriptsS3Config, 'versioned'> & { versioned?: boolean };

export interface TranscriptsS3Options {
  /** A ready client (tests); default built from the config. */
  client?: S3Client;
}

export function transcriptsS3SourceId(config: Pick<TranscriptsS3Config, 'bucket' | 'prefix'>): string {
  return `transcripts-s3:${config.bucket}/${config.prefix}`;
}

/** @example createTranscriptsS3Source({ bucket: 'ssm-logs', prefix: 'sessions/', forcePathStyle: false, versioned: true }) */
export function createTranscriptsS3Source(
  config: TranscriptsS3SourceConfig,
  options: TranscriptsS3Options = {},
): Source {
  const client = options.client ?? createS3Client(config, { maxAttempts: 1 });
  const id = transcriptsS3SourceId(config);
  const walk = config.versioned ? listVersions : listCurrent;
  return {
    id,
    async poll(ctx) {
      const after = (await ctx.checkpoint.read<S3Checkpoint>())?.after ?? null;
      for await (const page of walk(client, config, after, ctx.signal)) {
        const fresh: ListedObject[] = [];
        for (const o of page) if (!(await ctx.ledger.has(o.key, o.version))) fresh.push(o);
        ctx.counters.itemsTotal += fresh.length;
        for (const object of fresh) {
          if (ctx.signal.aborted) return;
          await importObject(ctx, config, object, () =>
            readObject(client, config.bucket, object, ctx.signal),
          );
        }
      }
      if (ctx.signal.aborted) return;
      await ctx.write({ checkpoint: { after: null } satisfies S3Checkpoint });
    },
  };
}

/** Session logs end in `.log`; folder markers and other files in the bucket are not ours. */
function isCandidate(key: string | undefined, etag: string | undefined): key is string {
  return Boolean(key?.endsWith('.log') && etag);
}

/** The current version of every key after `after` (ListObjectsV2), page by page. */
async function* listCurrent(
  client: S3Client,
  config: TranscriptsS3SourceConfig,
  after: string | null,
  signal: AbortSignal,
): AsyncGenerator<ListedObject[]> {
  let token: string | undefined;
  do {
    if (signal.aborted) return;
    const page: ListObjectsV2CommandOutput = await withRetry(
      () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: config.bucket,
            Prefix: config.prefix || undefined,
            ContinuationToken: token,
            StartAfter: token ? undefined : (after ?? undefined),
          }),
          { abortSignal: signal },
        ),
      { signal },
    );
    yield (page.Contents ?? [])
      .filter((o) => isCandidate(o.Key, o.ETag))
      .map((o) => {
        const etag = stripQuotes(o.ETag!);
        return { key: o.Key!, etag, version: etag, lastModified: o.LastModified, resumeAfter: o.Key! };
      });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * Every version of every key after `after` (ListObjectVersions: keys in order, newest version
 * first), page by page. Delete markers have no content and are passed over. A key's versions may
 * span pages, so a restart resumes after the last key seen in full, never in the middle of one.
 * Versions written before versioning was enabled have the version id `null`: the ledger then
 * knows them by ETag, and they are read with `VersionId=null`, which S3 accepts.
 */
async function* listVersions(
  client: S3Client,
  config: TranscriptsS3SourceConfig,
  after: string | null,
  signal: AbortSignal,
): AsyncGenerator<ListedObject[]> {
  let keyMarker = after ?? undefined;
  let versionIdMarker: string | undefined;
  let lastComplete = after;
  let current: string | null = null;
  for (;;) {
    if (signal.aborted) return;
    const input = {
      Bucket: config.bucket,
      Prefix: config.prefix || undefined,
      KeyMarker: keyMarker,
      VersionIdMarker: versionIdMarker,
    };
    const page: ListObjectVersionsCommandOutput = await withRetry(
      () => client.send(new ListObjectVersionsCommand(input), { abortSignal: signal }),
      { signal },
    );
    const listed: ListedObject[] = [];
    // Versions come in listing order (key, then newest first); delete markers, listed apart, hold no content.
    for (const v of page.Versions ?? []) {
      if (!v.Key) continue;
      if (current !== null && v.Key !== current) lastComplete = current;
      current = v.Key;
      if (!isCandidate(v.Key, v.ETag)) continue;
      const etag = stripQuotes(v.ETag!);
      const real = v.VersionId && v.VersionId !== 'null';
      listed.push({
        key: v.Key,
        etag,
        versionId: v.VersionId ?? 'null',
        version: real ? v.VersionId! : etag,
        lastModified: v.LastModified,
        resumeAfter: lastComplete,
      });
    }
    yield listed;
    if (!page.IsTruncated || !page.NextKeyMarker) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

async function readObject(
  client: S3Client,
  bucket: string,
  object: ListedObject,
  signal: AbortSignal,
): Promise<S3ObjectRead> {
  // A VersionId names an immutable version. Without one, IfMatch pins the version we listed: if it
  // was overwritten since, the next walk sees the new one.
  const out = await client.send(
    new GetObjectCommand(
      object.versionId !== undefined
        ? { Bucket: bucket, Key: object.key, VersionId: object.versionId }
        : { Bucket: bucket, Key: object.key, IfMatch: `"${object.etag}"` },
    ),
    { abortSignal: signal },
  );
  if (!out.Body) throw new BadInputError('no_body', `s3://${bucket}/${object.key}: no body`);
  return {
    body: out.Body as AsyncIterable<Uint8Array>,
    versionId: out.VersionId && out.VersionId !== 'null' ? out.VersionId : null,
    etag: stripQuotes(out.ETag ?? object.etag),
    lastModified: (out.LastModified ?? object.lastModified)?.getTime() ?? null,
  };
}

/**
 * Reads one object version and commits it (spilled chunks first, then the transcript row with the
 * rest, its ledger entry and the walk position). Bad content is quarantined; transport errors are
 * retried and, if they persist, left for the next poll.
 */
export async function importObject(
  ctx: SourceContext,
  config: Pick<TranscriptsS3Config, 'bucket'>,
  object: ListedObject,
  read: () => Promise<S3ObjectRead>,
): Promise<void> {
  const { key, version } = object;
  const checkpoint: S3Checkpoint = { after: object.resumeAfter };
  ctx.counters.itemsRead++;
  try {
    const evidence = await withRetry(
      async () => {
        const got = await read();
        return buildTranscriptEvidence(
          got.body,
          {
            transcriptId: `s3://${config.bucket}/${key}#${got.versionId ?? got.etag}`,
            location: `${config.bucket}/${key}`,
            etag: got.etag,
            versionId: got.versionId,
            lastModified: got.lastModified,
            sessionIdFromName: sessionIdFromKey(key),
          },
          (chunks) => ctx.write({ transcriptChunks: chunks }),
        );
      },
      { signal: ctx.signal },
    );
    await ctx.write({
      transcripts: [evidence.transcript],
      transcriptChunks: evidence.chunks,
      ledger: [{ itemKey: key, version, outcome: 'done', records: 1 }],
      checkpoint,
    });
  } catch (err) {
    if (err instanceof LeaseLostError) throw err;
    if (err instanceof BadInputError) {
      await ctx.write({
        quarantine: [{ itemKey: key, reason: err.reason, detail: err.message }],
        ledger: [{ itemKey: key, version, outcome: 'quarantined', records: 0 }],
        checkpoint,
      });
      return;
    }
    if (ctx.signal.aborted) throw err;
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 412 || status === 404) {
      ctx.log(`s3://${config.bucket}/${key}: changed or deleted while listing; it is read on the next poll`);
      return;
    }
    ctx.log(
      `s3://${config.bucket}/${key}: could not read (${(err as Error).name}); retried on the next poll`,
    );
  }
}

function stripQuotes(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}
