import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/ingest/normalize/cloudtrail.ts';
import type { SessionFilters, Store } from '../../src/store/index.ts';
import { identities, startSession } from '../ingest/records.ts';
import { openWritable } from './helpers.ts';
import { settings } from './projection-settings.ts';

let store: Store;
beforeAll(async () => {
  store = await openWritable(':memory:');
  const rows = [
    startSession({ sessionId: 'alice-1', time: '2026-11-20T00:00:00Z', target: 'i-1' }),
    startSession({
      sessionId: 'tanaka-2',
      identity: identities.sso('Tanaka.Hiroshi@example.co.jp', '444455556666'),
      time: '2026-11-21T00:00:00Z',
      documentName: 'AWS-StartSSHSession',
      region: 'us-east-1',
    }),
    startSession({
      sessionId: 'root-3',
      identity: identities.root(),
      time: '2026-11-22T00:00:00Z',
      target: 'mi-0123456789abcdef0',
    }),
    startSession({ errorCode: 'AccessDenied', time: '2026-11-22T01:00:00Z', target: 'i-9' }),
    startSession({
      errorCode: 'TargetNotConnected',
      identity: identities.sso(),
      time: '2026-11-23T01:00:00Z',
      region: 'us-east-1',
    }),
  ].map((r) => normalizeRecord(r, 'test')!);
  await store.evidence.writeBatch({ sourceId: 'test', ctEvents: rows }, settings);
});
afterAll(() => store.close());

const ids = async (filters: SessionFilters, limit?: number) =>
  (await store.sessions.list(filters, { limit })).items.map((s) => s.sessionId);

describe('sessions.list', () => {
  it('lists newest first with decoded fields', async () => {
    const all = (await store.sessions.list()).items;
    expect(all.map((s) => s.sessionId)).toEqual(['root-3', 'tanaka-2', 'alice-1']);
    expect(all[0]).toMatchObject({ actor: 'root', identityVerified: true, transcriptSources: [] });
  });

  it('filters by actor (case-insensitive, * wildcard), target, account, region, kind, time and limit', async () => {
    expect(await ids({ actor: 'tanaka.hiroshi@example.co.jp' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: '*@example.co.jp' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: 'ali' })).toEqual([]);
    // A pattern's literal prefix bounds an index range; case still does not matter, `?` is literal.
    expect(await ids({ actor: 'TANAKA.*' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: 'Tanaka.Hiroshi@Example.CO.JP' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: 'tanaka.hiroshi@example.co.j*' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: 'tanaka.hiroshi@example.co.jp*' })).toEqual(['tanaka-2']);
    expect(await ids({ actor: 'tanaka?*' })).toEqual([]);
    expect(await ids({ actor: 'tanakb*' })).toEqual([]);
    expect(await ids({ target: 'mi-0123456789abcdef0' })).toEqual(['root-3']);
    expect(await ids({ accountId: '444455556666' })).toEqual(['tanaka-2']);
    expect(await ids({ region: 'ap-northeast-1' })).toEqual(['root-3', 'alice-1']);
    expect(await ids({ kind: 'ssh' })).toEqual(['tanaka-2']);
    expect(
      await ids({ since: Date.parse('2026-11-21T00:00:00Z'), until: Date.parse('2026-11-22T00:00:00Z') }),
    ).toEqual(['tanaka-2']);
    expect(await ids({}, 1)).toEqual(['root-3']);
    expect(await ids({ actor: 'alice', region: 'us-east-1' })).toEqual([]);
  });

  it('pages with the cursor it hands out, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Store['sessions']['list']>> = await store.sessions.list(
        {},
        { limit: 1, cursor },
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((s) => s.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['root-3', 'tanaka-2', 'alice-1']);
  });
});

describe('sessions.listAttempts', () => {
  it('lists denied StartSession calls only, with filters', async () => {
    const attempts = async (filters?: Parameters<Store['sessions']['listAttempts']>[0]) =>
      (await store.sessions.listAttempts(filters)).items;
    expect((await attempts()).map((a) => a.errorCode)).toEqual(['TargetNotConnected', 'AccessDenied']);
    expect(await attempts({ region: 'us-east-1' })).toEqual([
      expect.objectContaining({ errorCode: 'TargetNotConnected', actor: 'tanaka.hiroshi@example.co.jp' }),
    ]);
    expect((await attempts({ target: 'i-9' })).map((a) => a.errorCode)).toEqual(['AccessDenied']);
  });
});
