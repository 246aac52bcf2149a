/**
 * CloudTrail trail buckets in S3, including organization trails (`AWSLogs/o-.../<account>/...`).
 * Incremental: accounts and regions are discovered with delimiter listings, then only the date
 * prefixes from the checkpoint's day (minus a lookback, for late deliveries) to today are listed.
 * Each object is read once per ETag (ledger), streamed, gunzipped, parsed and written as one batch.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { CloudtrailS3Config } from '../../config.ts';
import { BadInputError } from '../../errors.ts';
import { createS3Client } from '../aws/clients.ts';
import { describeError, isRetryable, withRetry } from '../aws/retry.ts';
import { type Batcher, createBatcher } from '../batcher.ts';
import { parseCloudTrailDocument } from '../normalize/cloudtrail-document.ts';
import { decodeObject, readBounded } from '../normalize/decode.ts';
import type { Source, SourceContext } from '../source.ts';

export interface TrailCheckpoint {
  /** Trail prefix (`AWSLogs/[o-x/]<acct>/CloudTrail/<region>/`) -> last day listed (YYYY-MM-DD). */
  days: Record<string, string>;
}

export interface CloudtrailS3Options {
  /** A ready client (tests); default built from the config. */
  client?: S3Client;
  now?: () => number;
  /** Objects fetched ahead of the one being written. */
  prefetch?: number;
}

const DAY_MS = 86_400_000;
const FIRST_POLL_DAYS = 90;
const LOG_NAME = /_CloudTrail_[^/]*\.json(\.gz)?$/;

