/**
 * A versioned S3 bucket for tests, speaking the real REST-XML protocol on 127.0.0.1 (s3rver has no
 * versioning): ListObjectVersions (paged by key-marker / version-id-marker), ListObjectsV2 (latest
 * versions only), GetObject with or without versionId, GetBucketVersioning. Path-style only; request
 * signatures are not checked. Objects are added and overwritten through `put`, which returns the new
 * version id, the way a versioned bucket keeps every overwrite.
 *
 * @example
 * const s3 = await startVersionedS3({ bucket: 'logs', maxKeys: 2 });
 * const v1 = s3.put('ssm/alice-0123.log', 'Script started ...');
 * await new S3Client(s3.clientConfig).send(new ListObjectVersionsCommand({ Bucket: 'logs' }));
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS, TEST_REGION } from './client-config.ts';

interface StoredVersion {
  key: string;
  versionId: string;
  body: Buffer;
  etag: string;
  lastModified: Date;
  deleteMarker: boolean;
}

export interface VersionedS3Options {
  bucket: string;
  /** Upper bound on entries per listing page (forces paging in tests); default 1000. */
  maxKeys?: number;
}

export interface VersionedS3Fake {
  endpoint: string;
  clientConfig: S3ClientConfig;
  client: S3Client;
  /** Stores a new version of `key` and returns its version id. */
  put(key: string, body: string | Uint8Array): string;
  /** Adds a delete marker as the latest version of `key`. */
  remove(key: string): string;
  /** Every request: the operation (from the query) and its query parameters. */
  calls: Array<{ operation: string; query: Record<string, string> }>;
  close(): Promise<void>;
}

export async function startVersionedS3(options: VersionedS3Options): Promise<VersionedS3Fake> {
  const pageCap = options.maxKeys ?? 1000;
  /** key -> versions, newest first (the order ListObjectVersions returns them in). */
  const objects = new Map<string, StoredVersion[]>();
  const calls: VersionedS3Fake['calls'] = [];
  let clock = Date.parse('2025-09-29T00:00:00Z');

  function addVersion(key: string, body: Buffer, deleteMarker: boolean): string {
    const versionId = randomBytes(24).toString('base64url');
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    clock += 1000;
    const version = { key, versionId, body, etag, lastModified: new Date(clock), deleteMarker };
    objects.set(key, [version, ...(objects.get(key) ?? [])]);
    return versionId;
  }

  /** Every version in listing order: keys ascending, then newest first. */
  function allVersions(prefix: string): StoredVersion[] {
    return [...objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .flatMap((k) => objects.get(k)!);
  }

  function listVersions(q: Record<string, string>): string {
    const prefix = q.prefix ?? '';
    const keyMarker = q['key-marker'] ?? '';
    const versionMarker = q['version-id-marker'] ?? '';
    const maxKeys = Math.min(pageCap, Number(q['max-keys'] ?? 1000));
    let all = allVersions(prefix);
    if (keyMarker && versionMarker) {
      const at = all.findIndex((v) => v.key === keyMarker && v.versionId === versionMarker);
      all = at === -1 ? all.filter((v) => v.key > keyMarker) : all.slice(at + 1);
    } else if (keyMarker) all = all.filter((v) => v.key > keyMarker);
    const page = all.slice(0, maxKeys);
    const truncated = all.length > page.length;
    const last = page.at(-1);
    const entries = page.map((v) => {
      const latest = objects.get(v.key)![0] === v;
      const common = `<Key>${xml(v.key)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified>`;
      return v.deleteMarker
        ? `<DeleteMarker>${common}</DeleteMarker>`
        : `<Version>${common}<ETag>${xml(v.etag)}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`;
    });
    return document(
      'ListVersionsResult',
      `<Name>${xml(options.bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyMarker>${xml(keyMarker)}</KeyMarker>` +
        `<VersionIdMarker>${xml(versionMarker)}</VersionIdMarker><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
        (truncated && last
          ? `<NextKeyMarker>${xml(last.key)}</NextKeyMarker><NextVersionIdMarker>${last.versionId}</NextVersionIdMarker>`
          : '') +
        entries.join(''),
    );
  }

  function listLatest(q: Record<string, string>): string {
    const prefix = q.prefix ?? '';
    const after = q['continuation-token'] ?? q['start-after'] ?? '';
    const maxKeys = Math.min(pageCap, Number(q['max-keys'] ?? 1000));
    const latest = [...objects.keys()]
      .filter((k) => k.startsWith(prefix) && k > after && !objects.get(k)![0]!.deleteMarker)
      .sort()
      .map((k) => objects.get(k)![0]!);
    const page = latest.slice(0, maxKeys);
    const truncated = latest.length > page.length;
    const contents = page.map(
      (v) =>
        `<Contents><Key>${xml(v.key)}</Key><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${xml(v.etag)}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
    return document(
      'ListBucketResult',
      `<Name>${xml(options.bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
        `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
        (truncated ? `<NextContinuationToken>${xml(page.at(-1)!.key)}</NextContinuationToken>` : '') +
        contents.join(''),
    );
  }

  function getObject(res: ServerResponse, key: string, versionId: string | undefined): void {
    const versions = objects.get(key) ?? [];
    const v = versionId === undefined ? versions[0] : versions.find((x) => x.versionId === versionId);
    if (!v || (versionId === undefined && v.deleteMarker)) {
      error(res, 404, versionId === undefined ? 'NoSuchKey' : 'NoSuchVersion');
      return;
    }
    if (v.deleteMarker) {
      error(res, 405, 'MethodNotAllowed');
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': v.body.length,
      etag: v.etag,
      'last-modified': v.lastModified.toUTCString(),
      'x-amz-version-id': v.versionId,
    });
    res.end(v.body);
  }

  const server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const operation =
      req.method !== 'GET'
        ? 'Unsupported'
        : key
          ? 'GetObject'
          : 'versions' in query
            ? 'ListObjectVersions'
            : 'versioning' in query
              ? 'GetBucketVersioning'
              : query['list-type'] === '2'
                ? 'ListObjectsV2'
                : 'Unsupported';
    calls.push({ operation, query });
    if (decodeURIComponent(bucket) !== options.bucket) {
      error(res, 404, 'NoSuchBucket');
      return;
    }
    if (operation === 'GetObject') {
      getObject(res, key, query.versionId);
      return;
    }
    const body =
      operation === 'ListObjectVersions'
        ? listVersions(query)
        : operation === 'ListObjectsV2'
          ? listLatest(query)
          : operation === 'GetBucketVersioning'
            ? document('VersioningConfiguration', '<Status>Enabled</Status>')
            : undefined;
    if (body === undefined) {
      error(res, 501, 'NotImplemented');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    region: TEST_REGION,
    credentials: { ...TEST_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  const client = new S3Client(clientConfig);
  return {
    endpoint,
    clientConfig,
    client,
    put: (key, body) => addVersion(key, Buffer.from(body), false),
    remove: (key) => addVersion(key, Buffer.alloc(0), true),
    calls,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function xml(text: string): string {
  const named: Record<string, string> = {
    '<': '&lt;',
    '>': '&gt;',
    '&': '&amp;',
    '"': '&quot;',
    "'": '&apos;',
  };
  return text.replace(/[<>&"']/g, (c) => named[c]!);
}

function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</${root}>`;
}

function error(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
}
