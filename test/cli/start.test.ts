/**
 * Start-up cost (issue 10): `--help`, `--version` and read commands load only what they use. Each
 * case runs bin/shelltrail.js in a fresh process (through tsx, so no build is needed; the import
 * graph is the compiled one's) and lists the packages it loaded. A control (`commands`, which
 * does need the terminal emulator) shows the trace sees what it should.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/gen/corpus.ts';
import { packagesIn, traceModules } from './module-trace.ts';

const bin = join(import.meta.dirname, '../../bin/shelltrail.js');
const fromSource = { SHELLTRAIL_RUN_FROM: 'src' };
/** What a read command must never load: AWS clients, the terminal emulator, the web server. */
const HEAVY = /^(@aws-sdk\/|@smithy\/|@aws-crypto\/|@xterm\/|hono$|@hono\/)/;
/** Our own modules a read command must not load: AWS sources, the terminal, web, API, detection. */
const HEAVY_OURS = /\/src\/(ingest\/aws|ingest\/sources|terminal|web|api|server|detect)\//;

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-start-'));
  // The search bench's store, small: sessions with commands, so `search` finds something.
  db = (await ensureCorpus(join(dir, 'corpus'), { sessions: 30, commands: 600 })).dbPath;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI start-up loads only what the command uses', () => {
  it('--help and --version load no package at all besides tsx', () => {
    for (const args of [['--help'], ['--version']]) {
      const run = traceModules(bin, args, fromSource);
      expect(run.status, run.stderr).toBe(0);
      expect(packagesIn(run.modules).filter((p) => p !== 'tsx' && p !== 'esbuild')).toEqual([]);
    }
  });

  it.each([
    ['sessions', ['sessions', '--limit', '1']],
    ['sessions --json', ['sessions', '--json']],
    ['attempts', ['attempts']],
    ['findings', ['findings']],
    ['search', ['search', 'sudo', '--limit', '1']],
  ])('%s loads no AWS SDK, xterm, hono or detection module', (_name, args) => {
    const run = traceModules(bin, [...args, '--db', db], fromSource);
    expect(run.status, run.stderr).toBe(0);
    expect(packagesIn(run.modules)).toContain('better-sqlite3'); // it did read the store
    expect(packagesIn(run.modules).filter((p) => HEAVY.test(p))).toEqual([]);
    expect(run.modules.filter((m) => HEAVY_OURS.test(m))).toEqual([]);
  });

  it('the trace does see heavy modules where a command needs them (control)', () => {
    const file = join(dir, 'one.log');
    writeFileSync(file, '$ echo hi\r\nhi\r\n$ ');
    const run = traceModules(bin, ['commands', file], fromSource);
    expect(run.status, run.stderr).toBe(0);
    // The emulator itself (@xterm/headless) runs in the extraction pool's worker threads, whose
    // modules Node 20 does not pass through the tracer's hooks; the pool starting them is seen here.
    expect(run.modules.some((m) => /\/src\/terminal\/budget\/pool\.ts$/.test(m))).toBe(true);
    expect(run.modules.filter((m) => HEAVY_OURS.test(m)).length).toBeGreaterThan(0);
  });
});