/** @example createCloudtrailS3Source({ bucket: 'org-trail', prefix: '', lookbackDays: 2, forcePathStyle: false }) */
export function createCloudtrailS3Source(
  config: CloudtrailS3Config,
  options: CloudtrailS3Options = {},
): Source {
  const client = options.client ?? createS3Client(config, { maxAttempts: 1 });
  const now = options.now ?? Date.now;
  const prefix = config.prefix && !config.prefix.endsWith('/') ? `${config.prefix}/` : config.prefix;
  const id = `cloudtrail-s3:${config.bucket}/${prefix}`;

  async function listAll(
    params: { Prefix: string; Delimiter?: string },
    signal: AbortSignal,
  ): Promise<{ keys: { key: string; etag: string }[]; prefixes: string[] }> {
    const keys: { key: string; etag: string }[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const input = { Bucket: config.bucket, ...params, ContinuationToken: token };
      const page = await withRetry(
        () => client.send(new ListObjectsV2Command(input), { abortSignal: signal }),
        { signal },
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) keys.push({ key: o.Key, etag: (o.ETag ?? '').replace(/"/g, '') || 'none' });
      }
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && !signal.aborted);
    return { keys, prefixes };
  }

  /** Every `.../<acct>/CloudTrail/<region>/` prefix this source reads. */
  async function discoverTrails(signal: AbortSignal): Promise<string[]> {
    const base = `${prefix}AWSLogs/`;
    const accountPrefixes: string[] = [];
    for (const p of (await listAll({ Prefix: base, Delimiter: '/' }, signal)).prefixes) {
      const name = p.slice(base.length, -1);
      if (/^\d{12}$/.test(name)) accountPrefixes.push(p);
      else if (/^o-[a-z0-9]{10,32}$/.test(name)) {
        for (const q of (await listAll({ Prefix: p, Delimiter: '/' }, signal)).prefixes) {
          if (/^\d{12}$/.test(q.slice(p.length, -1))) accountPrefixes.push(q);
        }
      }
    }
    const trails: string[] = [];
    for (const a of accountPrefixes) {
      const account = a.split('/').at(-2)!;
      if (config.accounts && !config.accounts.includes(account)) continue;
      const regions =
        config.regions ??
        (await listAll({ Prefix: `${a}CloudTrail/`, Delimiter: '/' }, signal)).prefixes.map(
          (r) => r.split('/').at(-2)!,
        );
      for (const region of regions) trails.push(`${a}CloudTrail/${region}/`);
    }
    return trails.sort();
  }

  async function fetchObject(key: string, signal: AbortSignal): Promise<Buffer | BadInputError | null> {
    try {
      // Retry the read as a whole: a connection reset mid-body is as retryable as a 503.
      const bytes = await withRetry(
        async () => {
          const res = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }), {
            abortSignal: signal,
          });
          return res.Body ? readBounded(res.Body as AsyncIterable<Uint8Array>, key) : Buffer.alloc(0);
        },
        { signal },
      );
      return await decodeObject(bytes, key);
    } catch (err) {
      if (err instanceof BadInputError) return err;
      if ((err as { name?: string }).name === 'NoSuchKey') return null; // deleted since listing
      throw err;
    }
  }

  /** Reads one day; false when an object could not be read (it stays for the next poll). */
  async function readDay(ctx: SourceContext, batcher: Batcher, dayPrefix: string): Promise<boolean> {
    const dayObjects: { key: string; etag: string }[] = [];
    for (const o of (await listAll({ Prefix: dayPrefix }, ctx.signal)).keys) {
      if (!LOG_NAME.test(o.key) || o.key.includes('CloudTrail-Digest/')) continue;
      if (!(await ctx.ledger.has(o.key, o.etag))) dayObjects.push(o);
    }
    dayObjects.sort((a, b) => (a.key < b.key ? -1 : 1));
    ctx.counters.itemsTotal += dayObjects.length;
    const window = Math.max(1, options.prefetch ?? 4);
    const pending = dayObjects.slice(0, window).map((o) => fetchSafely(o.key));
    let complete = true;
    for (let i = 0; i < dayObjects.length; i++) {
      if (ctx.signal.aborted) return false;
      const object = dayObjects[i]!;
      const fetched = await pending[i]!;
      if (i + window < dayObjects.length) pending.push(fetchSafely(dayObjects[i + window]!.key));
      ctx.counters.itemsRead++;
      if (fetched === null) continue;
      if (fetched instanceof Error && !(fetched instanceof BadInputError)) {
        if (isRetryable(fetched)) throw fetched;
        ctx.log(
          `cannot read s3://${config.bucket}/${object.key}: ${describeError(fetched)}; will retry next poll`,
        );
        complete = false;
        continue;
      }
      await writeObject(ctx, batcher, object.key, object.etag, fetched as Buffer | BadInputError);
    }
    return complete;

    function fetchSafely(key: string): Promise<Buffer | Error | null> {
      return fetchObject(key, ctx.signal).catch((err: Error) => err);
    }
  }

  async function writeObject(
    ctx: SourceContext,
    batcher: Batcher,
    key: string,
    etag: string,
    content: Buffer | BadInputError,
  ): Promise<void> {
    const quarantine = (err: BadInputError) =>
      batcher.add({
        quarantine: [{ itemKey: key, reason: err.reason, detail: err.message }],
        ledger: [{ itemKey: key, version: etag, outcome: 'quarantined', records: 0 }],
      });
    if (content instanceof BadInputError) return quarantine(content);
    let doc: ReturnType<typeof parseCloudTrailDocument>;
    try {
      doc = parseCloudTrailDocument(content.toString('utf8'), key, `s3://${config.bucket}/${key}`);
    } catch (err) {
      if (!(err instanceof BadInputError)) throw err;
      return quarantine(err);
    }
    ctx.counters.recordsSeen += doc.records;
    await batcher.add({
      ctEvents: doc.ctEvents,
      quarantine: doc.quarantine,
      ledger: [{ itemKey: key, version: etag, outcome: 'done', records: doc.records }],
    });
  }

  return {
    id,
    async poll(ctx) {
      const checkpoint = (await ctx.checkpoint.read<TrailCheckpoint>()) ?? { days: {} };
      const today = dayOf(now());
      const firstDay = config.startDate ?? dayOf(now() - FIRST_POLL_DAYS * DAY_MS);
      const batcher = createBatcher(ctx);
      try {
        for (const trail of await discoverTrails(ctx.signal)) {
          const last = checkpoint.days[trail];
          let day = last ? dayOf(Date.parse(last) - config.lookbackDays * DAY_MS) : firstDay;
          // Once a day left an object unread, the checkpoint stays before it: the next poll lists
          // that day again (however far the lookback has moved) and the ledger skips the rest.
          let clean = true;
          while (day <= today && !ctx.signal.aborted) {
            clean = (await readDay(ctx, batcher, `${trail}${day.replaceAll('-', '/')}/`)) && clean;
            if (ctx.signal.aborted) return;
            if (clean && (!checkpoint.days[trail] || day > checkpoint.days[trail])) {
              // Rides with (or after) the day's last objects: the checkpoint never gets ahead of them.
              checkpoint.days[trail] = day;
              await batcher.add({ checkpoint: structuredClone(checkpoint) });
            }
            day = dayOf(Date.parse(day) + DAY_MS);
          }
        }
      } finally {
        await batcher.flush();
      }
    },
  };
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
