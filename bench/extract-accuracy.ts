/**
 * The accuracy half of `npm run bench -- extract`: every recorded fixture session in
 * test/fixtures/sessions, in the S3 form and the CloudWatch form, scored against its expected.json
 * (written from the keystroke script), then summed per issue-10 class (meta.json `issue10Classes`;
 * a fixture may serve several classes) and per form.
 *
 * Scoring: a command is exact when text, executed flag and effective user all equal the expected
 * command at the same position. Extra commands count against (the denominator is the larger of
 * expected and extracted), and a wrong command counts as wrong whatever its `fidelity` says:
 * marking doubt is not a way to score. The lossy and uncertain shares are reported beside, as the
 * share of extracted commands carrying that mark; on the S3 form of recorded sessions they should
 * be 0.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudWatchLines } from '../src/ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../src/ingest/normalize/transcript.ts';
import { extractFromBytes, extractFromCloudWatch } from '../src/terminal/index.ts';
import type { ExtractedCommand } from '../src/terminal/types.ts';

interface Expected {
  text: string;
  /** Null: the extractor could not tell whether it ran (fidelity 'uncertain'). */
  executed: boolean | null;
  user: string | null;
}

interface Meta {
  sessionId: string;
  runAsUser?: string;
  issue10Classes?: number[];
}

type Form = 'S3' | 'CloudWatch';

/** What one form of one fixture scored. */
interface Score {
  expected: number;
  extracted: number;
  exact: number;
  lossy: number;
  uncertain: number;
}

const CLASS_NAMES: Record<string, string> = {
  '1': '1 output imitating a prompt',
  '2': '2 history recall + mid-line edit',
  '3': '3 reverse search',
  '4': '4 lines wider than the terminal',
  '5': '5 wide and combining characters',
  '6': '6 bracketed paste',
  '7': '7 Ctrl-C after typing/backspace',
  '8': '8 CloudWatch-form traps',
  earlier: 'earlier fixtures (no class)',
};

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Exact match; unknown (null) equals only an expected null. */
function same(a: Expected, b: Expected): boolean {
  return a.text === b.text && a.executed === b.executed && a.user === b.user;
}

function score(expected: Expected[], commands: ExtractedCommand[]): Score {
  return {
    expected: expected.length,
    extracted: commands.length,
    exact: expected.filter((e, i) => commands[i] !== undefined && same(commands[i]!, e)).length,
    lossy: commands.filter((c) => c.fidelity === 'lossy').length,
    uncertain: commands.filter((c) => c.fidelity === 'uncertain').length,
  };
}

function add(into: Score, s: Score): void {
  into.expected += s.expected;
  into.extracted += s.extracted;
  into.exact += s.exact;
  into.lossy += s.lossy;
  into.uncertain += s.uncertain;
}

const empty = (): Score => ({ expected: 0, extracted: 0, exact: 0, lossy: 0, uncertain: 0 });

/** "exact 97.0% (97/100)  lossy 2.0%  uncertain 0.0%"; the rate's denominator counts extras. */
function describe(s: Score): string {
  const out = Math.max(s.expected, s.extracted);
  const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : 'n/a');
  return (
    `exact ${pct(s.exact, out).padStart(6)} (${s.exact}/${out})`.padEnd(26) +
    `lossy ${pct(s.lossy, s.extracted).padStart(6)}  uncertain ${pct(s.uncertain, s.extracted).padStart(6)}`
  );
}

async function scoreFixture(dir: string): Promise<{ meta: Meta; byForm: Record<Form, Score> }> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
  const options = { startUser: meta.runAsUser ?? 'ssm-user' };
  // A fixture always has both forms (fixtures.test.ts fails on a missing one): read both.
  const s3 = await extractFromBytes(
    scriptBody(once(readFileSync(join(dir, `${meta.sessionId}.log`)))),
    options,
  );
  const events = JSON.parse(readFileSync(join(dir, 'cloudwatch.json'), 'utf8'));
  const cw = extractFromCloudWatch(cloudWatchLines(events), options);
  return { meta, byForm: { S3: score(expected, s3.commands), CloudWatch: score(expected, cw.commands) } };
}

/** Prints the per-class, per-form table and the fixtures that are not exact. */
export async function printAccuracy(sessionsDir: string): Promise<void> {
  const dirs = existsSync(sessionsDir)
    ? readdirSync(sessionsDir)
        .filter((d) => existsSync(join(sessionsDir, d, 'expected.json')))
        .sort()
    : [];
  const totals: Record<Form, Score> = { S3: empty(), CloudWatch: empty() };
  const perClass = new Map<string, Record<Form, Score>>();
  const misses: string[] = [];
  for (const name of dirs) {
    const { meta, byForm } = await scoreFixture(join(sessionsDir, name));
    const classes = meta.issue10Classes?.length ? meta.issue10Classes.map(String) : ['earlier'];
    for (const form of ['S3', 'CloudWatch'] as const) {
      const s = byForm[form];
      add(totals[form], s);
      for (const c of classes) {
        if (!perClass.has(c)) perClass.set(c, { S3: empty(), CloudWatch: empty() });
        add(perClass.get(c)![form], s);
      }
      if (s.exact < Math.max(s.expected, s.extracted))
        misses.push(`${name} (${form} ${s.exact}/${s.expected} exact, ${s.extracted} extracted)`);
    }
  }
  console.log(`accuracy over ${dirs.length} fixture sessions, ${totals.S3.expected} expected commands`);
  console.log(`  all, S3 form:          ${describe(totals.S3)}`);
  console.log(`  all, CloudWatch form:  ${describe(totals.CloudWatch)}`);
  const order = [...perClass.keys()].sort((a, b) => (a === 'earlier' ? 1 : b === 'earlier' ? -1 : +a - +b));
  console.log('  per issue-10 class (a fixture may count in several):');
  for (const c of order) {
    const label = CLASS_NAMES[c] ?? c;
    const s = perClass.get(c)!;
    console.log(`    ${label.padEnd(34)} S3          ${describe(s.S3)}`);
    console.log(`    ${''.padEnd(34)} CloudWatch  ${describe(s.CloudWatch)}`);
  }
  for (const miss of misses) console.log(`  not exact: ${miss}`);
}
