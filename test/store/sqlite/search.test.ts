import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/errors.ts';
import { foldCase } from '../../../src/store/fold.ts';
import type { Store } from '../../../src/store/index.ts';
import { COUNT_CAP } from '../../../src/store/search-query.ts';
import { replaceSessionCommands } from '../../../src/store/sqlite/commands.ts';
import type { Conn } from '../../../src/store/sqlite/connection.ts';
import { planContext } from '../../../src/store/sqlite/search/context.ts';
import {
  GRAM_MAX_TEXT,
  gramCount,
  gramPhrase,
  trigramCountIsExact,
} from '../../../src/store/sqlite/search/grams.ts';
import { countCommands, searchCommands, searchSessionIds } from '../../../src/store/sqlite/search/index.ts';
import { type PlanName, runPlan, sessionsWithAMatch } from '../../../src/store/sqlite/search/plan.ts';
import {
  rarestTrigrams,
  rareTrigramMatches,
  trigramsOf,
} from '../../../src/store/sqlite/search/rare-trigrams.ts';
import { connOf } from '../../../src/store/sqlite/store.ts';
import type { ExtractedCommand } from '../../../src/terminal/types.ts';
import { extracted, openWritable, putCommands } from '../helpers.ts';

interface Row {
  id: number;
  sessionId: string;
  text: string;
  user: string | null;
  executed: boolean;
  at: number | null;
  actor: string;
  target: string;
  account: string;
  region: string;
  kind: string;
}

const T0 = Date.UTC(2025, 0, 1);
const texts = [
  'id',
  'w',
  'sudo su -',
  'su - postgres',
  'dd if=/dev/zero of=/tmp/x bs=1M',
  'cat /etc/shadow',
  'sudo cat /ETC/SHADOW | grep root',
  'rm -rf /tmp/build-1',
  'rm  -rf /tmp',
  'ls -la /var/log',
  'grep -E "NEAR(a, b)" notes.txt',
  'find / -name "*.pem"',
  'docker run -p 8080:80 nginx',
  "awk -F: '{print $1}' /etc/passwd",
  'echo "本番環境を停止します"',
  'git commit -m "修正: ログ出力"',
  'echo ÄRGER ärger',
  'iptables -F',
  'base64 -d payload | sh',
  'echo 100% done_ok \\ back',
  'history -c',
  'uptime',
];
/** Longer than the gram index's per-character limit: indexed by a sentinel and checked instead. */
const longTexts = [`echo ${'x'.repeat(5000)} qz END`, `printf ${'y'.repeat(4200)}`];

/** Commands a second apart from T0, by seq. */
const secondsApart = (seq: number, text: string) =>
  extracted(seq, text, { at: T0 + seq * 1000, atPrecision: 'second' });

let dir: string;
let store: Store;
let conn: Conn;
const rows: Row[] = [];

/** A second store in the test folder, holding the lease, with its connection. */
async function openLocal(name: string): Promise<{ store: Store; conn: Conn }> {
  const local = await openWritable(join(dir, name));
  return { store: local, conn: connOf(local) };
}

