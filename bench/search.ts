/**
 * `npm run bench -- search [--runs N] [--set-runs N] [--rg-runs N] [--sessions N --commands N] [--no-rg]`
 *
 * Times `store.commands.search` over a generated store (10,000 sessions, 1,000,000 commands by default)
 * for every query in bench/search-queries.json, and in the same run times ripgrep over the same
 * activity written as one `script`-style transcript per session. For each query it checks that
 * both find the same set of sessions. Targets: p99 < 50 ms per query, >= 100x faster than rg.
 *
 * Three comparisons are printed. "page" is what a user waits for (`commands.search`: one page of 50
 * hits, newest first; its total is exact only when the page saw every match, else "more than 50").
 * "count" is the exact number of matches up to 10,000 (`commands.count`, which the CLI adds under
 * the page and a UI can load after it). "set" is like for like with `rg -l`, which lists every
 * matching file: `commands.sessionIds`, every session with a match. Every timed body (ours and rg's)
 * runs once untimed first, so no figure includes a cold page cache or statement preparation.
 *
 * rg is run two ways: `rg -F -i -l <text>` (the plain literal search the target is measured against)
 * and a prompt-anchored regex (`^[user@host cwd]$ .*<text>`), which has the same meaning as ours
 * (the text was typed at a prompt, not printed by a program) and is the one the session sets are
 * compared with; the plain literal also finds the text in command output, and its set size is shown.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type SearchQuery, type Store } from '../src/store/index.ts';
import { connOf } from '../src/store/sqlite/store.ts';
import { ensureCorpus } from './gen/corpus.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface BenchQuery {
  name: string;
  query: Omit<SearchQuery, 'since' | 'until'> & { since?: string; until?: string };
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

function regexEscape(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function rg(args: string[], dir: string): { ms: number; sessions: Set<string> } {
  const started = performance.now();
  const out = spawnSync('rg', ['--no-config', ...args, dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = performance.now() - started;
  if (out.status !== 0 && out.status !== 1) throw new Error(`rg failed (${out.status}): ${out.stderr}`);
  const sessions = new Set(
    out.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => basename(f, '.log')),
  );
  return { ms: elapsed, sessions };
}

async function timed<T>(runs: number, body: () => Promise<T>): Promise<{ times: number[]; last: T }> {
  let last = await body(); // warm: first run pulls pages into the cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await body();
    times.push(performance.now() - started);
  }
  return { times: times.sort((a, b) => a - b), last };
}

/**
 * Sessions allowed by the session-level filters (rg cannot know actor, target, account...). Exact
 * column equality, which no interface method offers (sessions.list matches actors by pattern, has
 * no principal filter and pages), so it reads the SQLite dialect's connection directly: bench bookkeeping, not timed.
 */
function sessionsAllowed(store: Store, q: SearchQuery): Set<string> | undefined {
  const cols: [keyof SearchQuery, string][] = [
    ['actor', 'actor'],
    ['principal', 'principal_arn'],
    ['target', 'target'],
    ['account', 'account_id'],
    ['region', 'region'],
    ['kind', 'kind'],
  ];
  const used = cols.filter(([k]) => q[k] !== undefined);
  if (used.length === 0) return undefined;
  const sql = `SELECT session_id FROM sessions WHERE ${used.map(([, c]) => `${c} = ?`).join(' AND ')}`;
  return new Set(
    connOf(store)
      .sqlite.prepare(sql)
      .pluck()
      .all(...used.map(([k]) => q[k])) as string[],
  );
}

