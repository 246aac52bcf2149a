import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeText } from '../../src/analyze/readable-text.ts';
import { cloudWatchLines } from '../../src/ingest/normalize/cloudwatch-events.ts';
import { loadFixture, type SessionFixture } from '../ingest/transcript-fixtures.ts';
import { scriptLog } from '../ingest/transcript-samples.ts';
import { runCli } from './cli-io.ts';
import { importEvidence, tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
let dash: SessionFixture;
let big: Buffer;
const BIG_ID = 'big-0000000000000000a';

beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'store.db');
  dash = loadFixture('dash-basic');
  const put = (rel: string, content: string | Buffer) => {
    mkdirSync(dirname(join(work.path, 'in', rel)), { recursive: true });
    writeFileSync(join(work.path, 'in', rel), content);
  };
  put(`s3/${dash.s3Key}`, dash.s3);
  put(`cw/${dash.sessionId}.json`, JSON.stringify(dash.cloudwatch));
  put(
    'cw/only-cw-0000000000000000b.json',
    JSON.stringify(
      loadFixture('sudo-su-root').cloudwatch.map((e) => ({
        ...e,
        logStreamName: 'only-cw-0000000000000000b',
      })),
    ),
  );
  big = scriptLog(BIG_ID, Buffer.alloc(5 << 20, '$ yes\r\r\ny\r\r\n'));
  put(`s3/${BIG_ID}.log`, big);
  await importEvidence(db, join(work.path, 'in'));
});
afterAll(() => work.remove());

describe('shelltrail transcript', () => {
  it('--raw writes the stored S3 bytes exactly, header and all', async () => {
    const r = await runCli(['transcript', dash.sessionId, '--raw', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(dash.s3)).toBe(true);
    const b = await runCli(['transcript', BIG_ID, '--raw', '--db', db]);
    expect(b.stdout.equals(big)).toBe(true);
  });

  it('renders readable text by default', async () => {
    const r = await runCli(['transcript', dash.sessionId, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout.toString();
    expect(text.split('\n')).toContain('$ echo hello');
    expect(text.split('\n')).toContain('hello from a here-document');
    expect(text).not.toContain('Script started on');
    expect(text).not.toMatch(/[\x1b\b]/);
  });

  it('reads the CloudWatch form when asked, as lines or as the stored messages', async () => {
    const text = await runCli(['transcript', dash.sessionId, '--source', 'cloudwatch', '--db', db]);
    expect(text.stdout.toString()).toBe(
      cloudWatchLines(dash.cloudwatch)
        .map((l) => `${safeText(l.text)}\n`)
        .join(''),
    );
    const raw = await runCli(['transcript', dash.sessionId, '--source', 'cloudwatch', '--raw', '--db', db]);
    expect(raw.stdout.toString()).toBe(dash.cloudwatch.map((e) => `${e.message}\n`).join(''));
    const only = await runCli(['transcript', 'only-cw-0000000000000000b', '--db', db]);
    expect(only.code).toBe(0);
    expect(only.stdout.toString()).toContain('whoami');
  });

  it('says so when there is nothing, and rejects bad flags', async () => {
    const none = await runCli(['transcript', 'nobody-000', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no transcript stored for session nobody-000/);
    const noS3 = await runCli(['transcript', 'only-cw-0000000000000000b', '--source', 's3', '--db', db]);
    expect(noS3.code).toBe(1);
    expect((await runCli(['transcript', dash.sessionId, '--raw', '--text', '--db', db])).code).toBe(2);
    expect((await runCli(['transcript', dash.sessionId, '--source', 'ftp', '--db', db])).code).toBe(2);
    expect((await runCli(['transcript', '--db', db])).code).toBe(2);
  });
});
