/** Commands through the store interface: stored by extraction, read by session, found by search. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';
import { extracted, putCommands, useTempStore } from './helpers.ts';

const command = (seq: number, text: string, extra: Partial<ExtractedCommand> = {}): ExtractedCommand =>
  extracted(seq, text, {
    user: 'ssm-user',
    at: Date.UTC(2025, 2, 1, 10, 0, seq),
    atPrecision: 'second',
    cwd: '/home/ssm-user',
    exitCode: null,
    ...extra,
  });

let store: Store;
useTempStore('commands', (s) => {
  store = s;
});

const texts = async (sessionId: string) =>
  (await store.commands.listForSession(sessionId)).items.map((c) => c.text);

describe('extractQueue.complete / commands.listForSession', () => {
  it('round-trips every field in seq order', async () => {
    const commands = [
      command(1, 'sudo su -', {
        executed: false,
        exitCode: 130,
        fidelity: 'lossy',
        output: 'x',
        atPrecision: 'approximate',
      }),
      command(0, 'id', { user: 'root', cwd: null, at: null, atPrecision: null }),
    ];
    await putCommands(store, 's-1', commands);
    const listed = await store.commands.listForSession('s-1');
    expect(listed.nextCursor).toBeNull();
    expect(listed.items.map(({ id: _id, sessionId, ...rest }) => ({ sessionId, ...rest }))).toEqual([
      { sessionId: 's-1', ...commands[1] },
      { sessionId: 's-1', ...commands[0] },
    ]);
    expect(await store.commands.listForSession('other')).toEqual({ items: [], nextCursor: null });
  });

  it('replaces the whole session on every extraction', async () => {
    await putCommands(store, 's-1', [command(0, 'cat /etc/shadow'), command(1, 'id')]);
    await putCommands(store, 's-2', [command(0, 'cat /etc/shadow')]);
    await putCommands(store, 's-1', [command(0, 'uptime')]);
    expect(await texts('s-1')).toEqual(['uptime']);
    expect(await texts('s-2')).toEqual(['cat /etc/shadow']);
    expect((await store.commands.search({ text: 'shadow' })).hits.map((h) => h.sessionId)).toEqual(['s-2']);
    await putCommands(store, 's-2', []);
    expect(await texts('s-2')).toEqual([]);
    expect((await store.commands.search({ text: 'shadow' })).hits).toEqual([]);
  });

  it('pages a session by seq with the cursor it hands out', async () => {
    await putCommands(
      store,
      's-1',
      Array.from({ length: 7 }, (_, seq) => command(6 - seq, `echo ${6 - seq}`)),
    );
    const seqs: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Store['commands']['listForSession']>> =
        await store.commands.listForSession('s-1', { limit: 3, cursor });
      seqs.push(...page.items.map((c) => c.seq));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pages).toBe(3);
  });

  it('rejects duplicate seq within one session without partial writes', async () => {
    await putCommands(store, 's-1', [command(0, 'ls')]);
    await expect(putCommands(store, 's-1', [command(0, 'a b c'), command(0, 'd e f')])).rejects.toThrow();
    expect(await texts('s-1')).toEqual(['ls']);
    expect((await store.commands.search({ text: 'a b c' })).hits).toEqual([]);
  });
});

describe('commands whose execution the extractor cannot tell', () => {
  it('read back with executed null and fidelity uncertain, in listings and search hits', async () => {
    await putCommands(store, 's-1', [
      command(0, 'rm -rf /srv/data', { executed: null, fidelity: 'uncertain', exitCode: null }),
      command(1, 'rm -rf /tmp/x', { executed: true }),
      command(2, 'rm -rf /home', { executed: false, exitCode: 130 }),
    ]);
    const [uncertain] = (await store.commands.listForSession('s-1')).items;
    expect(uncertain).toMatchObject({
      seq: 0,
      text: 'rm -rf /srv/data',
      executed: null,
      fidelity: 'uncertain',
    });

    const hits = (await store.commands.search({ text: 'rm -rf' })).hits;
    expect(hits.map((h) => [h.seq, h.executed])).toEqual([
      [2, false],
      [1, true],
      [0, null],
    ]);
    const withCount = await store.commands.searchWithCount({ text: '/srv/data' });
    expect(withCount.hits).toEqual([expect.objectContaining({ seq: 0, executed: null })]);
    expect(withCount).toMatchObject({ total: 1, totalExact: true });
    // Neither ran nor aborted: an executed filter either way leaves it out.
    const seqsWhere = async (executed: boolean) =>
      (await store.commands.search({ text: 'rm -rf', executed })).hits.map((h) => h.seq);
    expect(await seqsWhere(true)).toEqual([1]);
    expect(await seqsWhere(false)).toEqual([2]);
    expect(await store.commands.count({ text: 'rm -rf' })).toEqual({ total: 3, exact: true });
  });
});
