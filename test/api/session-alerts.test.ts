/**
 * The sessions list's alert filter and badges through the API: `alerts=open|any` and `alertLevel`
 * (at least that level), keyset pages that neither skip nor repeat with the filter on, the filter
 * beside the filters applied over the store's pages (coverage), each role's view, and the session
 * detail's alerts (a viewer's without command text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../src/store/index.ts';
import { settings, startSession } from '../store/contract/fixtures.ts';
import { type Harness, HOUR, makeHarness, ROLES, T0 } from './harness.ts';

let h: Harness;

function alert(key: string, sessionId: string, extra: Partial<NewAlert> = {}): NewAlert {
  return {
    dedupKey: key,
    ruleId: 'st_test',
    ruleTitle: '<b>Firewall</b> flushed',
    ruleAuthor: 'test',
    level: 'high',
    tags: [],
    sessionId,
    commandText: 'sudo iptables -F',
    commandAt: null,
    commandSeq: null,
    occurrence: 0,
    user: 'root',
    actor: null,
    target: null,
    detail: null,
    link: `/sessions/${sessionId}?cmd=sudo%20iptables%20-F`,
    status: 'open',
    createdAt: T0 + 50 * HOUR,
    notify: [],
    ...extra,
  };
}

/** Sessions a1..a8 (newest last), five of them with alerts. */
const EXTRA = Array.from({ length: 8 }, (_, i) => `a${i + 1}`);

beforeAll(async () => {
  h = await makeHarness();
  const lease = await h.store.lease.acquire('session-alerts-test');
  await h.store.evidence.writeBatch(
    { sourceId: 'alerts', ctEvents: EXTRA.map((id, i) => startSession(id, T0 + (10 + i) * HOUR)) },
    settings(),
  );
  await h.store.alerts.record([
    alert('alice', 'alice-1', { level: 'medium' }),
    alert('a2-low', 'a2', { level: 'low' }),
    alert('a2-crit', 'a2', { level: 'critical' }),
    alert('a3', 'a3', { level: 'high' }),
    alert('a5', 'a5', { level: 'critical', status: 'suppressed' }),
    alert('a6', 'a6', { level: 'informational' }),
    alert('a8', 'a8', { level: 'high' }),
  ]);
  await lease.release();
  const [a8] = (await h.store.alerts.list({ sessionId: 'a8' })).items;
  await h.store.alerts.setStatus([a8!.alertId], { status: 'resolved', by: 'test', now: T0 + 60 * HOUR });
});
afterAll(() => h.close());

interface SessionPage {
  items: { sessionId: string }[];
  nextCursor: string | null;
  alerts: Record<string, { open: number; total: number; openLevel: string | null; level: string }>;
}

async function list(query: string, role: (typeof ROLES)[number] = 'auditor'): Promise<SessionPage> {
  const res = await h.get(`/api/sessions?${query}`, role);
  expect(res.status, query).toBe(200);
  return (await res.json()) as SessionPage;
}

/** Every page of a listing, following nextCursor. */
async function all(query: string, limit: number, role: (typeof ROLES)[number] = 'auditor') {
  const ids: string[] = [];
  const alerts: SessionPage['alerts'] = {};
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, role);
    ids.push(...page.items.map((s) => s.sessionId));
    Object.assign(alerts, page.alerts);
    cursor = page.nextCursor;
    expect(++pages).toBeLessThan(50);
  } while (cursor);
  return { ids, alerts };
}