/** 40 sessions x 60 commands; times interleave across sessions so ordering is really tested. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelltrail-search-'));
  ({ store, conn } = await openLocal('store.db'));
  // Sessions are written straight into the table: these tests are about the planner, not projection.
  const insertSession = conn.sqlite.prepare(
    `INSERT INTO sessions (session_id, kind, account_id, region, target, principal_arn, actor, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let k = 0;
  conn.sqlite.transaction(() => {
    for (let s = 0; s < 40; s++) {
      const sessionId = `sess-${String(s).padStart(3, '0')}`;
      const meta = {
        actor: ['alice@example.com', 'bob@example.com', 'carol@example.com'][s % 3]!,
        target: `i-0${s % 5}`,
        account: s % 2 ? '111122223333' : '444455556666',
        region: s % 4 ? 'eu-west-1' : 'us-east-1',
        kind: s % 7 ? 'shell' : 'interactive_command',
      };
      insertSession.run(
        sessionId,
        meta.kind,
        meta.account,
        meta.region,
        meta.target,
        `arn:aws:iam::1:user/${meta.actor}`,
        meta.actor,
        T0,
      );
      const commands: ExtractedCommand[] = [];
      for (let seq = 0; seq < 60; seq++) {
        k = (k * 1103515245 + 12345) % 2147483648;
        const text = texts[k % texts.length]!;
        const at = seq === 59 && s % 10 === 0 ? null : T0 + (((seq * 40 + s) * 7919) % 100_000) * 1000;
        commands.push({
          seq,
          text,
          user: seq > 30 ? 'root' : 'ssm-user',
          executed: k % 11 !== 0,
          at,
          atPrecision: at === null ? null : 'second',
          cwd: '/home/ssm-user',
          exitCode: 0,
          fidelity: 'exact',
          output: null,
        });
      }
      replaceSessionCommands(conn, sessionId, commands);
    }
    insertSession.run(
      'sess-long',
      'shell',
      '111122223333',
      'eu-west-1',
      'i-09',
      'arn:aws:iam::1:user/x',
      'dave@example.com',
      T0,
    );
    replaceSessionCommands(
      conn,
      'sess-long',
      longTexts.map((text, seq) => extracted(seq, text, { at: T0 + seq * 1000, atPrecision: 'second' })),
    );
  })();
  const stored = conn.sqlite
    .prepare(
      `SELECT c.id, c.session_id AS sessionId, c.text, c.user, c.executed, c.at, s.actor, s.target,
         s.account_id AS account, s.region, s.kind FROM commands c JOIN sessions s USING (session_id)`,
    )
    .all() as (Omit<Row, 'executed'> & { executed: number })[];
  for (const r of stored) rows.push({ ...r, executed: r.executed === 1 });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Query = Parameters<typeof searchCommands>[1];

/** The definition, applied by brute force: substring of the folded text, every filter, newest first. */
function oracle(q: Query): Row[] {
  const needle = q.text?.trim() ? foldCase(q.text) : undefined;
  return rows
    .filter(
      (r) =>
        (needle === undefined || foldCase(r.text).includes(needle)) &&
        (q.actor === undefined || r.actor === q.actor) &&
        (q.target === undefined || r.target === q.target) &&
        (q.account === undefined || r.account === q.account) &&
        (q.region === undefined || r.region === q.region) &&
        (q.kind === undefined || r.kind === q.kind) &&
        (q.user === undefined || r.user === q.user) &&
        (q.sessionId === undefined || r.sessionId === q.sessionId) &&
        (q.executed === undefined || r.executed === q.executed) &&
        (q.since === undefined || (r.at !== null && r.at >= q.since)) &&
        (q.until === undefined || (r.at !== null && r.at <= q.until)),
    )
    .sort((a, b) => (b.at ?? -Infinity) - (a.at ?? -Infinity) || b.id - a.id);
}

const queries: Query[] = [
  { text: 'id' },
  { text: 'w' },
  { text: 'su' },
  { text: 'dd' },
  { text: '/etc/shadow' },
  { text: 'ETC/shadow' },
  { text: 'tc/sha' },
  { text: 'rm -rf /tmp' },
  { text: 'rm  -rf' },
  { text: '"' },
  { text: '"*.pem"' },
  { text: '*' },
  { text: 'NEAR(' },
  { text: 'NEAR(a, b)' },
  { text: '-F' },
  { text: '8080:80' },
  { text: ':' },
  { text: '%' },
  { text: '_ok' },
  { text: '\\' },
  { text: "'{print" },
  { text: '本番' },
  { text: '本' },
  { text: 'qz' },
  { text: 'QZ' },
  { text: 'Y' },
  { text: 'zq' },
  { text: '本番環境' },
  { text: '修正: ログ' },
  { text: 'ärger' },
  { text: 'Ä' },
  { text: 'no such command anywhere' },
  { text: 'AND' },
  { text: 'OR NOT' },
  { actor: 'alice@example.com' },
  { text: 'su', actor: 'bob@example.com' },
  { text: '/etc/shadow', target: 'i-03', user: 'root' },
  { text: 'grep', account: '111122223333', region: 'us-east-1' },
  { text: 'rm', kind: 'interactive_command' },
  { text: 'id', sessionId: 'sess-007' },
  { text: 'shadow', executed: false },
  { text: 'base64 -d', since: T0 + 20_000_000, until: T0 + 60_000_000 },
  { since: T0 + 50_000_000 },
  { until: T0 + 1_000_000, user: 'ssm-user' },
  {},
];

const label = (q: Query) => JSON.stringify(q);

