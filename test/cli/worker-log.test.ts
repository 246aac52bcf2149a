/**
 * The worker's structured lines (`serve`, `ingest`): JSON off a terminal, a short readable line on
 * one; fields for counts, sources and error classes; control characters in an error never reach a
 * terminal raw.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { workerLog } from '../../src/cli/worker-log.ts';
import { createLogger } from '../../src/server/logger.ts';

function sink(isTTY: boolean) {
  const lines: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY },
  );
  return { out, lines };
}

const poll = {
  poll: 3,
  sessionEvents: 2,
  sessionsCreated: 1,
  transcripts: 1,
  commands: 7,
  quarantined: 0,
  failingSources: ['s3:b'],
};
const failure = {
  sourceId: 's3:b',
  at: 0,
  error: 'AccessDenied: \u001b]52;c;aGk=\u0007 denied',
  consecutive: 2,
  retryAt: 60_000,
};

describe('workerLog', () => {
  it('writes one JSON object per poll and per failing source when not on a terminal', () => {
    const { out, lines } = sink(false);
    const log = workerLog(createLogger(out));
    log.events.polled!(poll);
    log.events.sourcePolled!(failure);
    log.events.sourcePolled!({ sourceId: 's3:a', at: 0 }); // a plain success says nothing
    log.line('lease renewed');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toEqual([
      expect.objectContaining({ level: 30, component: 'ingest', msg: 'poll', ...poll }),
      expect.objectContaining({
        level: 40,
        msg: 'source failed',
        source: 's3:b',
        consecutive: 2,
        retryAt: '1970-01-01T00:01:00.000Z',
        error: expect.not.stringContaining('\u001b'),
      }),
      expect.objectContaining({ msg: 'lease renewed', component: 'ingest' }),
    ]);
  });

  it('writes a readable line on a terminal, with escapes shown, not sent', () => {
    const { out, lines } = sink(true);
    const log = workerLog(createLogger(out));
    log.events.polled!(poll);
    log.events.sourcePolled!(failure);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d poll component=ingest poll=3 sessionEvents=2 .*commands=7/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d source failed .*source=s3:b .*error=AccessDenied: /);
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});
