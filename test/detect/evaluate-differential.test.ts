/**
 * The fast path (literal prefilter, dropped weak groups, regex literal gates with their case-exact
 * check) against the straightforward evaluation: every rule tested on every simple command of
 * every line, no index, no gate skipped. Lines from the bench's generators (benign admin work with
 * attack lines mixed in, and every attack template), as typed, upper-cased and with letters' case flipped at random (the gates
 * fold case or not depending on the pattern); rules: the built-in pack, the SigmaHQ fixture and
 * generated Sigma-style rules.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackLines } from '../../bench/gen/detect-corpus.ts';
import { generatedRules, loadLines } from '../../bench/gen/detect-load.ts';
import { seededRng } from '../../bench/gen/random.ts';
import { parseShell, type ShellCommand } from '../../src/detect/shell/index.ts';
import type { MatchTarget } from '../../src/detect/sigma/compile.ts';
import {
  compileRuleSet,
  type EvaluateInput,
  evaluate,
  type LoadedRule,
  type LoadReport,
  loadRules,
  loadRuleText,
} from '../../src/detect/sigma/index.ts';

const sigmaHq = join(import.meta.dirname, '..', 'fixtures', 'sigmahq', 'rules');

function eventTarget(c: ShellCommand, input: EvaluateInput): MatchTarget {
  const s = input.session;
  const values = [
    c.image,
    c.commandLine,
    c.parentImage || undefined,
    c.parentCommandLine || undefined,
    c.user ?? input.user,
    input.cwd,
    s?.target,
    s?.actor,
    s?.principal,
    s?.account,
    s?.region,
  ];
  return {
    value: (f) => values[f],
    lower: (f) => values[f]?.toLowerCase(),
    texts: () => [],
  };
}

function lineTarget(typed: string, normalized: string): MatchTarget {
  const raw = typed === normalized ? [normalized] : [typed, normalized];
  const low = raw.map((t) => t.toLowerCase());
  return { value: () => undefined, lower: () => undefined, texts: (lower) => (lower ? low : raw) };
}

/** Every rule on every event (or on the line, for keyword rules): ids of the rules that match. */
function straightforward(rules: LoadedRule[], input: EvaluateInput): string[] {
  const parsed = parseShell(input.text, input.cwd ? { cwd: input.cwd } : {});
  const events = parsed.commands.map((c) => eventTarget(c, input));
  const line = lineTarget(input.text, parsed.normalized);
  return rules
    .filter((r) => (r.kind === 'keyword' ? r.detection.test(line) : events.some((e) => r.detection.test(e))))
    .map((r) => r.id)
    .sort();
}

function flipCase(text: string, rng: ReturnType<typeof seededRng>): string {
  let out = '';
  for (const ch of text)
    out += rng.chance(0.3) ? (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) : ch;
  return out;
}

describe('fast evaluation equals the straightforward one', () => {
  const rng = seededRng(0x5eed);
  const { rules } = loadRules({ builtin: true, dirs: [sigmaHq] });
  const extra: LoadedRule[] = [];
  const report: LoadReport = { loaded: 0, skipped: [], notApplicable: [] };
  loadRuleText(generatedRules(rng, 100), 'generated', extra, report);
  const all = [...rules, ...extra];
  const set = compileRuleSet(all);
  // Benign lines (with ~1% attacks) and every attack technique's templates, 10 each.
  const lines = [...loadLines(rng, 2_000), ...attackLines(rng, 10).map((l) => l.text)];

  it.each([
    ['as typed', (l: string) => l],
    ['upper-cased', (l: string) => l.toUpperCase()],
    ['with case flipped at random', (l: string) => flipCase(l, rng)],
  ])('on 2,000 generated lines and the attack templates, %s', (_name, vary) => {
    let matching = 0;
    for (const text of lines) {
      const input: EvaluateInput = { text: vary(text), user: 'ssm-user', cwd: '/home/ssm-user' };
      const expected = straightforward(all, input);
      const got = evaluate(set, input).map((r) => r.id);
      expect(got, input.text).toEqual(expected);
      if (expected.length > 0) matching++;
    }
    // The comparison means something only if the lines do match rules.
    expect(matching).toBeGreaterThan(300);
  });
});