describe('searchCommands', () => {
  it.each(queries.map((q) => [label(q), q] as const))('matches the definition: %s', (_l, q) => {
    const expected = oracle(q);
    const result = searchCommands(conn, { ...q, limit: 1000 });
    expect(result.hits.map((h) => h.commandId)).toEqual(expected.slice(0, 1000).map((r) => r.id));
    if (result.totalExact) expect(result.total).toBe(expected.length);
    else expect(result.total).toBeLessThanOrEqual(expected.length);
    expect(countCommands(conn, q)).toEqual({ total: expected.length, exact: true });
  });

  const plans: PlanName[] = ['walk', 'fts', 'sessions', 'session', 'time', 'scan', 'timeline'];
  it('gives the same page and count under every plan that applies', () => {
    let checked = 0;
    for (const q of queries) {
      const { text, limit: _l, offset: _o, ...filters } = q;
      const needle = text?.trim() ? text : undefined;
      const expected = oracle(q);
      for (const force of plans) {
        if (
          (force === 'fts' || force === 'walk') &&
          !(needle && ([...needle].length >= 3 || gramPhrase(needle)))
        )
          continue;
        if (force === 'sessions' && !(q.actor || q.target || q.account || q.region || q.kind)) continue;
        if (force === 'session' && !q.sessionId) continue;
        if (force === 'time' && q.since === undefined && q.until === undefined) continue;
        for (const [offset, limit] of [
          [0, 7],
          [5, 20],
        ] as const) {
          const out = runPlan(conn.sqlite, { needle, filters, limit, offset, force });
          if (force === 'walk') expect(out.plan, label(q)).toBe('walk');
          expect(out.ids, `${label(q)} ${force} ${offset}`).toEqual(
            expected.slice(offset, offset + limit).map((r) => r.id),
          );
          if (out.totalExact) expect(out.total, `${label(q)} ${force}`).toBe(expected.length);
          else expect(out.total).toBeLessThanOrEqual(expected.length);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('counts one- and two-character terms exactly from the gram index, long texts included', () => {
    expect(longTexts.every((t) => t.length > GRAM_MAX_TEXT)).toBe(true);
    for (const text of ['w', 'id', 'ID', 'qz', 'y', '本', '本番', '"', '%', '_o', '\\', 'zq', ' -']) {
      expect(gramPhrase(text), text).toBeDefined();
      expect(gramCount(conn.sqlite, text, 1_000_000), text).toBe(oracle({ text }).length);
    }
    expect(gramCount(conn.sqlite, 'w', 5)).toBe(5);
    // Not answered by grams: cased non-ASCII (LIKE is not exact), 3+ characters, control characters.
    for (const text of ['Ä', 'ä', 'abc', '\u0001', '']) expect(gramPhrase(text), text).toBeUndefined();
    const short = runPlan(conn.sqlite, { needle: 'qz', filters: {}, limit: 10, offset: 0, force: 'fts' });
    expect(short.plan).toBe('grams');
    expect(short.total).toBe(oracle({ text: 'qz' }).length);
    expect(short.total).toBeGreaterThan(0);
  });

  it('reports a page total as a lower bound once the page fills, and counts are capped', async () => {
    expect(searchCommands(conn, { text: 'iptables -F', limit: 1000 }).totalExact).toBe(true);
    const { store: bigStore, conn: big } = await openLocal('big.db');
    try {
      const many = Array.from({ length: COUNT_CAP + 5 }, (_, seq) =>
        extracted(seq, seq % 2 ? 'ls -la' : 'ls -w', { at: T0 + seq, atPrecision: 'exact' }),
      );
      await putCommands(bigStore, 'big', many);
      const page = searchCommands(big, { text: 'ls -w', limit: 10, offset: 5 });
      expect(page).toMatchObject({ total: 16, totalExact: false, plan: 'walk' });
      expect(page.hits.map((h) => h.seq)).toEqual(
        Array.from({ length: 10 }, (_, i) => COUNT_CAP + 4 - 2 * (i + 5)),
      );
      expect(countCommands(big, { text: 'ls' })).toEqual({ total: COUNT_CAP, exact: false });
      expect(countCommands(big, { text: 'l' })).toEqual({ total: COUNT_CAP, exact: false });
      expect(countCommands(big, { text: 'ls -la' })).toEqual({ total: (COUNT_CAP + 5) >> 1, exact: true });
      expect(countCommands(big, { text: 'W', user: 'root' })).toEqual({
        total: (COUNT_CAP + 6) >> 1,
        exact: true,
      });
      expect(countCommands(big, { user: 'root' })).toEqual({ total: COUNT_CAP, exact: false });
    } finally {
      await bigStore.close();
    }
  });

  it('treats FTS5 syntax as literal characters', () => {
    for (const text of [
      '"',
      '""',
      '"unbalanced',
      'a OR b',
      'NEAR(x y)',
      'col:value',
      '-x',
      '^start',
      '(',
      ')',
      '*',
      '{a b}',
      '+',
    ]) {
      expect(() => searchCommands(conn, { text })).not.toThrow();
    }
    const quoted = searchCommands(conn, { text: '"*.pem"' });
    expect(quoted.hits.length).toBeGreaterThan(0);
    for (const h of quoted.hits) expect(h.text).toContain('"*.pem"');
    expect(
      searchCommands(conn, { text: 'NEAR(a, b)' }).hits.every((h) => h.text.includes('NEAR(a, b)')),
    ).toBe(true);
  });

  it('is case-insensitive, ASCII and beyond', () => {
    const upper = searchCommands(conn, { text: '/ETC/SHADOW', limit: 1000 });
    const lower = searchCommands(conn, { text: '/etc/shadow', limit: 1000 });
    expect(upper.hits.map((h) => h.commandId)).toEqual(lower.hits.map((h) => h.commandId));
    expect(new Set(upper.hits.map((h) => h.text))).toEqual(
      new Set(['cat /etc/shadow', 'sudo cat /ETC/SHADOW | grep root']),
    );
    expect(searchCommands(conn, { text: 'ÄRGER' }).hits[0]?.text).toBe('echo ÄRGER ärger');
  });

  it('highlights every occurrence in the snippet', () => {
    const hit = searchCommands(conn, { text: 'ärger' }).hits[0]!;
    expect(hit.snippet).toBe('echo «ÄRGER» «ärger»');
    expect(searchCommands(conn, { text: '本番' }).hits[0]!.snippet).toBe('echo "«本番»環境を停止します"');
  });

  it('returns session metadata with every hit, newest first, and pages with limit/offset', () => {
    const all = searchCommands(conn, { text: 'shadow', limit: 1000 });
    const page = searchCommands(conn, { text: 'shadow', limit: 3, offset: 2 });
    expect(page.hits.map((h) => h.commandId)).toEqual(all.hits.slice(2, 5).map((h) => h.commandId));
    const hit = all.hits[0]!;
    expect(hit).toMatchObject({
      actor: expect.stringMatching(/@example.com$/),
      kind: expect.any(String),
      principalArn: expect.any(String),
    });
    const times = all.hits.map((h) => h.at ?? -1);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('lists the sessions that ran something', () => {
    const expected = new Set(oracle({ text: 'iptables -F' }).map((r) => r.sessionId));
    expect(new Set(searchSessionIds(conn, { text: 'iptables -F' }))).toEqual(expected);
    const short = new Set(oracle({ text: 'w', actor: 'carol@example.com' }).map((r) => r.sessionId));
    expect(new Set(searchSessionIds(conn, { text: 'w', actor: 'carol@example.com' }))).toEqual(short);
  });

  it('lists sessions by asking each for a first match (the plan for common text) exactly as by reading matches', () => {
    for (const q of queries) {
      const { text, limit: _l, offset: _o, ...filters } = q;
      if (!text?.trim()) continue;
      const expected = new Set(oracle(q).map((r) => r.sessionId));
      const asked = sessionsWithAMatch(
        planContext(conn.sqlite, { needle: text, filters, limit: 0, offset: 0 }),
      );
      expect(new Set(asked), label(q)).toEqual(expected);
      expect(new Set(searchSessionIds(conn, q)), label(q)).toEqual(expected);
    }
  });

  it('rejects bad paging and oversized queries with typed errors', async () => {
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidRequestError);
        return (err as InvalidRequestError).reason;
      }
      throw new Error('did not throw');
    };
    expect(reason(() => searchCommands(conn, { limit: 0 }))).toBe('bad_limit');
    expect(reason(() => searchCommands(conn, { limit: 1001 }))).toBe('bad_limit');
    expect(reason(() => searchCommands(conn, { offset: -1 }))).toBe('bad_offset');
    expect(reason(() => searchCommands(conn, { text: 'x'.repeat(1001) }))).toBe('query_too_long');
    expect(() => searchCommands(conn, { text: 'a\u0000b' })).toThrow(/NUL/);
    expect(reason(() => countCommands(conn, { text: '\u0000' }))).toBe('bad_query');
    expect(reason(() => searchSessionIds(conn, { text: 'x'.repeat(1001) }))).toBe('query_too_long');
    expect(reason(() => searchCommands(conn, { cursor: 'not-a-cursor' }))).toBe('bad_cursor');
    // The interface rejects the same way, as a rejected promise.
    await expect(store.commands.search({ limit: 0 })).rejects.toThrow(InvalidRequestError);
    await expect(store.commands.count({ text: 'x'.repeat(1001) })).rejects.toThrow(InvalidRequestError);
  });

  it('answers on an empty store', async () => {
    const { store: emptyStore, conn: empty } = await openLocal('empty.db');
    try {
      expect(searchCommands(empty, { text: 'id' })).toMatchObject({ hits: [], total: 0, totalExact: true });
    } finally {
      await emptyStore.close();
    }
  });
});

describe('trigram counts and case folding', () => {
  it('trusts a trigram count only where FTS5 folds like foldCase (KELVIN SIGN, LONG S)', async () => {
    const { store: localStore, conn: local } = await openLocal('fold.db');
    try {
      const command = secondsApart;
      await putCommands(localStore, 's-1', [command(0, 'kill -9 1'), command(1, 'top -b')]);
      expect(trigramCountIsExact(local.sqlite, 'KILL')).toBe(true);
      expect(trigramCountIsExact(local.sqlite, 'top')).toBe(true);
      // U+212A folds to "k" in FTS5 but not in foldCase: "kill" no longer matches it exactly.
      await putCommands(localStore, 's-2', [command(0, '\u212aill -9 2')]);
      expect(trigramCountIsExact(local.sqlite, 'kill')).toBe(false);
      expect(trigramCountIsExact(local.sqlite, 'top')).toBe(true);
      expect(trigramCountIsExact(local.sqlite, 'ärger')).toBe(false);
      for (const force of ['fts', 'timeline', 'scan'] as const) {
        const out = runPlan(local.sqlite, { needle: 'kill', filters: {}, limit: 10, offset: 0, force });
        expect(out.ids.length, force).toBe(1);
        if (out.totalExact) expect(out.total, force).toBe(1);
        else expect(out.total, force).toBeLessThanOrEqual(1);
      }
      expect(searchCommands(local, { text: 'kill' }).hits.map((h) => h.text)).toEqual(['kill -9 1']);
    } finally {
      await localStore.close();
    }
  });
});

describe('phrase search through the rarest trigrams', () => {
  it('splits text into distinct folded trigrams of code points', () => {
    expect(trigramsOf('RM -rf')).toEqual(['rm ', 'm -', ' -r', '-rf']);
    expect(trigramsOf('aaaa')).toEqual(['aaa']);
    expect(trigramsOf('本番環境')).toEqual(['本番環', '番環境']);
    expect(trigramsOf('ab')).toEqual([]);
  });

  it('intersects the rarest trigrams and keeps only exact matches, in id order', async () => {
    const { store: localStore, conn: local } = await openLocal('rare.db');
    try {
      const command = secondsApart;
      // The junction trigrams of "bar2 foo1" ("r2 ", "2 f", " fo") are common, so the rarest are
      // "bar", "ar2"..., which the decoy "foo1 bar2" has too: only the exact check tells them apart.
      const filler = Array.from({ length: 40 }, (_, i) => command(i + 10, `xr2 2 f fo ${i}`));
      await putCommands(localStore, 's-1', [
        command(0, 'foo1 bar2'),
        command(1, 'BAR2 FOO1 --now'),
        command(2, 'echo bar2 foo1'),
        ...filler,
      ]);
      const ids = local.sqlite.prepare('SELECT id, text FROM commands ORDER BY id').all() as {
        id: number;
        text: string;
      }[];
      const idOf = (text: string) => ids.find((r) => r.text === text)!.id;
      const rare = rarestTrigrams(local.sqlite, 'bar2 foo1');
      expect(rare.terms).toEqual(['bar', 'ar2']);
      expect(rare.estimate).toBeLessThan(5);
      expect(rareTrigramMatches(local.sqlite, 'bar2 foo1', 100)).toEqual([
        idOf('BAR2 FOO1 --now'),
        idOf('echo bar2 foo1'),
      ]);
      expect(rareTrigramMatches(local.sqlite, 'bar2 foo1', 1)).toEqual([idOf('BAR2 FOO1 --now')]);
      expect(rareTrigramMatches(local.sqlite, 'no such text', 100)).toEqual([]);
      // Two trigrams or fewer: nothing to choose from, the phrase query is used as before.
      expect(rareTrigramMatches(local.sqlite, 'bar2', 100)).toBeUndefined();
      expect(searchCommands(local, { text: 'bar2 foo1' }).hits.map((h) => h.text)).toEqual([
        'echo bar2 foo1',
        'BAR2 FOO1 --now',
      ]);
    } finally {
      await localStore.close();
    }
  });
});
