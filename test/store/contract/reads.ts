/** Contract: session lists and attempts (keyset pages), transcripts, commands and search. */
import { expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/errors.ts';
import type { Page, Store } from '../../../src/store/index.ts';
import { extracted, putCommands } from '../helpers.ts';
import type { ContractContext } from './contract.ts';
import { cwTranscript, deniedStart, HOUR, s3Transcript, settings, startSession, T0 } from './fixtures.ts';

async function all<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetch(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function seedSessions(store: Store, n: number): Promise<void> {
  const ctEvents = Array.from({ length: n }, (_, i) =>
    startSession(
      `${i % 3 === 0 ? 'alice' : 'bob'}-${String(i).padStart(3, '0')}`,
      T0 + Math.floor(i / 2) * 60_000,
    ),
  );
  await store.evidence.writeBatch({ sourceId: 'seed', ctEvents }, settings());
}

export function readsContract(ctx: ContractContext): void {
  it('sessions.list pages newest first without gaps or repeats, and filters', async () => {
    ctx.covers('sessions.list');
    const store = ctx.store();
    await seedSessions(store, 25);
    const whole = (await store.sessions.list({}, { limit: 100 })).items;
    expect(whole).toHaveLength(25);
    const paged = await all((cursor) => store.sessions.list({}, { limit: 4, cursor }));
    expect(paged.map((s) => s.sessionId)).toEqual(whole.map((s) => s.sessionId));
    const times = whole.map((s) => s.startedAt!);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const alice = await all((cursor) => store.sessions.list({ actor: 'ALI*' }, { limit: 3, cursor }));
    expect(alice.map((s) => s.actor)).toEqual(Array(9).fill('alice'));
    const since = (await store.sessions.list({ since: T0 + 10 * 60_000 }, { limit: 100 })).items;
    expect(since.every((s) => s.startedAt! >= T0 + 10 * 60_000)).toBe(true);
    await expect(store.sessions.list({}, { limit: 0 })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(store.sessions.list({}, { cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('sessions.listAttempts lists denied StartSession calls only, newest first, paged', async () => {
    ctx.covers('sessions.listAttempts');
    const store = ctx.store();
    await store.evidence.writeBatch(
      {
        sourceId: 'a',
        ctEvents: [
          deniedStart('d1', 'mallory', T0),
          deniedStart('d2', 'mallory', T0 + 1),
          startSession('alice-1', T0),
          deniedStart('d3', 'oscar', T0 + 2),
        ],
      },
      settings(),
    );
    const attempts = await all((cursor) => store.sessions.listAttempts({}, { limit: 2, cursor }));
    expect(attempts.map((a) => a.eventId)).toEqual(['d3', 'd2', 'd1']);
    expect(attempts[0]).toMatchObject({ actor: 'oscar', errorCode: 'AccessDenied' });
    const mallory = (await store.sessions.listAttempts({ actor: 'mallory' })).items;
    expect(mallory).toHaveLength(2);
  });

  it('sessions.refreshTimeDependent turns an open session missing once time passes', async () => {
    ctx.covers('sessions.refreshTimeDependent');
    const store = ctx.store();
    await store.evidence.writeBatch(
      { sourceId: 'a', ctEvents: [startSession('gus-1', T0)] },
      settings(T0 + 60_000),
    );
    expect((await store.sessions.get('gus-1'))?.coverage).toBe('open');
    expect(await store.sessions.refreshTimeDependent(settings(T0 + 60_000))).toBe(0);
    expect(await store.sessions.refreshTimeDependent(settings(T0 + 72 * HOUR))).toBe(1);
    const later = await store.sessions.get('gus-1');
    expect(later?.coverage).toBe('missing');
  });

  it('transcripts: list, byte-exact chunks, CloudWatch events in order, stream position', async () => {
    ctx.covers(
      'transcripts.list',
      'transcripts.readChunks',
      'transcripts.readCwEvents',
      'transcripts.cwStreamPosition',
      'transcripts.storedChunkBytes',
    );
    const store = ctx.store();
    const bytes = Buffer.from('$ id\r\nuid=1001(ssm-user)\r\n$ exit\r\n\u00ff\u0000binary');
    const s3 = s3Transcript('hal-1', bytes, T0 + HOUR);
    const cw = cwTranscript('hal-1', ['$ id', 'uid=1001(ssm-user)', '$ exit'], T0);
    await store.evidence.writeBatch(
      {
        sourceId: 'a',
        ctEvents: [startSession('hal-1', T0)],
        transcripts: [s3.transcript, cw.transcript],
        transcriptChunks: s3.chunks,
        cwEvents: cw.events,
      },
      settings(),
    );
    const listed = await store.transcripts.list('hal-1');
    expect(listed.map((t) => t.source)).toEqual(['s3', 'cloudwatch']);
    const read: Buffer[] = [];
    for await (const chunk of store.transcripts.readChunks(s3.transcript.transcriptId)) read.push(chunk);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
    expect(await store.transcripts.storedChunkBytes(s3.transcript.transcriptId)).toBe(bytes.length);
    const events = [];
    for await (const e of store.transcripts.readCwEvents(cw.transcript.transcriptId)) events.push(e.message);
    expect(events).toEqual(['$ id', 'uid=1001(ssm-user)', '$ exit']);
    expect(await store.transcripts.cwStreamPosition(cw.transcript.transcriptId)).toEqual({
      count: 3,
      lastTimestamp: T0 + 2000,
      countAtLast: 1,
    });
    const session = await store.sessions.get('hal-1');
    expect(session?.transcriptSources).toEqual(['cloudwatch', 's3']);
  });

  it('commands: listForSession pages by seq; search, count, searchWithCount and sessionIds agree', async () => {
    ctx.covers(
      'commands.listForSession',
      'commands.search',
      'commands.count',
      'commands.searchWithCount',
      'commands.sessionIds',
    );
    const store = ctx.store();
    await store.evidence.writeBatch(
      { sourceId: 'a', ctEvents: [startSession('ivy-1', T0), startSession('jon-1', T0)] },
      settings(),
    );
    await putCommands(
      store,
      'ivy-1',
      Array.from({ length: 30 }, (_, i) =>
        extracted(i, i % 5 === 0 ? `sudo rm -rf /tmp/x${i}` : `ls -la ${i}`, { at: T0 + i * 1000 }),
      ),
    );
    await putCommands(store, 'jon-1', [
      extracted(0, 'SUDO -i', { at: T0 + 5 }),
      extracted(1, 'sudo rm -rf /var/log/audit', { executed: null, fidelity: 'uncertain', at: T0 + 6 }),
    ]);
    const cmds = await all((cursor) => store.commands.listForSession('ivy-1', { limit: 7, cursor }));
    expect(cmds.map((c) => c.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const jon = (await store.commands.listForSession('jon-1')).items;
    expect(jon[1]).toMatchObject({ executed: null, fidelity: 'uncertain' });

    const page = await store.commands.search({ text: 'sudo', limit: 3 });
    expect(page.hits).toHaveLength(3);
    const times = page.hits.map((h) => h.at!);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const rest = await store.commands.search({ text: 'sudo', limit: 3, cursor: page.nextCursor });
    expect(rest.hits.map((h) => h.commandId)).not.toContain(page.hits[0]!.commandId);
    expect(await store.commands.count({ text: 'sudo' })).toEqual({ total: 8, exact: true });
    const counted = await store.commands.searchWithCount({ text: 'sudo', limit: 2 });
    expect(counted).toMatchObject({ total: 8, totalExact: true });
    expect(counted.hits[0]).toMatchObject({ actor: expect.any(String), identityVerified: true });
    // Each hit carries its session's start (deep links need it), the same as sessions.get says.
    for (const hit of [...page.hits, ...rest.hits, ...counted.hits]) {
      const started = (await store.sessions.get(hit.sessionId))?.startedAt;
      expect(started).toEqual(expect.any(Number));
      expect(hit.sessionStartedAt).toBe(started);
    }
    expect((await store.commands.sessionIds({ text: 'var/log/audit' })).sort()).toEqual(['jon-1']);
    expect((await store.commands.sessionIds({ text: 'sudo' })).sort()).toEqual(['ivy-1', 'jon-1']);
    const uncertain = await store.commands.search({ text: '/var/log/audit' });
    expect(uncertain.hits[0]).toMatchObject({ executed: null });
    await expect(store.commands.search({ text: 'x'.repeat(1001) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(store.commands.search({ text: 'a', cursor: '!!' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
  it('commands.count stays exact while commands repeat, are re-extracted and removed', async () => {
    ctx.covers('commands.count');
    const store = ctx.store();
    await store.evidence.writeBatch(
      { sourceId: 'a', ctEvents: [startSession('kim-1', T0), startSession('lee-1', T0)] },
      settings(),
    );
    const texts = ['tail -f /var/log/app/auth.log', 'TAIL -F /VAR/LOG/APP/AUTH.LOG', 'cat /var/log/syslog'];
    await putCommands(
      store,
      'kim-1',
      Array.from({ length: 12 }, (_, i) => extracted(i, texts[i % 3]!, { at: T0 + i })),
    );
    await putCommands(store, 'lee-1', [
      extracted(0, 'tail -f /var/log/app/auth.log'),
      extracted(1, 'echo Ärger über /var/log/app/auth.log'),
      extracted(2, 'echo ärger'),
    ]);
    const count = (text: string) => store.commands.count({ text });
    expect(await count('/var/log/app/auth.log')).toEqual({ total: 10, exact: true });
    expect(await count('/VAR/log')).toEqual({ total: 14, exact: true });
    expect(await count('ÄRGER')).toEqual({ total: 2, exact: true });
    expect(await count('syslog')).toEqual({ total: 4, exact: true });
    expect(await count('not there')).toEqual({ total: 0, exact: true });
    // Re-extraction replaces a session's commands: the counts follow, removed texts count no more.
    await putCommands(store, 'kim-1', [extracted(0, 'tail -f /var/log/app/auth.log')]);
    expect(await count('/var/log/app/auth.log')).toEqual({ total: 3, exact: true });
    expect(await count('syslog')).toEqual({ total: 0, exact: true });
    await putCommands(store, 'lee-1', []);
    expect(await count('/var/log/app/auth.log')).toEqual({ total: 1, exact: true });
    expect(await count('ärger')).toEqual({ total: 0, exact: true });
    expect(await store.commands.searchWithCount({ text: 'auth.log', limit: 1 })).toMatchObject({
      total: 1,
      totalExact: true,
    });
  });
}
