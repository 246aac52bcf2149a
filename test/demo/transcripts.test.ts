import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractPass } from '../../src/analyze/extract-pass.ts';
import { configSchema } from '../../src/config.ts';
import { demoFixtureNames, writeDemoTranscripts } from '../../src/demo/transcripts.ts';
import { createLocalDirSource } from '../../src/ingest/sources/local-dir.ts';
import { type Harness, openHarness } from '../ingest/transcript-harness.ts';
import { quarantineRows, sessionCommands } from '../support/store-view.ts';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(() => h.close());

const T = Date.parse('2026-11-20T09:00:00Z');
const ARN = 'arn:aws:sts::111122223333:assumed-role/OpsRole/sato.kenji';

describe('writeDemoTranscripts', () => {
  it('writes S3 logs and CloudWatch exports that import as the demo sessions, with real commands', async () => {
    expect(demoFixtureNames().length).toBeGreaterThan(5);
    const dir = join(h.dir, 'demo');
    const written = writeDemoTranscripts(dir, [
      {
        sessionId: 'sato.kenji-0123456789abcdef0',
        target: 'i-0123456789abcdef0',
        userArn: ARN,
        startedAt: T,
        endedAt: T + 600_000,
        fixture: 'sudo-su-root',
      },
      {
        sessionId: 'sato.kenji-0123456789abcdef1',
        target: 'i-0123456789abcdef0',
        userArn: ARN,
        startedAt: T,
        endedAt: T + 60_000,
        forms: ['cloudwatch'],
      },
      {
        sessionId: 'eve-0123456789abcdef2',
        target: 'i-0123456789abcdef0',
        userArn: ARN,
        startedAt: T,
        endedAt: T + 60_000,
        forms: ['s3'],
        claimedTarget: 'i-0999999999999999f',
      },
    ]);
    expect(written).toEqual({ s3Logs: 2, cloudwatchExports: 2 });
    await h.poll(createLocalDirSource(dir));
    expect(await quarantineRows(h.store)).toEqual([]);
    const both = await h.store.transcripts.list('sato.kenji-0123456789abcdef0');
    expect(both.map((t) => t.source).sort()).toEqual(['cloudwatch', 's3']);
    expect(both.every((t) => t.claimedTarget === 'i-0123456789abcdef0')).toBe(true);
    const s3 = both.find((t) => t.source === 's3')!;
    expect(s3.lastModified).toBe(T + 600_000);
    const cw = both.find((t) => t.source === 'cloudwatch')!;
    expect(cw.firstEventAt).toBe(T + 1000);
    expect(cw.claimedPrincipalArn).toBe(ARN);
    expect((await h.store.transcripts.list('eve-0123456789abcdef2'))[0]!.claimedTarget).toBe(
      'i-0999999999999999f',
    );
    const lease = await h.store.lease.acquire('test');
    const config = configSchema.parse({});
    await extractPass.run({ store: h.store, config, signal: new AbortController().signal, log: () => {} });
    await lease.release();
    const commands = await sessionCommands(h.store, 'sato.kenji-0123456789abcdef0');
    expect(commands.some((c) => c.user === 'root')).toBe(true);
    expect(commands.every((c) => c.at == null || (c.at >= T && c.at <= T + 600_000))).toBe(true);
  });
});
