import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type S3Fake, startS3 } from './s3.ts';

let s3: S3Fake | undefined;
afterEach(async () => {
  await s3?.close();
  s3 = undefined;
});

const BUCKET = 'audit-trail';

describe('s3rver helper with the current S3 SDK', () => {
  it('lists with Prefix, Delimiter, StartAfter and continuation tokens', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    const keys = [
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/a.json.gz',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/b.json.gz',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/c.json.gz',
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/d.json.gz',
      'sessions/alice-0123.log',
    ];
    for (const key of keys) await s3.put(BUCKET, key, key);
    const client = s3.client;

    const top = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/111122223333/', Delimiter: '/' }),
    );
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual([
      'AWSLogs/111122223333/CloudTrail-Digest/',
      'AWSLogs/111122223333/CloudTrail/',
    ]);
    const after = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'AWSLogs/111122223333/CloudTrail/',
        StartAfter: keys[0],
      }),
    );
    expect(after.Contents?.map((o) => o.Key)).toEqual([keys[1], keys[2]]);

    // Truncated listings need s3rver's DES continuation tokens (patched for OpenSSL 3 in s3.ts).
    const listed: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2, ContinuationToken: token }),
      );
      listed.push(...(out.Contents ?? []).map((o) => o.Key!));
      token = out.NextContinuationToken;
      if (!out.IsTruncated) break;
    }
    expect(listed).toEqual([...keys].sort());
  });

  it('groups common prefixes at any depth and pages through them (s3rver listing patched in s3.ts)', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    for (const key of ['p/a', 'p/b/1', 'p/c', 'p/d/x/y', 'p/e']) await s3.put(BUCKET, key, 'v');
    const keys: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: BUCKET,
          Prefix: 'p/',
          Delimiter: '/',
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      keys.push(...(out.Contents ?? []).map((o) => o.Key!));
      prefixes.push(...(out.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = out.NextContinuationToken;
      if (!out.IsTruncated) break;
    }
    expect(keys).toEqual(['p/a', 'p/c', 'p/e']);
    expect(prefixes).toEqual(['p/b/', 'p/d/']);
  });

  it('round-trips bytes exactly through GetObject streaming, with ETag and metadata', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    const body = new Uint8Array([
      0x1b, 0x5b, 0x3f, 0x32, 0x30, 0x30, 0x34, 0x68, 0x0d, 0x0d, 0x0a, 0xff, 0x00,
    ]);
    await s3.put(BUCKET, 'sessions/x.log', body, { signature: 'c2lnbmF0dXJl' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sessions/x.log' }));
    expect(head.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata).toEqual({ signature: 'c2lnbmF0dXJl' });
    const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sessions/x.log' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(Buffer.from(body));
    await expect(
      s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('stores streamed uploads without aws-chunked framing (checksums WHEN_REQUIRED)', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    await s3.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'streamed.log',
        Body: Readable.from([Buffer.from('abc'), Buffer.from('def')]),
        ContentLength: 6,
      }),
    );
    const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.log' }));
    expect(await got.Body!.transformToString()).toBe('abcdef');
  });

  it('does not support object versions (s3rver 3.7 answers MethodNotAllowed)', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    await expect(s3.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'MethodNotAllowed',
    });
  });

  it('removes its temporary directory on close', async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    const directory = s3.directory;
    expect(directory).toBeTypeOf('string');
    await s3.close();
    s3 = undefined;
    await expect(access(directory!)).rejects.toThrow();
  });
});
