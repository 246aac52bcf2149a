/**
 * S3 for tests: s3rver on 127.0.0.1 (OS-assigned port) over a temporary directory, plus a real S3Client
 * configured for it. s3rver checks SigV4 signatures, so the test credentials are registered with it.
 *
 * @example
 * const s3 = await startS3();
 * await s3.createBucket('audit');
 * await s3.put('audit', 'sessions/alice-0123.log', 'Script started on ...');
 * const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'audit' }));
 * await s3.close();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS, TEST_REGION } from './client-config.ts';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
interface S3rverObject {
  key: string;
}
interface S3rverListResult {
  objects: S3rverObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface S3rverListOptions {
  delimiter?: string;
  prefix?: string;
  startAfter?: string;
  maxKeys?: number;
}
interface S3rverStoreClass {
  prototype: { listObjects(bucket: string, options: S3rverListOptions): Promise<S3rverListResult> };
}
interface S3rverAccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

const require = createRequire(import.meta.url);
allowSingleDesForS3rver(require('node:crypto') as typeof import('node:crypto'));
// s3rver is CommonJS without type declarations; load it through require with the small typed surface we use.
const S3rver = require('s3rver') as S3rverConstructor;
const s3rverAccount = require('s3rver/lib/models/account.js') as S3rverAccountModule;
s3rverAccount.DUMMY_ACCOUNT.createKeyPair(TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey);
listInKeyOrder(require('s3rver/lib/stores/filesystem.js') as S3rverStoreClass);

/**
 * Two s3rver listing bugs that matter for CloudTrail layouts, fixed by listing everything under the prefix
 * and applying StartAfter, Delimiter and MaxKeys here in key order:
 * - it walks directories in file-system order and prunes by path, but `CloudTrail-Digest/` sorts before
 *   `CloudTrail/` as a key ('-' < '/'), so paginated listings silently drop objects;
 * - with a delimiter it prunes below the first delimiter before looking inside, so a common prefix only
 *   appears if an object sits directly under it.
 * Unlike S3, MaxKeys counts objects only (s3rver builds the continuation token from the page's last
 * object, so a page must end with an object). Reads metadata of every key under the prefix: test-sized.
 */
function listInKeyOrder(store: S3rverStoreClass): void {
  const original = store.prototype.listObjects;
  if ((original as { patchedByShelltrail?: boolean }).patchedByShelltrail) return;
  const patched = async function listObjects(this: unknown, bucket: string, options: S3rverListOptions) {
    const { delimiter = '', prefix = '', startAfter = '', maxKeys = Number.POSITIVE_INFINITY } = options;
    const all = await original.call(this, bucket, { prefix, maxKeys: Number.POSITIVE_INFINITY });
    const objects: S3rverObject[] = [];
    const commonPrefixes = new Set<string>();
    let isTruncated = false;
    const sorted = all.objects
      .filter((o) => o.key > startAfter)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const object of sorted) {
      if (objects.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      const rest = object.key.slice(prefix.length);
      const index = delimiter ? rest.indexOf(delimiter) : -1;
      if (index === -1) objects.push(object);
      else commonPrefixes.add(prefix + rest.slice(0, index + delimiter.length));
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  };
  Object.assign(patched, { patchedByShelltrail: true });
  store.prototype.listObjects = patched;
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node >= 17) only
 * offers through the legacy provider: every truncated listing then fails with a 500. Two-key triple DES
 * with both keys equal is the same cipher and is still available, so `des` is rerouted to it. Nothing
 * else uses single DES, and only s3rver reads these tokens back.
 */
function allowSingleDesForS3rver(crypto: typeof import('node:crypto')): void {
  const marker = Symbol.for('shelltrail.s3rver.des');
  const registry = crypto as unknown as Record<symbol, boolean>;
  if (registry[marker]) return;
  registry[marker] = true;
  const { createCipheriv, createDecipheriv } = crypto;
  const widen = (key: unknown) => Buffer.concat([key as Buffer, key as Buffer]);
  const patched = crypto as unknown as Record<string, unknown>;
  patched.createCipheriv = (algorithm: string, key: unknown, iv: unknown, options?: unknown) =>
    algorithm === 'des'
      ? createCipheriv('des-ede-cbc', widen(key), iv as Buffer)
      : Reflect.apply(createCipheriv, crypto, [algorithm, key, iv, options]);
  patched.createDecipheriv = (algorithm: string, key: unknown, iv: unknown, options?: unknown) =>
    algorithm === 'des'
      ? createDecipheriv('des-ede-cbc', widen(key), iv as Buffer)
      : Reflect.apply(createDecipheriv, crypto, [algorithm, key, iv, options]);
}

export interface S3FakeOptions {
  /** Buckets to create before returning. */
  buckets?: string[];
  /** Extra S3Client settings (e.g. `maxAttempts`). */
  clientConfig?: Partial<S3ClientConfig>;
}

export interface S3Fake {
  endpoint: string;
  /** s3rver's temporary storage directory (removed by close()). */
  directory: string;
  /** Real S3Client: forcePathStyle, dummy credentials, us-east-1. */
  client: S3Client;
  /** Config to build more clients: `new S3Client(s3.clientConfig)`. */
  clientConfig: S3ClientConfig;
  createBucket(name: string): Promise<void>;
  put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    metadata?: Record<string, string>,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(options: S3FakeOptions = {}): Promise<S3Fake> {
  const directory = await mkdtemp(join(tmpdir(), 'shelltrail-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: process.env.S3RVER_VERBOSE !== '1',
    directory,
    vhostBuckets: false,
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    region: TEST_REGION,
    credentials: { ...TEST_CREDENTIALS },
    forcePathStyle: true,
    // The SDK's default (WHEN_SUPPORTED) sends streamed bodies as aws-chunked with a CRC32 trailer, which
    // s3rver stores verbatim (chunk framing and trailer end up inside the object). Checksums only when
    // an operation requires them keeps uploads byte-exact.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...options.clientConfig,
  };
  const client = new S3Client(clientConfig);

  const fake: S3Fake = {
    endpoint,
    directory,
    client,
    clientConfig,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(bucket, key, body, metadata) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
  for (const bucket of options.buckets ?? []) await fake.createBucket(bucket);
  return fake;
}
