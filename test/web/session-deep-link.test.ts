/**
 * The session page opens a deep link (`?at=<seconds>&cmd=<text>`, src/api/deep-link.ts) at the
 * command it names through the shared resolver, also when that command lies past the 10,000 the
 * page lists: the real app with the web routes over a store holding a session of 10,050 commands.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/types.ts';
import { createWebRoutes } from '../../src/web/index.ts';
import { type Harness, makeHarness } from '../api/harness.ts';
import { cwTranscript, settings, startSession, terminateSession } from '../store/contract/fixtures.ts';
import { extracted, putCommands } from '../store/helpers.ts';

const LONG = 'long-0123456789abcdef0';
const T = Date.parse('2026-11-20T10:00:00Z');
/** Where the duplicated texts are: two past the first 10,000, two inside them. */
const FAR = [10_020, 10_040];
const NEAR = [3, 7];

let h: Harness;
let web: ReturnType<typeof createApp>;
beforeAll(async () => {
  h = await makeHarness();
  const lease = await h.store.lease.acquire('deep-link-test');
  // A transcript, so the page has a replay; the commands are stored as an extraction's.
  const cw = cwTranscript(LONG, ['$ echo 0'], T);
  await h.store.evidence.writeBatch(
    {
      sourceId: 'deep-link-test',
      ctEvents: [startSession(LONG, T), terminateSession(LONG, T + 1_800_000)],
      transcripts: [cw.transcript],
      cwEvents: cw.events,
    },
    settings(T + 3_600_000),
  );
  await putCommands(
    h.store,
    LONG,
    Array.from({ length: 10_050 }, (_, i) =>
      extracted(i, FAR.includes(i) ? 'needle --far' : NEAR.includes(i) ? 'dup' : `echo ${i}`, {
        at: T + i * 100,
      }),
    ),
  );
  await lease.release();
  web = createApp({
    ...h.deps,
    webRoutes: createWebRoutes({ config: h.deps.config }) as unknown as Hono<AppEnv>,
  });
}, 60_000);
afterAll(() => h.close());

async function open(query: string, role: 'viewer' | 'auditor' = 'auditor') {
  const res = await web.request(`/sessions/${LONG}?${query}`, {
    headers: { authorization: `Bearer ${h.tokens[role]}` },
  });
  expect(res.status).toBe(200);
  const html = await res.text();
  return { start: /data-start="(\d*)"/.exec(html)?.[1], html };
}

describe('session page deep links', () => {
  it('opens a command past the first 10,000 listed: the first with the text, or the nearest to the time', async () => {
    const needle = encodeURIComponent('needle --far');
    const first = await open(`cmd=${needle}`);
    expect(first.start).toBe('10020');
    expect((first.html.match(/class="cmd" data-index=/g) ?? []).length).toBe(10_000);
    expect(first.html).toContain('id="link-note"');
    expect(first.html).toContain('command #10021 (<code>needle --far</code>)');
    expect((await open(`at=1004.0&cmd=${needle}`)).start).toBe('10040');
    expect((await open(`at=1002.1&cmd=${needle}`)).start).toBe('10020');
    // A time alone, or a text no command has any more: the command nearest in time, anywhere.
    expect((await open('at=1003.5')).start).toBe('10035');
    expect((await open(`at=1003&cmd=${encodeURIComponent('no longer there')}`)).start).toBe('10030');
  });

  it('inside the listed commands: the first with the text without a time, marked in the list', async () => {
    const dup = await open('cmd=dup');
    expect(dup.start).toBe('3');
    expect(dup.html).not.toContain('id="link-note"');
    expect(dup.html).toMatch(/data-index="3" aria-current="true"/);
    expect((await open('at=0.7&cmd=dup')).start).toBe('7');
    expect((await open('cmd=echo%2042')).start).toBe('42');
    expect((await open('')).start).toBe('');
  });

  it('resolves nothing for viewers, who get no commands', async () => {
    const { html } = await open('cmd=dup', 'viewer');
    expect(html).not.toContain('data-start');
    expect(html).not.toContain('needle');
  });
});