export default async function searchBench(args: string[]): Promise<void> {
  const runs = flag(args, 'runs', 30);
  const rgRuns = flag(args, 'rg-runs', 3);
  const setRuns = flag(args, 'set-runs', 10);
  const countRuns = flag(args, 'count-runs', 10);
  const withRg = !args.includes('--no-rg') && spawnSync('rg', ['--version']).status === 0;
  const sessions = flag(args, 'sessions', 10_000);
  const commands = flag(args, 'commands', 1_000_000);
  const root = join(
    here,
    'corpus',
    sessions === 10_000 && commands === 1_000_000 ? 'search' : `search-${sessions}-${commands}`,
  );

  const buildStart = performance.now();
  const corpus = await ensureCorpus(root, { sessions, commands });
  const buildMs = performance.now() - buildStart;
  console.log(
    `corpus: ${corpus.sessions} sessions, ${corpus.commands} commands; store ${(corpus.dbBytes / 1e6).toFixed(0)} MB, ` +
      `transcripts ${(corpus.transcriptBytes / 1e6).toFixed(0)} MB (${root})`,
  );
  console.log(
    buildMs > 1000
      ? `  generated in ${(corpus.buildMs / 1000).toFixed(1)} s`
      : '  (cached; delete bench/corpus/ to regenerate)',
  );
  if (!withRg) console.log('  rg not found or --no-rg: no ripgrep reference (apt-get install -y ripgrep)');

  const queries = JSON.parse(readFileSync(join(here, 'search-queries.json'), 'utf8')) as BenchQuery[];
  const store = await openStore(corpus.dbPath, { readonly: true });
  if (withRg) rg(['-F', '-i', '-l', '-e', 'warm the page cache'], corpus.transcriptsDir);

  const header = [
    'query',
    'hits',
    'plan',
    'p50 ms',
    'p99 ms',
    'count p50',
    'set p50',
    'set p99',
    'rg -F ms',
    'rg ms',
    'page x',
    'count x',
    'set x',
    'sessions',
    'check',
  ];
  const table: string[][] = [];
  const allTimes: number[] = [];
  const speedups: number[] = [];
  const setSpeedups: number[] = [];
  const countSpeedups: number[] = [];
  let mismatches = 0;
  let slow = 0;
  for (const { name, query: raw } of queries) {
    const query: SearchQuery = {
      ...raw,
      since: raw.since ? Date.parse(raw.since) : undefined,
      until: raw.until ? Date.parse(raw.until) : undefined,
    };
    const { times, last } = await timed(runs, () => store.commands.search(query));
    allTimes.push(...times);
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    if (p99 >= 50) slow++;
    const { limit: _l, offset: _o, ...countQuery } = query;
    const counted = await timed(countRuns, () => store.commands.count(countQuery));
    const countP50 = percentile(counted.times, 50);
    const hits = `${counted.last.total}${counted.last.exact ? '' : '+'}`;
    const row = [name, hits, last.plan, ms(p50), ms(p99), ms(countP50)];
    if (!withRg || !query.text) {
      table.push([
        ...row,
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        query.text ? '' : 'no text: no rg equivalent',
      ]);
      continue;
    }
    const set = await timed(setRuns, () => store.commands.sessionIds(query));
    const ours = new Set(set.last);
    const setP50 = percentile(set.times, 50);
    const prompt = `^\\[${query.user ? regexEscape(query.user) : '[^@\\]]+'}@[^\\] ]+ [^\\]]*\\][$#] .*${regexEscape(query.text)}`;
    const plainArgs = ['-F', '-i', '-l', '-e', query.text!];
    const anchoredArgs = ['-i', '-l', '-e', prompt];
    rg(plainArgs, corpus.transcriptsDir); // warm-up, as for ours
    const plain = Array.from({ length: rgRuns }, () => rg(plainArgs, corpus.transcriptsDir));
    rg(anchoredArgs, corpus.transcriptsDir);
    const anchored = Array.from({ length: rgRuns }, () => rg(anchoredArgs, corpus.transcriptsDir));
    const rgPlain = percentile(
      plain.map((r) => r.ms).sort((a, b) => a - b),
      50,
    );
    const rgAnchored = percentile(
      anchored.map((r) => r.ms).sort((a, b) => a - b),
      50,
    );
    const speedup = Math.min(rgPlain, rgAnchored) / p50;
    speedups.push(speedup);
    const setSpeedup = Math.min(rgPlain, rgAnchored) / setP50;
    setSpeedups.push(setSpeedup);
    const countSpeedup = Math.min(rgPlain, rgAnchored) / countP50;
    countSpeedups.push(countSpeedup);
    let check: string;
    if (query.since !== undefined || query.until !== undefined) check = 'time filter: not comparable';
    else {
      const allowed = sessionsAllowed(store, query);
      const theirs = [...anchored[0]!.sessions].filter((s) => !allowed || allowed.has(s));
      const same = theirs.length === ours.size && theirs.every((s) => ours.has(s));
      if (!same) mismatches++;
      check = same ? 'same' : `MISMATCH: rg ${theirs.length} vs ours ${ours.size}`;
      if (plain[0]!.sessions.size !== theirs.length && !allowed && !query.user)
        check += ` (rg -F ${plain[0]!.sessions.size}: also in output)`;
    }
    table.push([
      ...row,
      ms(setP50),
      ms(percentile(set.times, 99)),
      ms(rgPlain),
      ms(rgAnchored),
      `${speedup.toFixed(0)}x`,
      `${countSpeedup.toFixed(0)}x`,
      `${setSpeedup.toFixed(0)}x`,
      String(ours.size),
      check,
    ]);
  }
  await store.close();

  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 || i >= 13 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\npage: ${runs} timed runs per query, count: ${countRuns}, set: ${setRuns}, each after one warm-up, no result cache; ` +
      `rg: median of ${rgRuns} runs after one warm-up\n`,
  );
  console.log(line(header));
  for (const r of table) console.log(line(r));
  allTimes.sort((a, b) => a - b);
  console.log(
    `\nall queries: p50 ${ms(percentile(allTimes, 50))} ms, p99 ${ms(percentile(allTimes, 99))} ms (target < 50 ms)`,
  );
  console.log(`queries with p99 >= 50 ms: ${slow} of ${queries.length}`);
  const summary = (label: string, xs: number[]) => {
    if (!xs.length) return;
    const sorted = [...xs].sort((a, b) => a - b);
    const geo = Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
    console.log(
      `speedup vs rg, ${label} (faster rg form, p50 vs p50): median ${percentile(sorted, 50).toFixed(0)}x, ` +
        `geometric mean ${geo.toFixed(0)}x, worst ${sorted[0]!.toFixed(1)}x, ` +
        `>= 100x for ${xs.filter((x) => x >= 100).length} of ${xs.length} (target >= 100x)`,
    );
  };
  summary('page', speedups);
  summary('exact count', countSpeedups);
  summary('session set', setSpeedups);
  if (mismatches) console.log(`\n!!! ${mismatches} QUERIES FOUND A DIFFERENT SET OF SESSIONS THAN rg !!!`);
  else if (withRg) console.log('session sets: identical to rg for every comparable query');
}
