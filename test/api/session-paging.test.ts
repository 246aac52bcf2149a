/**
 * The sessions list pages through sessions without a known start too (known only from their end
 * record: they come after every timed one, by id), with no gap or repeat at the boundary, through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Transcript, settings, startSession, terminateSession } from '../store/contract/fixtures.ts';
import { extracted, putCommands } from '../store/helpers.ts';
import { type Harness, HOUR, makeHarness, T0 } from './harness.ts';

const DANA_USER = 'arn:aws:iam::111122223333:user/dana';
const DANA_ROLE = 'arn:aws:sts::111122223333:assumed-role/Ops/dana';
const FILTERED = Array.from({ length: 12 }, (_, i) => `dana-${String(i).padStart(2, '0')}`);
const transcripts = FILTERED.filter((_, i) => i % 2 === 0).map((id) =>
  s3Transcript(id, Buffer.from('$ kubectl get pods\r\n'), T0 + 40 * HOUR),
);

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
        // 12 sessions of dana's, from her IAM user or from a role, three at each start time, half
        // ended with their transcript; a command containing "Kubectl Delete" in a third of them.
        ...FILTERED.flatMap((id, i) => {
          const start = startSession(id, T0 + (30 + Math.floor(i / 3)) * HOUR, {
            principalArn: i % 2 === 0 ? DANA_USER : DANA_ROLE,
          });
          return i % 2 === 0
            ? [start, terminateSession(id, T0 + (30 + Math.floor(i / 3)) * HOUR + 60_000)]
            : [start];
        }),
      ],
      transcripts: transcripts.map((t) => t.transcript),
      transcriptChunks: transcripts.flatMap((t) => t.chunks),
    },
    settings(T0 + 100 * HOUR),
  );
  for (const [i, id] of FILTERED.entries())
    await putCommands(h.store, id, [
      extracted(0, i % 3 === 0 ? `kubectl delete pod ${i}` : 'kubectl get pods'),
    ]);
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

  it('filters by principal, coverage and text: exactly the matching sessions, in every page size', async () => {
    type Row = { sessionId: string; startedAt: string | null; principalArn: string | null; coverage: string };
    const whole = (await pages('', 100)) as Row[];
    const order = whole.map((s) => s.sessionId);
    const kubectlDelete = new Set(FILTERED.filter((_, i) => i % 3 === 0));
    const coverages = [
      ...new Set(whole.filter((s) => s.sessionId.startsWith('dana')).map((s) => s.coverage)),
    ];
    expect(coverages.length).toBeGreaterThanOrEqual(2); // ended with a transcript, or not
    const userCoverage = whole.find((s) => s.principalArn === DANA_USER)!.coverage;
    const cases: [string, (s: Row) => boolean][] = [
      [`&principal=${encodeURIComponent(DANA_USER)}`, (s) => s.principalArn === DANA_USER],
      [`&principal=${encodeURIComponent(DANA_ROLE)}`, (s) => s.principalArn === DANA_ROLE],
      ...coverages.map((c): [string, (s: Row) => boolean] => [`&coverage=${c}`, (s) => s.coverage === c]),
      ['&text=KUBECTL%20delete', (s) => kubectlDelete.has(s.sessionId)],
      [
        `&text=kubectl&principal=${encodeURIComponent(DANA_USER)}&coverage=${userCoverage}`,
        (s) => s.principalArn === DANA_USER && s.coverage === userCoverage,
      ],
      ['&text=kubectl%20delete&actor=dana&alerts=open', () => false],
    ];
    for (const [query, keep] of cases) {
      const expected = whole.filter(keep).map((s) => s.sessionId);
      if (!query.includes('alerts=open')) expect(expected.length, query).toBeGreaterThan(0);
      for (const limit of [1, 2, 5, 100]) {
        const got = (await pages(query, limit)).map((s) => s.sessionId);
        expect(got, `${query} by ${limit}`).toEqual(expected);
        expect(new Set(got).size).toBe(got.length);
      }
      // In the list's one order: the unfiltered list with the others left out.
      expect(expected).toEqual(order.filter((id) => expected.includes(id)));
    }
    expect(new Set((await pages('&text=kubectl%20delete', 2)).map((s) => s.sessionId))).toEqual(
      kubectlDelete,
    );
  });

  it('a page of a filtered list stays put when a newer matching session arrives; cursors are keyset', async () => {
    const query = `&principal=${encodeURIComponent(DANA_ROLE)}&text=kubectl`;
    const expected = (await pages(query, 100)).map((s) => s.sessionId);
    const first = await (await h.get(`/api/sessions?limit=2${query}`, 'auditor')).json();
    const lease = await h.store.lease.acquire('paging-test');
    await h.store.evidence.writeBatch(
      {
        sourceId: 'late',
        ctEvents: [startSession('dana-late', T0 + 90 * HOUR, { principalArn: DANA_ROLE })],
      },
      settings(T0 + 100 * HOUR),
    );
    await putCommands(h.store, 'dana-late', [extracted(0, 'kubectl logs x')]);
    await lease.release();
    const seen = first.items.map((s: { sessionId: string }) => s.sessionId);
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = await (await h.get(`/api/sessions?limit=2${query}&cursor=${cursor}`, 'auditor')).json();
      seen.push(...page.items.map((s: { sessionId: string }) => s.sessionId));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
    expect((await pages(query, 3)).map((s) => s.sessionId)).toEqual(['dana-late', ...expected]);
    // A cursor is the last row's key, not a position: one made up is refused.
    expect((await h.get(`/api/sessions?limit=2${query}&cursor=f.2`, 'auditor')).status).toBe(400);
  });

  it('a viewer may not filter by text (content would leak by probing), the other filters are fine', async () => {
    expect((await h.get('/api/sessions?text=kubectl', 'viewer')).status).toBe(403);
    const res = await h.get(
      `/api/sessions?principal=${encodeURIComponent(DANA_USER)}&coverage=complete`,
      'viewer',
    );
    expect(res.status).toBe(200);
  });
});
