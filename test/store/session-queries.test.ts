import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/ingest/cloudtrail.ts';
import { writeBatch } from '../../src/store/evidence.ts';
import { openStore, type Store } from '../../src/store/open.ts';
import { listAttempts, listSessions } from '../../src/store/session-queries.ts';
import { settings } from '../ingest/harness.ts';
import { identities, startSession } from '../ingest/records.ts';

let store: Store;
beforeAll(() => {
  store = openStore(':memory:');
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
  writeBatch(store, { sourceId: 'test', ctEvents: rows }, settings);
});
afterAll(() => store.close());

const ids = (filters: Parameters<typeof listSessions>[1]) =>
  listSessions(store, filters).map((s) => s.sessionId);

describe('listSessions', () => {
  it('lists newest first with decoded fields', () => {
    const all = listSessions(store);
    expect(all.map((s) => s.sessionId)).toEqual(['root-3', 'tanaka-2', 'alice-1']);
    expect(all[0]).toMatchObject({ actor: 'root', identityVerified: true, transcriptSources: [] });
  });

  it('filters by actor (case-insensitive, * wildcard), target, account, region, kind, time and limit', () => {
    expect(ids({ actor: 'tanaka.hiroshi@example.co.jp' })).toEqual(['tanaka-2']);
    expect(ids({ actor: '*@example.co.jp' })).toEqual(['tanaka-2']);
    expect(ids({ actor: 'ali' })).toEqual([]);
    expect(ids({ target: 'mi-0123456789abcdef0' })).toEqual(['root-3']);
    expect(ids({ accountId: '444455556666' })).toEqual(['tanaka-2']);
    expect(ids({ region: 'ap-northeast-1' })).toEqual(['root-3', 'alice-1']);
    expect(ids({ kind: 'ssh' })).toEqual(['tanaka-2']);
    expect(
      ids({ since: Date.parse('2026-11-21T00:00:00Z'), until: Date.parse('2026-11-22T00:00:00Z') }),
    ).toEqual(['tanaka-2']);
    expect(ids({ limit: 1 })).toEqual(['root-3']);
    expect(ids({ actor: 'alice', region: 'us-east-1' })).toEqual([]);
  });
});

describe('listAttempts', () => {
  it('lists denied StartSession calls only, with filters', () => {
    expect(listAttempts(store).map((a) => a.errorCode)).toEqual(['TargetNotConnected', 'AccessDenied']);
    expect(listAttempts(store, { region: 'us-east-1' })).toEqual([
      expect.objectContaining({ errorCode: 'TargetNotConnected', actor: 'tanaka.hiroshi@example.co.jp' }),
    ]);
    expect(listAttempts(store, { target: 'i-9' }).map((a) => a.errorCode)).toEqual(['AccessDenied']);
  });
});
