import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { runCli } from './cli-io.ts';
import { writeEvidenceDir } from './fixture-dir.ts';
import { holdLeaseElsewhere, tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
let data: string;
beforeEach(() => {
  work = tempDir();
  db = join(work.path, 'st.db');
  data = join(work.path, 'data');
  writeEvidenceDir(data);
});
afterEach(() => work.remove());

describe('shelltrail import', () => {
  it('imports a folder and always prints the summary, with quarantine reasons', async () => {
    const r = await runCli(['import', data, '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/files read: +2/);
    expect(out).toMatch(/records seen: +5/);
    expect(out).toMatch(/sessions: +2 created/);
    expect(out).toMatch(/quarantined: +1\n +corrupt_gzip +1/);
    const again = await runCli(['import', data, '--db', db]);
    expect(again.stdout.toString()).toMatch(/session events: +0 new/);
  });

  it('shows a progress line on a terminal', async () => {
    let err = '';
    const stderr = Object.assign(
      new Writable({
        write(chunk, _e, done) {
          err += chunk;
          done();
        },
      }),
      { isTTY: true },
    );
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    const code = await main(['import', data, '--db', db], { env: {}, stdout, stderr });
    expect(code).toBe(0);
    expect(err).toMatch(/\rfiles 2\/2 +records 5 \(.*\/s\) +session events 4/);
  });

  it('exits 3 with a clear message when another writer holds the store', async () => {
    const other = await holdLeaseElsewhere(db, 'shelltrail ingest');
    try {
      const r = await runCli(['import', data, '--db', db]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(
          `^shelltrail import: another shelltrail writer \\(shelltrail ingest, pid ${other.pid} on ${hostname()}\\) holds`,
        ),
      );
      expect(r.stderr.split('\n')).toHaveLength(2); // one line
    } finally {
      await other.release();
    }
  }, 10_000);

  it('rejects a missing folder with a usage error', async () => {
    const r = await runCli(['import', join(work.path, 'nope'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or folder/);
  });
});
