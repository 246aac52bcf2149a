/**
 * Contract: the sessions list's principal, coverage and text filters are store filters like the
 * others: every combination (with actor, time and the alert filters too) lists exactly the
 * sessions that match, in the list's one order (newest start first, ties by id, sessions without a
 * start last by id), and keyset pages of any size add up to that list with no gap or repeat.
 * sessions.count answers the same sets, exact up to its cap.
 */
import { expect, it } from 'vitest';
import { COVERAGE_STATES } from '../../../src/domain.ts';
import { InvalidRequestError } from '../../../src/errors.ts';
import type { NewAlert, SessionFilters, SessionRow, Store } from '../../../src/store/index.ts';
import { extracted, putCommands } from '../helpers.ts';
import type { ContractContext } from './contract.ts';
import { HOUR, s3Transcript, settings, startSession, T0, terminateSession } from './fixtures.ts';

const USER_ANN = 'arn:aws:iam::111122223333:user/ann';
const ROLE_ANN = 'arn:aws:sts::111122223333:assumed-role/Admin/ann';

/** Which sessions got what, to compute each filter's answer independently of the store. */
interface Seeded {
  withText: Set<string>;
  openAlert: Set<string>;
  anyAlert: Set<string>;
}

function alert(key: string, sessionId: string): NewAlert {
  return {
    dedupKey: key,
    ruleId: 'st_firewall_flush',
    ruleTitle: 'Firewall flushed',
    ruleAuthor: 'shelltrail',
    level: 'high',
    tags: [],
    sessionId,
    commandText: 'iptables -F',
    commandAt: null,
    commandSeq: 0,
    occurrence: 0,
    user: 'root',
    actor: null,
    target: null,
    detail: null,
    link: null,
    status: 'open',
    createdAt: T0,
    notify: [],
  };
}

/**
 * 24 timed sessions (pairs share a start, so ties are ordered by id) and 3 without a start, by
 * three actors under two principals, in three coverage states; some with a command containing
 * "IPTables -F", some with alerts.
 */
async function seed(store: Store): Promise<Seeded> {
  const actors = ['ann', 'bo', 'cy'];
  const ids = Array.from({ length: 24 }, (_, i) => `${actors[i % 3]}-${String(i).padStart(2, '0')}`);
  const untimed = ['ann-u1', 'bo-u2', 'cy-u3'];
  const ctEvents = ids.flatMap((id, i) => {
    const at = T0 + Math.floor(i / 2) * 60_000;
    // Half of ann's sessions come from her IAM user, the rest from the role.
    const start = startSession(id, at, id.startsWith('ann') && i % 2 === 0 ? { principalArn: USER_ANN } : {});
    // Coverage: ended with a transcript (complete), ended without one (missing after the grace),
    // or started late enough to be still open.
    if (i % 3 === 2) return [{ ...start, eventTime: T0 + 47 * HOUR + i * 1000 }];
    return [start, terminateSession(id, at + 600_000)];
  });
  ctEvents.push(...untimed.map((id) => terminateSession(id, T0 + 5 * HOUR)));
  const withTranscript = ids.filter((_, i) => i % 3 === 0 && i % 2 === 0);
  const transcripts = withTranscript.map((id) => s3Transcript(id, Buffer.from('$ ls\r\n'), T0 + 2 * HOUR));
  await store.evidence.writeBatch(
    {
      sourceId: 'filters',
      ctEvents,
      transcripts: transcripts.map((t) => t.transcript),
      transcriptChunks: transcripts.flatMap((t) => t.chunks),
    },
    settings(),
  );
  const withText = new Set([...ids.filter((_, i) => i % 4 === 1 || i % 5 === 0), 'bo-u2']);
  for (const id of [...ids, ...untimed])
    await putCommands(store, id, [
      extracted(0, 'ls -la'),
      ...(withText.has(id) ? [extracted(1, `sudo IPTables -F ${id}`)] : [extracted(1, 'iptables-save')]),
    ]);
  const openAlert = new Set(['ann-00', 'bo-01', 'ann-06', 'cy-08', 'bo-u2']);
  const resolved = new Set(['bo-04', 'cy-05']);
  await store.alerts.record([...openAlert, ...resolved].map((id) => alert(`a-${id}`, id)));
  for (const id of resolved) {
    const [a] = (await store.alerts.list({ sessionId: id })).items;
    await store.alerts.setStatus([a!.alertId], { status: 'resolved', by: 'kim', now: T0 });
  }
  return { withText, openAlert, anyAlert: new Set([...openAlert, ...resolved]) };
}

async function listAll(store: Store, filters: SessionFilters, limit: number): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Store['sessions']['list']>> = await store.sessions.list(filters, {
      limit,
      cursor,
    });
    out.push(...page.items.map((s) => s.sessionId));
    cursor = page.nextCursor;
    expect(out.length).toBeLessThanOrEqual(100); // a cursor that never ends would loop forever
  } while (cursor);
  return out;
}

function matches(s: SessionRow, f: SessionFilters, seeded: Seeded): boolean {
  return (
    (!f.principal || s.principalArn === f.principal) &&
    (!f.coverage || s.coverage === f.coverage) &&
    (!f.text || (f.text.toLowerCase() === 'iptables -f' && seeded.withText.has(s.sessionId))) &&
    (!f.actor || s.actor === f.actor) &&
    (f.since === undefined || (s.startedAt !== null && s.startedAt >= f.since)) &&
    (f.alerts !== 'open' || seeded.openAlert.has(s.sessionId)) &&
    (f.alerts !== 'any' || seeded.anyAlert.has(s.sessionId))
  );
}

