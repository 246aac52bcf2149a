/**
 * `npm run bench -- start [--runs N] [--sessions N --commands N] [--no-build]`
 *
 * Cold start of the CLI as a user starts it: `shelltrail --help`, `shelltrail --version` and
 * `shelltrail sessions --limit 1` on the search bench's store (bench/gen/corpus.ts; small by
 * default, `--sessions 10000 --commands 1000000` for the search bench's full size), each a fresh
 * process, median of N (20). Three ways side by side, measured interleaved in the same run so load
 * on the machine hits them alike:
 *   - node -e ''     the floor: starting Node itself and doing nothing;
 *   - compiled       bin/shelltrail.js running dist/ (what `npm ci` and an installed package run);
 *   - tsx            bin/shelltrail.js running the TypeScript sources through tsx (the old way).
 * Target: compiled `--help` and `sessions --limit 1` at most 3x the floor. Each command's output is
 * checked to be the same compiled and through tsx.
 *
 * dist/ is rebuilt first when it is missing or older than src/ (`--no-build` skips that and measures
 * whatever dist/ holds). The compiled runs set SHELLTRAIL_RUN_FROM=dist, as an installed package
 * behaves: a checkout additionally checks that dist/ is not older than src/ (timed below, in-process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from './gen/corpus.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'shelltrail.js');
const TARGET_RATIO = 3;

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs; // a file moved, added or deleted here
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

interface Runner {
  name: string;
  argv: (args: string[]) => string[];
  env: Record<string, string | undefined>;
}

/** Child environment without anything that would load a loader into the child (NODE_OPTIONS). */
function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs one fresh process and returns its wall time in ms and its output; throws when it fails. */
function timeOnce(runner: Runner, args: string[]): { ms: number; stdout: string } {
  const started = performance.now();
  const out = spawnSync(process.execPath, runner.argv(args), { env: runner.env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (out.status !== 0) {
    throw new Error(`${runner.name} ${args.join(' ')} exited ${out.status}: ${out.stderr.slice(0, 500)}`);
  }
  return { ms, stdout: out.stdout };
}

function ensureBuild(skip: boolean): void {
  const stamp = join(root, 'dist', '.built');
  const fresh = existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(join(root, 'src'));
  if (fresh || skip) {
    if (!fresh) console.log('dist/ is older than src/ (--no-build): measuring the build as it is');
    return;
  }
  console.log('building dist/ (missing or older than src/)...');
  const built = spawnSync(process.execPath, [join(root, 'bin', 'build.js')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
}

export default async function startBench(args: string[]): Promise<void> {
  const runs = flag(args, 'runs', 20);
  const sessions = flag(args, 'sessions', 1_000);
  const commands = flag(args, 'commands', 20_000);
  ensureBuild(args.includes('--no-build'));

  const corpusName =
    sessions === 10_000 && commands === 1_000_000 ? 'search' : `search-${sessions}-${commands}`;
  const corpus = await ensureCorpus(join(here, 'corpus', corpusName), { sessions, commands });
  console.log(`store: ${corpus.sessions} sessions, ${corpus.commands} commands (${corpus.dbPath})`);

  const runners: Runner[] = [
    { name: "node -e ''", argv: () => ['-e', ''], env: childEnv({}) },
    { name: 'compiled', argv: (a) => [bin, ...a], env: childEnv({ SHELLTRAIL_RUN_FROM: 'dist' }) },
    { name: 'tsx', argv: (a) => [bin, ...a], env: childEnv({ SHELLTRAIL_RUN_FROM: 'src' }) },
  ];
  const cases: { name: string; args: string[]; target: boolean }[] = [
    { name: '--help', args: ['--help'], target: true },
    { name: '--version', args: ['--version'], target: false },
    { name: 'sessions --limit 1', args: ['sessions', '--limit', '1', '--db', corpus.dbPath], target: true },
  ];

  const walkStart = performance.now();
  newestMtime(join(root, 'src'));
  const walkMs = performance.now() - walkStart;

  console.log(`\nmedian of ${runs} fresh processes each, interleaved (ms; x = times the node -e '' floor)`);
  console.log(
    `${'command'.padEnd(20)} ${"node -e ''".padStart(10)} ${'compiled'.padStart(16)} ${'tsx'.padStart(16)} ${'tsx/compiled'.padStart(13)}  target`,
  );
  let met = true;
  for (const c of cases) {
    // One untimed run each: the page cache holds the files afterwards, as it does for a user's
    // second command; checks the outputs match too.
    const outputs = runners.slice(1).map((r) => timeOnce(r, c.args).stdout);
    if (outputs[0] !== outputs[1]) throw new Error(`${c.name}: compiled and tsx output differ`);
    timeOnce(runners[0]!, []);
    const times = runners.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      for (const [k, r] of runners.entries()) times[k]!.push(timeOnce(r, c.args).ms);
    }
    const [floor, compiled, tsx] = times.map(median) as [number, number, number];
    const ratio = compiled / floor;
    const ok = ratio <= TARGET_RATIO;
    if (c.target && !ok) met = false;
    console.log(
      `${c.name.padEnd(20)} ${floor.toFixed(1).padStart(10)} ${`${compiled.toFixed(1)} (${ratio.toFixed(2)}x)`.padStart(16)} ` +
        `${`${tsx.toFixed(1)} (${(tsx / floor).toFixed(2)}x)`.padStart(16)} ${`${(tsx / compiled).toFixed(1)}x`.padStart(13)}  ` +
        (c.target ? `<= ${TARGET_RATIO}x ${ok ? 'met' : 'NOT met'}` : '-'),
    );
  }
  console.log(
    `\nfreshness check a checkout adds before running dist/ (stat of every file in src/): ${walkMs.toFixed(2)} ms`,
  );
  console.log(
    `target (compiled --help and sessions <= ${TARGET_RATIO}x node -e ''): ${met ? 'met' : 'NOT met'}`,
  );
}
