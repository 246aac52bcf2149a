import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CloudTrailFake,
  type SsmFake,
  startCloudTrailFake,
  startSsmFake,
  TEST_CREDENTIALS,
} from '../fakes/index.ts';
import { type S3Fake, startS3 } from '../fakes/s3.ts';
import { startSession, trailFile } from '../ingest/records.ts';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

const BIN = resolve(import.meta.dirname, '../../bin/shelltrail.js');
const FIXTURE = resolve(import.meta.dirname, '../fixtures/sessions/sudo-su-root/carol-47b8ba9585124c2c0.log');

let s3: S3Fake;
let trail: CloudTrailFake;
let ssm: SsmFake;
let work: ReturnType<typeof tempDir>;
const savedEnv = { ...process.env };
const hourAgo = Date.now() - 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  // The SDK's default credential chain reads these, as it would on an operator's machine.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  work = tempDir();
  s3 = await startS3({ buckets: ['trail'] });
  const day = new Date(hourAgo).toISOString().slice(0, 10).replaceAll('-', '/');
  await s3.put(
    'trail',
    `AWSLogs/111122223333/CloudTrail/us-east-1/${day}/111122223333_CloudTrail_us-east-1_x_abcd.json.gz`,
    gzipSync(trailFile([startSession({ sessionId: 'from-s3-0000000000000001', time: iso(hourAgo) })])),
  );
  trail = await startCloudTrailFake({
    records: [startSession({ sessionId: 'from-lookup-000000000001', time: iso(hourAgo) })],
  });
  ssm = await startSsmFake({
    sessions: [
      {
        SessionId: 'from-s3-0000000000000001',
        Target: 'i-1',
        Status: 'Terminated',
        StartDate: hourAgo,
        EndDate: hourAgo + 600_000,
        Owner: 'arn:aws:iam::111122223333:user/alice',
      },
    ],
  });
  const startDate = new Date(hourAgo - 86_400_000).toISOString().slice(0, 10);
  writeFileSync(
    join(work.path, 'shelltrail.yaml'),
    [
      `db: ${join(work.path, 'st.db')}`,
      'sources:',
      '  cloudtrailS3:',
      `    - { bucket: trail, region: us-east-1, endpoint: "${s3.endpoint}", forcePathStyle: true, startDate: "${startDate}" }`,
      `    - { bucket: missing-bucket, region: us-east-1, endpoint: "${s3.endpoint}", forcePathStyle: true, startDate: "${startDate}" }`,
      '  cloudtrailLookup:',
      `    - { region: us-east-1, endpoint: "${trail.url}" }`,
      '  describeSessions:',
      `    - { region: us-east-1, endpoint: "${ssm.url}" }`,
    ].join('\n'),
  );
}, 30_000);
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([s3?.close(), trail?.close(), ssm?.close()]);
  work?.remove();
});

/** Every line `ingest` writes to stderr off a terminal is one JSON object (pino), or this throws. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('shelltrail ingest --once', () => {
  it('runs every configured source; a failing one is reported and the others still land', async () => {
    const config = join(work.path, 'shelltrail.yaml');
    const r = await runCli(['ingest', '--once', '--config', config]);
    expect(r.code).toBe(1);
    expect(logLines(r.stderr)).toContainEqual(
      expect.objectContaining({
        msg: 'source failed',
        source: 'cloudtrail-s3:missing-bucket/',
        error: expect.stringMatching(/^NoSuchBucket/),
      }),
    );
    const sessions = await runCli(['sessions', '--json', '--config', config]);
    const rows = JSON.parse(sessions.stdout.toString()) as { sessionId: string; endSource: string | null }[];
    expect(rows.map((s) => s.sessionId).sort()).toEqual([
      'from-lookup-000000000001',
      'from-s3-0000000000000001',
    ]);
    expect(rows.find((s) => s.sessionId === 'from-s3-0000000000000001')!.endSource).toBe('describe');
    expect(r.stdout.toString()).toMatch(/sessions: +2 created/);
  }, 30_000);

  it('says so when nothing is configured', async () => {
    const empty = join(work.path, 'empty.yaml');
    writeFileSync(empty, `db: ${join(work.path, 'other.db')}\n`);
    const r = await runCli(['ingest', '--once', '--config', empty]);
    expect(r.code).toBe(2);
    expect(logLines(r.stderr)).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/no sources configured/) }),
    ]);
  });
});

describe('shelltrail ingest (polling)', () => {
  it('logs one JSON line per poll with its counts, and never command text', async () => {
    const logs = join(work.path, 'logs');
    mkdirSync(logs, { recursive: true });
    copyFileSync(FIXTURE, join(logs, 'carol-47b8ba9585124c2c0.log'));
    const config = join(work.path, 'polling.yaml');
    writeFileSync(
      config,
      [`db: ${join(work.path, 'polling.db')}`, 'sources:', `  localDirs: [${JSON.stringify(logs)}]`].join(
        '\n',
      ),
    );
    const child = spawn(process.execPath, [BIN, 'ingest', '--interval', '0.2', '--config', config], {
      env: { ...process.env, SHELLTRAIL_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if ((stderr.match(/"msg":"poll"/g) ?? []).length >= 2) resolve();
      });
      child.on('exit', () => reject(new Error(`ingest exited: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = logLines(stderr);
    const polls = lines.filter((l) => l.msg === 'poll');
    expect(polls[0]).toMatchObject({ component: 'ingest', poll: 1, sessionsCreated: 1, failingSources: [] });
    expect(polls[0]!.commands).toBeGreaterThan(0);
    expect(polls[1]).toMatchObject({ poll: 2, sessionsCreated: 0, commands: 0 });
    for (const l of lines) expect(typeof l.time).toBe('string');
    expect(lines.some((l) => l.msg === 'ingesting')).toBe(true);
    // The transcript runs `tail -n 2 /etc/shadow`: no command text reaches the log.
    expect(stderr).not.toContain('/etc/shadow');
  }, 60_000);
});
