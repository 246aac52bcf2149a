/**
 * Session logs the SSM agent uploads to S3 (`<prefix>/<sessionId>.log`, also under nested prefixes).
 * Session ids do not sort by time, so every poll walks the whole prefix; the ledger (key + ETag)
 * makes that cheap, since an object version already stored is never read again. The checkpoint
 * records how far the current walk got, so a killed worker resumes mid-listing instead of restarting.
 * Objects are streamed into <= 1 MiB compressed chunks: memory stays bounded for any object size.
 */
import { type _Object, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TranscriptsS3Config } from '../../config.ts';
import { BadInputError } from '../../errors.ts';
import { isInLedger, readCheckpoint } from '../../store/evidence.ts';
import { awsClientConfig } from '../aws.ts';
import { withRetry } from '../retry.ts';
import type { Source, SourceContext } from '../source.ts';
import { buildTranscriptEvidence, sessionIdFromKey } from '../transcript-evidence.ts';

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

export function transcriptsS3SourceId(config: Pick<TranscriptsS3Config, 'bucket' | 'prefix'>): string {
  return `transcripts-s3:${config.bucket}/${config.prefix}`;
}

export function createTranscriptsS3Source(
  config: TranscriptsS3Config,
  client = new S3Client({ ...awsClientConfig(config), forcePathStyle: config.forcePathStyle }),
): Source {
  const id = transcriptsS3SourceId(config);
  return {
    id,
    async poll(ctx) {
      let after = readCheckpoint<S3Checkpoint>(ctx.store, id)?.after ?? null;
      let token: string | undefined;
      do {
        if (ctx.signal.aborted) return;
        const page = await withRetry(
          () =>
            client.send(
              new ListObjectsV2Command({
                Bucket: config.bucket,
                Prefix: config.prefix || undefined,
                ContinuationToken: token,
                StartAfter: token ? undefined : (after ?? undefined),
              }),
              { abortSignal: ctx.signal },
            ),
          { signal: ctx.signal },
        );
        const fresh = (page.Contents ?? []).filter((o) => isCandidate(o) && !seen(ctx, id, o));
        ctx.counters.itemsTotal += fresh.length;
        for (const object of fresh) {
          if (ctx.signal.aborted) return;
          await importObject(ctx, config, object, () =>
            readObject(client, config.bucket, object, ctx.signal),
          );
          after = object.Key!;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      ctx.write({ checkpoint: { after: null } satisfies S3Checkpoint });
    },
  };
}

/** Session logs end in `.log`; folder markers and other files in the bucket are not ours. */
function isCandidate(o: _Object): boolean {
  return Boolean(o.Key?.endsWith('.log') && o.ETag);
}

function seen(ctx: SourceContext, sourceId: string, o: _Object): boolean {
  return isInLedger(ctx.store, sourceId, o.Key!, stripQuotes(o.ETag!));
}

async function readObject(
  client: S3Client,
  bucket: string,
  object: _Object,
  signal: AbortSignal,
): Promise<S3ObjectRead> {
  // IfMatch pins the version we listed: if it was overwritten since, the next walk sees the new one.
  const out = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: object.Key!, IfMatch: object.ETag }),
    {
      abortSignal: signal,
    },
  );
  if (!out.Body) throw new BadInputError('no_body', `s3://${bucket}/${object.Key}: no body`);
  return {
    body: out.Body as AsyncIterable<Uint8Array>,
    versionId: out.VersionId && out.VersionId !== 'null' ? out.VersionId : null,
    etag: stripQuotes(out.ETag ?? object.ETag!),
    lastModified: (out.LastModified ?? object.LastModified)?.getTime() ?? null,
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
  object: _Object,
  read: () => Promise<S3ObjectRead>,
): Promise<void> {
  const key = object.Key!;
  const etag = stripQuotes(object.ETag!);
  const checkpoint: S3Checkpoint = { after: key };
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
    ctx.write({
      transcripts: [evidence.transcript],
      transcriptChunks: evidence.chunks,
      ledger: [{ itemKey: key, version: etag, outcome: 'done', records: 1 }],
      checkpoint,
    });
  } catch (err) {
    if (err instanceof BadInputError) {
      ctx.write({
        quarantine: [{ itemKey: key, reason: err.reason, detail: err.message }],
        ledger: [{ itemKey: key, version: etag, outcome: 'quarantined', records: 0 }],
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