describe('GET /api/sessions alert filter', () => {
  it('alerts=open lists the sessions with an open alert, newest first, with their badges', async () => {
    const { ids, alerts } = await all('alerts=open', 100);
    expect(ids).toEqual(['a6', 'a3', 'a2', 'alice-1']);
    expect(alerts).toEqual({
      a6: { open: 1, total: 1, openLevel: 'informational', level: 'informational' },
      a3: { open: 1, total: 1, openLevel: 'high', level: 'high' },
      a2: { open: 2, total: 2, openLevel: 'critical', level: 'critical' },
      'alice-1': { open: 1, total: 1, openLevel: 'medium', level: 'medium' },
    });
  });

  it('alerts=any adds sessions whose alerts are all resolved or suppressed', async () => {
    const { ids, alerts } = await all('alerts=any', 100);
    expect(ids).toEqual(['a8', 'a6', 'a5', 'a3', 'a2', 'alice-1']);
    expect(alerts.a8).toEqual({ open: 0, total: 1, openLevel: null, level: 'high' });
    expect(alerts.a5).toEqual({ open: 0, total: 1, openLevel: null, level: 'critical' });
  });

  it('alertLevel counts only that level and above; alone it means open alerts', async () => {
    expect((await all('alertLevel=high', 100)).ids).toEqual(['a3', 'a2']);
    expect((await all('alerts=open&alertLevel=high', 100)).ids).toEqual(['a3', 'a2']);
    expect((await all('alerts=any&alertLevel=high', 100)).ids).toEqual(['a8', 'a5', 'a3', 'a2']);
    expect((await all('alerts=any&alertLevel=critical', 100)).ids).toEqual(['a5', 'a2']);
    expect((await all('alertLevel=informational', 100)).ids).toEqual(['a6', 'a3', 'a2', 'alice-1']);
  });

  it('pages the filtered list in any page size without a gap or a repeat', async () => {
    for (const query of ['alerts=open', 'alerts=any', 'alerts=any&alertLevel=high']) {
      const whole = await all(query, 100);
      for (const limit of [1, 2, 3])
        expect(await all(query, limit), `${query} limit ${limit}`).toEqual(whole);
    }
    const first = await list('alerts=any&limit=2');
    expect(first.items.map((s) => s.sessionId)).toEqual(['a8', 'a6']);
    const second = await list(`alerts=any&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((s) => s.sessionId)).toEqual(['a5', 'a3']);
  });

  it('combines with the other filters, the store-paged and the scanned ones', async () => {
    const since = new Date(T0 + 12 * HOUR).toISOString();
    expect((await all(`alerts=any&since=${since}`, 2)).ids).toEqual(['a8', 'a6', 'a5', 'a3']);
    expect((await all(`alerts=open&actor=alice`, 1)).ids).toEqual(['alice-1']);
    // coverage is a store filter like the alert filter: both hold together.
    const coverages = await list('alerts=any&limit=100');
    const coverage = (coverages.items[0] as unknown as { coverage: string }).coverage;
    const withCoverage = await all(`alerts=any&coverage=${coverage}`, 1);
    expect(withCoverage.ids.length).toBeGreaterThan(0);
    for (const id of withCoverage.ids) expect(Object.keys(withCoverage.alerts)).toContain(id);
  });

  it('the unfiltered list carries badges for the sessions that have alerts only', async () => {
    const { ids, alerts } = await all('', 100);
    expect(ids).toEqual(expect.arrayContaining([...EXTRA, 'alice-1', 'bob-2', 'eve-3']));
    expect(Object.keys(alerts).sort()).toEqual(['a2', 'a3', 'a5', 'a6', 'a8', 'alice-1']);
  });

  it('refuses values it does not know', async () => {
    for (const query of ['alerts=yes', 'alertLevel=severe', 'alerts=OPEN']) {
      const res = await h.get(`/api/sessions?${query}`, 'auditor');
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
  });

  it('every role may filter by alerts and sees the same sessions and badges, without command text', async () => {
    const auditor = await all('alerts=open', 2, 'auditor');
    for (const role of ROLES) {
      const seen = await all('alerts=open', 2, role);
      expect(seen).toEqual(auditor);
    }
    const viewer = JSON.stringify(await list('alerts=any', 'viewer'));
    expect(viewer).not.toContain('iptables');
    expect((await h.get('/api/sessions?alerts=open')).status).toBe(401);
  });
});

describe('GET /api/sessions/:id alerts', () => {
  it("lists the session's alerts; a viewer's carry no command text nor cmd in their link", async () => {
    const auditor = await (await h.get('/api/sessions/a2', 'auditor')).json();
    expect(auditor.alerts.map((a: { level: string }) => a.level).sort()).toEqual(['critical', 'low']);
    expect(auditor.alerts[0]).toMatchObject({ command: 'sudo iptables -F', sessionId: 'a2' });
    const viewer = await (await h.get('/api/sessions/a2', 'viewer')).json();
    expect(viewer.alerts).toHaveLength(2);
    for (const a of viewer.alerts) {
      expect(a.command).toBeNull();
      expect(a.link).toBe('/sessions/a2');
      expect(a.rule.title).toBe('<b>Firewall</b> flushed');
    }
    expect(JSON.stringify(viewer)).not.toContain('iptables');
    expect((await (await h.get('/api/sessions/bob-2', 'auditor')).json()).alerts).toEqual([]);
  });
});
