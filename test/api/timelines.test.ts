/**
 * "What did anyone do on this node between two times": the target timeline over HTTP lists the
 * sessions that overlap the window (one that began before it and ran into it included) and the
 * commands that may have run in it, those without a time of their own placed by their session.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { extracted, putCommands } from '../store/helpers.ts';
import { type Harness, HOUR, makeHarness, T0 } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
  // bob-2 (harness: started T0+2h, no end recorded) has an S3-only transcript: no command times.
  const lease = await h.store.lease.acquire('timeline-test');
  await putCommands(h.store, 'bob-2', [extracted(0, 'uname -a'), extracted(1, 'cat /etc/shadow')]);
  await lease.release();
});
afterAll(() => h.close());

interface Entry {
  type: 'session' | 'command';
  at: string;
  session?: { sessionId: string };
  command?: { text: string; at: string | null };
}

const iso = (ms: number) => new Date(ms).toISOString();
const node = 'i-0aa11bb22cc33dd44';

it('lists sessions overlapping the window and untimed commands placed by their session', async () => {
  // 09:30-10:30: alice-1 ran 09:00-10:00 (its commands at 09:00:01-03, before the window).
  const res = await h.get(
    `/api/targets/${node}/timeline?since=${iso(T0 + HOUR / 2)}&until=${iso(T0 + HOUR / 2 + HOUR)}`,
    'auditor',
  );
  expect(res.status).toBe(200);
  const { items } = (await res.json()) as { items: Entry[] };
  expect(items.map((e) => e.session?.sessionId ?? e.command!.text)).toEqual(['alice-1']);
  expect(items[0]!.at).toBe(iso(T0));

  // 11:00-12:00: bob-2 started at 11:00 and its untimed commands follow it, in order.
  const later = await h.get(
    `/api/targets/${node}/timeline?since=${iso(T0 + 2 * HOUR)}&until=${iso(T0 + 3 * HOUR)}`,
    'auditor',
  );
  const entries = ((await later.json()) as { items: Entry[] }).items;
  expect(entries.map((e) => e.session?.sessionId ?? e.command!.text)).toEqual([
    'bob-2',
    'uname -a',
    'cat /etc/shadow',
  ]);
  expect(entries[1]).toMatchObject({ at: iso(T0 + 2 * HOUR), command: { at: null } });

  // Later the same day bob-2 may still be running (assumed end: a day after its start).
  const evening = await h.get(`/api/targets/${node}/timeline?since=${iso(T0 + 8 * HOUR)}`, 'viewer');
  const sessions = ((await evening.json()) as { items: Entry[] }).items.map((e) => e.session?.sessionId);
  expect(sessions).toEqual(['bob-2', 'eve-3']);
});
