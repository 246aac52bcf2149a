/** Contract: the extract queue (filled with the batch, drained by the pass) and audit findings. */
import { expect, it } from 'vitest';
import { extracted } from '../helpers.ts';
import type { ContractContext } from './contract.ts';
import { cwTranscript, HOUR, settings, startSession, T0, terminateSession } from './fixtures.ts';

export function queueAndFindingsContract(ctx: ContractContext): void {
  it('a batch with a new transcript queues its session in the same transaction; complete stores and dequeues', async () => {
    ctx.covers('extractQueue.next', 'extractQueue.size', 'extractQueue.complete');
    const store = ctx.store();
    const cw = cwTranscript('kim-1', ['$ id'], T0);
    expect(await store.extractQueue.size()).toBe(0);
    await store.evidence.writeBatch(
      {
        sourceId: 'a',
        ctEvents: [startSession('kim-1', T0)],
        transcripts: [cw.transcript],
        cwEvents: cw.events,
      },
      settings(),
    );
    expect(await store.extractQueue.next('', 10)).toEqual(['kim-1']);
    expect(await store.extractQueue.next('kim-1', 10)).toEqual([]);
    await store.extractQueue.complete('kim-1', {
      commands: [extracted(0, 'id', { at: T0 })],
      cols: 120,
      colsSource: 'wrap',
      extractorVersion: 7,
    });
    expect(await store.extractQueue.size()).toBe(0);
    const session = await store.sessions.get('kim-1');
    expect(session).toMatchObject({
      termCols: 120,
      termColsSource: 'wrap',
      extractorVersion: 7,
      commandsIncomplete: null,
    });
    expect((await store.commands.listForSession('kim-1')).items.map((c) => c.text)).toEqual(['id']);
  });

  it('truncated and failed extractions raise findings and mark the commands incomplete; no retry', async () => {
    ctx.covers('extractQueue.complete', 'extractQueue.fail', 'findings.list', 'findings.countByKind');
    const store = ctx.store();
    const a = cwTranscript('lee-1', ['$ id'], T0);
    const b = { ...cwTranscript('lee-2', ['$ id'], T0) };
    await store.evidence.writeBatch(
      {
        sourceId: 'a',
        ctEvents: [
          startSession('lee-1', T0),
          terminateSession('lee-1', T0 + HOUR),
          startSession('lee-2', T0 + 1),
        ],
        transcripts: [a.transcript, b.transcript],
        cwEvents: [...a.events, ...b.events],
      },
      settings(),
    );
    await store.extractQueue.complete('lee-1', {
      commands: [extracted(0, 'id')],
      cols: 80,
      colsSource: 'default',
      extractorVersion: 7,
      droppedCommands: 12,
    });
    await store.extractQueue.fail('lee-2', 'over_budget');
    expect(await store.extractQueue.size()).toBe(0);
    expect((await store.sessions.get('lee-1'))?.commandsIncomplete).toBe('truncated');
    expect((await store.sessions.get('lee-2'))?.commandsIncomplete).toBe('over_budget');
    const codes = (await store.findings.list({ kinds: ['integrity'] })).items.map((f) => f.code).sort();
    expect(codes).toEqual(['commands_truncated', 'transcript_over_budget']);
    // A later batch re-projects the session: the extraction's findings stay.
    await store.evidence.writeBatch(
      { sourceId: 'b', ctEvents: [terminateSession('lee-2', T0 + HOUR)] },
      settings(),
    );
    const counts = await store.findings.countByKind();
    expect(counts.integrity).toBe(2);
    const oneSession = (await store.findings.list({ sessionId: 'lee-1', kinds: ['integrity'] })).items;
    expect(oneSession.map((f) => f.code)).toEqual(['commands_truncated']);
  });

  it('findings.list pages without gaps or repeats', async () => {
    ctx.covers('findings.list');
    const store = ctx.store();
    // Ended long ago with no transcript while S3 was expected: one `missing` finding per session.
    const expected = { ...settings(), expectedDestinations: [{ s3: true, cloudwatch: false }] };
    const ctEvents = Array.from({ length: 9 }, (_, i) => [
      startSession(`max-${i}`, T0 + (i % 4) * 1000),
      terminateSession(`max-${i}`, T0 + HOUR),
    ]).flat();
    await store.evidence.writeBatch({ sourceId: 'a', ctEvents }, expected);
    const whole = (await store.findings.list({}, { limit: 100 })).items;
    expect(whole.length).toBe(9);
    // Each finding carries its session's start and end (when scheduled rules time it).
    expect(whole.find((f) => f.sessionId === 'max-1')).toMatchObject({
      startedAt: T0 + 1000,
      endedAt: T0 + HOUR,
    });
    const paged = [];
    let cursor: string | null = null;
    do {
      const page = await store.findings.list({}, { limit: 2, cursor });
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((f) => f.findingId)).toEqual(whole.map((f) => f.findingId));
    expect((await store.findings.countByKind()).missing).toBe(9);
  });

  it('queueOutdated queues sessions with transcripts extracted by an older version only', async () => {
    ctx.covers('extractQueue.queueOutdated');
    const store = ctx.store();
    const old = cwTranscript('ned-1', ['$ id'], T0);
    const cur = cwTranscript('ned-2', ['$ id'], T0);
    await store.evidence.writeBatch(
      {
        sourceId: 'a',
        ctEvents: [startSession('ned-1', T0), startSession('ned-2', T0), startSession('ned-3', T0)],
        transcripts: [old.transcript, cur.transcript],
        cwEvents: [...old.events, ...cur.events],
      },
      settings(),
    );
    const outcome = { commands: [], cols: null, colsSource: null };
    await store.extractQueue.complete('ned-1', { ...outcome, extractorVersion: 1 });
    await store.extractQueue.complete('ned-2', { ...outcome, extractorVersion: 2 });
    expect(await store.extractQueue.queueOutdated(2)).toBe(1);
    expect(await store.extractQueue.next('', 10)).toEqual(['ned-1']);
  });
}
