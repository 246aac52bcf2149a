import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.ts';
import { runExtractPass } from '../../src/ingest/extract-pass.ts';
import { localDirSource } from '../../src/ingest/sources/local-dir.ts';
import { listSessionCommands } from '../../src/store/commands.ts';
import { loadFixture } from './transcript-fixtures.ts';
import { type Harness, openHarness } from './transcript-harness.ts';

const config = configSchema.parse({});
let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

function put(rel: string, content: string | Buffer) {
  const path = join(h.dir, 'import', rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const queue = () =>
  h.rows<{ session_id: string }>('SELECT session_id FROM extract_queue').map((r) => r.session_id);

describe('runExtractPass', () => {
  it('extracts commands from the S3 form, the CloudWatch form and both merged, and empties the queue', async () => {
    const dash = loadFixture('dash-basic'); // both forms
    const sudo = loadFixture('sudo-su-root'); // S3 only
    const bash = loadFixture('bash-color-wide'); // CloudWatch only
    put(`s3/${dash.s3Key}`, dash.s3);
    put(`cw/${dash.sessionId}.json`, JSON.stringify(dash.cloudwatch));
    put(`s3/${sudo.s3Key}`, sudo.s3);
    put(`cw/${bash.sessionId}.json`, JSON.stringify(bash.cloudwatch));
    await h.poll(localDirSource(join(h.dir, 'import')));
    expect(queue().sort()).toEqual([bash.sessionId, dash.sessionId, sudo.sessionId].sort());
    const counters = {};
    const done = await runExtractPass(h.store, config, counters);
    expect(done).toMatchObject({ sessionsExtracted: 3, extractFailures: 0 });
    expect(counters).toEqual(done);
    expect(queue()).toEqual([]);

    const dashCommands = listSessionCommands(h.store, dash.sessionId);
    expect(dashCommands.map((c) => c.text)).toContain('echo hello');
    expect(dashCommands.find((c) => c.text === 'rm -rf /tmp/important')?.executed).toBe(false);
    // Merged: the S3 text with CloudWatch's second-precision times.
    expect(dashCommands.find((c) => c.text === 'whoami')?.atPrecision).toBe('second');
    expect(listSessionCommands(h.store, sudo.sessionId).some((c) => c.user === 'root')).toBe(true);
    expect(listSessionCommands(h.store, bash.sessionId).length).toBeGreaterThan(0);
    const cols = h.rows(
      'SELECT term_cols, term_cols_source FROM sessions WHERE session_id = ?',
      dash.sessionId,
    )[0];
    expect(cols).toMatchObject({ term_cols: expect.any(Number), term_cols_source: expect.any(String) });

    // Nothing queued: a second pass does nothing; a new transcript re-queues and replaces, never duplicates.
    expect((await runExtractPass(h.store, config)).sessionsExtracted).toBe(0);
    put(`more/${dash.s3Key}`, dash.s3);
    await h.poll(localDirSource(join(h.dir, 'import')));
    expect(queue()).toEqual([dash.sessionId]);
    await runExtractPass(h.store, config);
    expect(listSessionCommands(h.store, dash.sessionId)).toHaveLength(dashCommands.length);
  });

  it('quarantines a session the extractor cannot read and goes on with the others', async () => {
    const dash = loadFixture('dash-basic');
    put(`s3/${dash.s3Key}`, dash.s3);
    put('s3/ghost-0000000000000000a.log', Buffer.from([0x1b, 0x5b, 0x3f, 0x31]));
    await h.poll(localDirSource(join(h.dir, 'import')));
    // Corrupt a stored chunk of the second session: what extraction reads is no longer gzip.
    h.store.sqlite
      .prepare(
        `UPDATE transcript_chunks SET data = x'00' WHERE transcript_id IN
         (SELECT transcript_id FROM transcripts WHERE session_id = 'ghost-0000000000000000a')`,
      )
      .run();
    const done = await runExtractPass(h.store, config);
    expect(done).toMatchObject({ sessionsExtracted: 1, extractFailures: 1 });
    expect(h.rows('SELECT source_id, item_key, reason FROM quarantine')).toEqual([
      { source_id: 'extract', item_key: 'ghost-0000000000000000a', reason: 'extract_failed' },
    ]);
    expect(queue()).toEqual([]);
    expect(listSessionCommands(h.store, dash.sessionId).length).toBeGreaterThan(0);
  });
});
