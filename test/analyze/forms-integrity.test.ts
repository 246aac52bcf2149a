/**
 * Issue 9, section 2: a command that ran must not disappear. An S3 log edited to drop a command the
 * CloudWatch copy still has raises `forms_disagree` and keeps the command as `uncertain`; commands
 * past the per-session cap are counted in the import summary and raised as `commands_truncated`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractPass } from '../../src/analyze/extract-pass.ts';
import { summaryLines } from '../../src/ingest/progress.ts';
import { createLocalDirSource } from '../../src/ingest/sources/local-dir.ts';
import { runWorker } from '../../src/ingest/worker.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { SESSION_MAX_COMMANDS } from '../../src/terminal/types.ts';
import { settings, tempDir } from '../cli/store-setup.ts';

let work: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(async () => {
  work = tempDir('shelltrail-forms-');
  mkdirSync(join(work.path, 'in'), { recursive: true });
  store = await openStore(join(work.path, 'store.db'));
});
afterEach(async () => {
  await store.close();
  work.remove();
});

const put = (name: string, content: string) => writeFileSync(join(work.path, 'in', name), content);

/** The CloudWatch (streaming) copy of a session: one agent event per line group. */
function cloudWatchCopy(sessionId: string, lines: string[][]): string {
  return lines
    .map((sessionData, i) =>
      JSON.stringify({
        eventVersion: '1.0',
        eventTime: `2026-11-24T08:15:${String(i).padStart(2, '0')}Z`,
        awsRegion: 'ap-northeast-1',
        target: { id: 'i-0a1b2c3d4e5f60718' },
        userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/alice' },
        runAsUser: 'ssm-user',
        sessionId,
        sessionData,
      }),
    )
    .join('\n');
}

async function importWithExtraction() {
  return runWorker({
    store,
    sources: [createLocalDirSource(join(work.path, 'in'))],
    passes: [extractPass],
    settings,
    once: true,
    intervalMs: 0,
    signal: new AbortController().signal,
    log: () => {},
    holder: 'test',
  });
}

const codes = async (sessionId: string) =>
  (await store.findings.list({ sessionId })).items
    .map((f) => f.code)
    .filter((c) => c !== 'missing_cloudtrail');

describe('forms and caps', () => {
  it('S3 log edited to drop a command the CloudWatch copy has: forms_disagree, the command kept as uncertain', async () => {
    const edited = 'edited-0a1b2c3d4e5f60718';
    const honest = 'honest-0a1b2c3d4e5f60718';
    const cw = [
      ['$ id', 'uid=1000(ssm-user)'],
      ['$ sudo rm -rf /var/log/audit', ''],
      ['$ exit', ''],
    ];
    put(`${edited}.log`, '$ id\r\r\nuid=1000(ssm-user)\r\r\n$ exit\r\r\n');
    put(`${edited}.ndjson`, cloudWatchCopy(edited, cw));
    put(`${honest}.log`, '$ id\r\r\nuid=1000(ssm-user)\r\r\n$ sudo rm -rf /var/log/audit\r\r\n$ exit\r\r\n');
    put(`${honest}.ndjson`, cloudWatchCopy(honest, cw));
    await importWithExtraction();

    const commands = (await store.commands.listForSession(edited)).items;
    const hidden = commands.find((c) => c.text === 'sudo rm -rf /var/log/audit');
    expect(hidden).toMatchObject({ fidelity: 'uncertain', executed: null });
    expect(await codes(edited)).toContain('forms_disagree');
    const finding = (await store.findings.list({ sessionId: edited })).items.find(
      (f) => f.code === 'forms_disagree',
    );
    expect(finding?.kind).toBe('integrity');
    expect(finding?.detail).not.toContain('rm -rf'); // counts, never transcript content
    // Two copies that agree raise nothing.
    expect(await codes(honest)).not.toContain('forms_disagree');
  });

  it('commands over the per-session cap: commands_truncated finding and a count in the import summary', async () => {
    const flood = 'flood-0a1b2c3d4e5f607189';
    const extra = 25;
    put(`${flood}.log`, `${'$ true\r\r\n'.repeat(SESSION_MAX_COMMANDS + extra)}$ exit\r\r\n`);
    const report = await importWithExtraction();
    expect(report.counters.passes.commandsTruncated).toBe(extra + 1);
    expect(summaryLines(report.counters, 1).join('\n')).toMatch(
      new RegExp(`commands truncated: ${extra + 1} past the per-session cap`),
    );
    expect(await codes(flood)).toContain('commands_truncated');
    expect(await store.sessions.get(flood)).toMatchObject({ commandsIncomplete: 'truncated' });
  }, 120_000);
});
