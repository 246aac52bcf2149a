/**
 * The sessions list pages through sessions without a known start too (known only from their end
 * record: they come after every timed one, by id), with no gap or repeat at the boundary, through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settings, startSession, terminateSession } from '../store/contract/fixtures.ts';
import { type Harness, HOUR, makeHarness, T0 } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
  const lease = await h.store.lease.acquire('paging-test');
  await h.store.evidence.writeBatch(
    {
      sourceId: 'paging',
      ctEvents: [
        ...Array.from({ length: 5 }, (_, i) => startSession(`timed-${i}`, T0 + (10 + i) * HOUR)),
        ...['zz-untimed-2', 'zz-untimed-1', 'zz-untimed-3'].map((id) => terminateSession(id, T0 + 20 * HOUR)),
      ],
    },
    settings(),
  );
  await lease.release();
});
afterAll(() => h.close());

async function pages(
  query: string,
  limit: number,
): Promise<{ sessionId: string; startedAt: string | null }[]> {
  const out: { sessionId: string; startedAt: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.get(
      `/api/sessions?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      'auditor',
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: typeof out; nextCursor: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return out;
}

describe('GET /api/sessions paging', () => {
  it('lists timed sessions newest first, then sessions without a start by id, in any page size', async () => {
    const whole = await pages('', 100);
    const untimed = whole.filter((s) => s.startedAt === null).map((s) => s.sessionId);
    expect(untimed).toEqual(['zz-untimed-1', 'zz-untimed-2', 'zz-untimed-3']);
    const firstUntimed = whole.findIndex((s) => s.startedAt === null);
    expect(whole.slice(firstUntimed).every((s) => s.startedAt === null)).toBe(true);
    const times = whole.slice(0, firstUntimed).map((s) => Date.parse(s.startedAt!));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const limit of [1, 2, 3, 7]) expect(await pages('', limit)).toEqual(whole);
  });

  it('pages an actor filter the same way', async () => {
    const whole = await pages('&actor=ALI*', 100);
    expect(whole.length).toBeGreaterThan(0);
    expect(await pages('&actor=ALI*', 1)).toEqual(whole);
  });
});
