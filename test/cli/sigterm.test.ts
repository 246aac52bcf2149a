/**
 * Issue 9, section 1: SIGTERM during `import`. A real child process runs the CLI on the issue's
 * transcript (`\033[2147483647L`, here repeated so extraction is still running when the signal
 * comes): the batch written before commits, the extraction in progress is abandoned and stays
 * queued, and the process exits within 2 seconds. And a stop that hangs is cut short regardless.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { tempDir } from './store-setup.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/shelltrail.js');
const HOSTILE = 'hostile-0123456789abcdef0';
const PLAIN = 'plain-0123456789abcdef0';
/** The issue's 15-byte line, and the same escape repeated: minutes of emulator work without a budget. */
const issueLog = '$ id\r\r\n\x1b[2147483647L\r\r\n$ exit\r\r\n';
const hostileLog = `$ id\r\r\n${'\x1b[2147483647L'.repeat(40_000)}\r\r\n$ exit\r\r\n`;

let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('shelltrail-sigterm-');
});
afterEach(() => work.remove());

interface Exit {
  code: number | null;
  at: number;
  stderr: string;
}

function start(args: string[], script?: string) {
  const argv = script ? ['--import', 'tsx', '--input-type=module', '-e', script] : [BIN, ...args];
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, SHELLTRAIL_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stdout.resume();
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: performance.now(), stderr })),
  );
  return { child, exited };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGTERM', () => {
  it('SIGTERM during import extraction: the batch commits, extraction is re-queued, exit within 2 s', async () => {
    const folder = join(work.path, 'import');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${HOSTILE}.log`), hostileLog);
    writeFileSync(join(folder, `${PLAIN}.log`), issueLog);
    const db = join(work.path, 'store.db');
    const { child, exited } = start(['import', folder, '--db', db, '--quiet']);
    // The transcripts' batch is committed once the extract queue shows them; then extraction runs.
    await waitFor(async () => {
      try {
        const store = await openStore(db);
        try {
          return (await store.extractQueue.size()) > 0;
        } finally {
          await store.close();
        }
      } catch {
        return false; // not created yet
      }
    }, 60_000);
    await new Promise((r) => setTimeout(r, 700));
    const signalled = performance.now();
    child.kill('SIGTERM');
    const exit = await exited;
    expect(exit.at - signalled).toBeLessThan(2_000);
    expect(exit.code).toBe(130);

    const store = await openStore(db);
    try {
      // Both transcripts were committed; the hostile one was abandoned mid-extraction and waits.
      expect((await store.transcripts.list(HOSTILE)).length).toBe(1);
      expect((await store.transcripts.list(PLAIN)).length).toBe(1);
      expect(await store.extractQueue.next('', 10)).toContain(HOSTILE);
      expect((await store.sessions.get(HOSTILE))?.commandsIncomplete ?? null).toBeNull();
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a stop that hangs after SIGTERM still exits within 2 s', async () => {
    const worker = join(ROOT, 'src/ingest/worker.ts');
    const script = `
      import { abortOnSignals } from ${JSON.stringify(worker)};
      abortOnSignals(new AbortController(), (line) => process.stderr.write(line + '\\n'));
      setInterval(() => {}, 1000); // a stop that never comes
      process.stderr.write('ready\\n');
    `;
    const { child, exited } = start([], script);
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => String(d).includes('ready') && resolve()),
    );
    const signalled = performance.now();
    child.kill('SIGTERM');
    const exit = await exited;
    expect(exit.at - signalled).toBeLessThan(2_000);
    expect(exit.code).toBe(143);
  }, 30_000);
});
