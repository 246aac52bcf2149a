import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openStore } from '../../src/store/open.ts';
import { tempDir } from '../ingest/harness.ts';
import { runCli } from './cli-io.ts';
import { writeEvidenceDir } from './fixture-dir.ts';

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
    const store = openStore(db);
    store.sqlite
      .prepare(
        'INSERT INTO writer_lease (id, holder, pid, host, acquired_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)',
      )
      .run('shelltrail ingest', 4242, 'ingest-host', Date.now(), Date.now() + 60_000);
    store.close();
    const r = await runCli(['import', data, '--db', db]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /another shelltrail writer \(shelltrail ingest, pid 4242 on ingest-host\) holds/,
    );
  }, 10_000);

  it('rejects a missing folder with a usage error', async () => {
    const r = await runCli(['import', join(work.path, 'nope'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or folder/);
  });
});