export function sessionFiltersContract(ctx: ContractContext): void {
  it('sessions.list filters by principal, coverage and text in every combination, keyset-paged', async () => {
    ctx.covers('sessions.list');
    const store = ctx.store();
    const seeded = await seed(store);
    const whole = (await store.sessions.list({}, { limit: 1000 })).items;
    expect(whole).toHaveLength(27);
    const coverages = [...new Set(whole.map((s) => s.coverage))].sort();
    expect(coverages.length).toBeGreaterThanOrEqual(3); // the fixture spans several states
    const parts: SessionFilters[][] = [
      [{}, { principal: USER_ANN }, { principal: ROLE_ANN }],
      [{}, ...coverages.map((coverage) => ({ coverage: coverage! }))],
      [{}, { text: 'iptables -f' }],
      [{}, { alerts: 'open' as const }, { alerts: 'any' as const }],
      [{}, { actor: 'ann' }, { since: T0 + 5 * 60_000 }],
    ];
    let combos: SessionFilters[] = [{}];
    for (const options of parts) combos = combos.flatMap((c) => options.map((o) => ({ ...c, ...o })));
    let nonEmpty = 0;
    for (const filters of combos) {
      const expected = whole.filter((s) => matches(s, filters, seeded)).map((s) => s.sessionId);
      if (expected.length > 0) nonEmpty++;
      const label = JSON.stringify(filters);
      expect(await listAll(store, filters, 1000), label).toEqual(expected);
      // Pages of any size: the same rows, once each, in the same order.
      for (const limit of [1, 4])
        expect(await listAll(store, filters, limit), `${label} by ${limit}`).toEqual(expected);
    }
    expect(nonEmpty).toBeGreaterThan(combos.length / 4);
    // Each filter alone narrows the list to what it says, and they combine.
    const ann = (await store.sessions.list({ principal: USER_ANN }, { limit: 1000 })).items;
    expect(ann.length).toBeGreaterThan(1);
    expect(ann.every((s) => s.principalArn === USER_ANN)).toBe(true);
    const text = await listAll(store, { text: 'IPTABLES -F' }, 3);
    expect(new Set(text)).toEqual(seeded.withText);
    expect(text.at(-1)).toBe('bo-u2'); // sessions without a start come last
    expect(await listAll(store, { text: 'no command has this' }, 3)).toEqual([]);
    expect(await listAll(store, { coverage: 'not_recordable' }, 3)).toEqual([]);
  });

  it('sessions.list keeps its pages when sessions arrive between them', async () => {
    ctx.covers('sessions.list');
    const store = ctx.store();
    const seeded = await seed(store);
    const filters: SessionFilters = { text: 'iptables -F', principal: ROLE_ANN };
    const expected = (await store.sessions.list({}, { limit: 1000 })).items
      .filter((s) => matches(s, filters, seeded))
      .map((s) => s.sessionId);
    expect(expected.length).toBeGreaterThan(2);
    const first = await store.sessions.list(filters, { limit: 2 });
    // A newer matching session arrives: it belongs before the first page, not in the next one.
    await store.evidence.writeBatch(
      { sourceId: 'late', ctEvents: [startSession('ann-late', T0 + 40 * HOUR)] },
      settings(),
    );
    await putCommands(store, 'ann-late', [extracted(0, 'iptables -F')]);
    const out = first.items.map((s) => s.sessionId);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await store.sessions.list(filters, { limit: 2, cursor });
      out.push(...page.items.map((s) => s.sessionId));
      cursor = page.nextCursor;
    }
    expect(out).toEqual(expected);
    expect((await store.sessions.list(filters, { limit: 1 })).items[0]!.sessionId).toBe('ann-late');
  });

  it('sessions.count counts what sessions.list lists, per coverage state too, exact up to its cap', async () => {
    ctx.covers('sessions.count');
    const store = ctx.store();
    const seeded = await seed(store);
    const whole = (await store.sessions.list({}, { limit: 1000 })).items;
    const cases: SessionFilters[] = [
      {},
      { actor: 'ann' },
      { principal: USER_ANN },
      { text: 'iptables -f' },
      { text: 'iptables -f', alerts: 'open' },
      { coverage: 'missing', actor: 'bo' },
      { alerts: 'any', since: T0 + 5 * 60_000 },
      { text: 'no command has this' },
    ];
    for (const filters of cases) {
      const counts = await store.sessions.count(filters);
      const n = whole.filter((s) => matches(s, filters, seeded)).length;
      expect(counts.total, JSON.stringify(filters)).toEqual({ count: n, exact: true });
      expect(Object.keys(counts.coverage).sort()).toEqual([...COVERAGE_STATES].sort());
      for (const state of COVERAGE_STATES) {
        const m = whole.filter((s) => matches(s, { ...filters, coverage: state }, seeded)).length;
        expect(counts.coverage[state], `${JSON.stringify(filters)} ${state}`).toEqual({
          count: m,
          exact: true,
        });
      }
    }
    expect((await store.sessions.count({}, { cap: 5 })).total).toEqual({ count: 5, exact: false });
    expect((await store.sessions.count({}, { cap: 27 })).total).toEqual({ count: 27, exact: true });
    expect((await store.sessions.count({}, { cap: 26 })).total).toEqual({ count: 26, exact: false });
    await expect(store.sessions.count({}, { cap: 0 })).rejects.toBeInstanceOf(InvalidRequestError);
  });
}
