/**
 * `npm run bench -- detect [--lines N]`: detection throughput over 1,000,000 realistic command lines
 * (>= 900,000 distinct) against the built-in pack + SigmaHQ's Linux rules (test fixture) + generated
 * Sigma-style rules (>= 200 beyond the pack). Printed in the same run: the parse-only floor (the same
 * lines through the shell parser alone) and, as a ceiling for reference, one precompiled combined
 * regex over the raw lines. Targets: >= 100,000 lines/s and evaluation >= 0.5x the parse-only floor.
 */
import { join } from 'node:path';
import { parseShell } from '../src/detect/shell/index.ts';
import {
  compileRuleSet,
  evaluateParsed,
  type LoadedRule,
  type LoadReport,
  loadRules,
  loadRuleText,
} from '../src/detect/sigma/index.ts';
import { generatedRules, loadLines } from './gen/detect-load.ts';
import { seededRng } from './gen/random.ts';

const sigmaHq = join(import.meta.dirname, '..', 'test', 'fixtures', 'sigmahq', 'rules');

function time(label: string, lines: string[], run: (line: string) => number): number {
  const started = performance.now();
  let sink = 0;
  for (const line of lines) sink += run(line);
  const seconds = (performance.now() - started) / 1000;
  const rate = lines.length / seconds;
  console.log(
    `  ${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} lines/s  (${seconds.toFixed(2)} s, ${sink} hits)`,
  );
  return rate;
}

/**
 * The floor and the full run over the same chunks of lines, alternating: on a shared machine whose
 * load changes during the run, both see the same load, so their ratio stays meaningful.
 */
function interleaved(lines: string[], floor: (l: string) => number, full: (l: string) => number): number {
  let floorMs = 0;
  let fullMs = 0;
  let sink = 0;
  for (let i = 0; i < lines.length; i += 10_000) {
    const chunk = lines.slice(i, i + 10_000);
    let t = performance.now();
    for (const l of chunk) sink += floor(l);
    floorMs += performance.now() - t;
    t = performance.now();
    for (const l of chunk) sink += full(l);
    fullMs += performance.now() - t;
  }
  console.log(
    `  interleaved in chunks of 10,000: floor ${Math.round(lines.length / (floorMs / 1000)).toLocaleString('en-US')} lines/s, ` +
      `parse + evaluate ${Math.round(lines.length / (fullMs / 1000)).toLocaleString('en-US')} lines/s (${sink > 0 ? 'ok' : 'no hits'})`,
  );
  return floorMs / fullMs;
}

export default async function (args: string[]): Promise<void> {
  const flag = args.indexOf('--lines');
  const count = flag >= 0 ? Number(args[flag + 1]) : 1_000_000;
  const rng = seededRng(0xde7ec7);
  const lines = loadLines(rng, count);
  const distinct = new Set(lines).size;
  const { rules, report } = loadRules({ builtin: true, dirs: [sigmaHq] });
  const extra: LoadedRule[] = [];
  const extraReport: LoadReport = { loaded: 0, skipped: [], notApplicable: [] };
  loadRuleText(generatedRules(rng, 100), 'generated', extra, extraReport);
  const all = [...rules, ...extra];
  const builtin = rules.filter((r) => r.author === 'shelltrail').length;
  console.log(`${count.toLocaleString('en-US')} lines, ${distinct.toLocaleString('en-US')} distinct`);
  console.log(
    `${all.length} rules: ${builtin} built-in + ${all.length - builtin} Sigma-style (${report.loaded - builtin} SigmaHQ, ${extraReport.loaded} generated; ${report.skipped.length + extraReport.skipped.length} skipped)`,
  );
  const set = compileRuleSet(all);
  const literals = [
    ...new Set(all.flatMap((r) => (r.detection.anchors ?? []).map((a) => a.replace(/^\u0001/, '')))),
  ];
  const combined = new RegExp(literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
  console.log(`  (${set.unanchored.length} rules have no required literal and are checked on every line)`);
  // Warm up the JIT on a slice so the first measured pass is not penalised.
  for (const line of lines.slice(0, 20_000)) evaluateParsed(set, { text: line }, parseShell(line));
  const floor = time('parse only (floor)', lines, (l) => parseShell(l).commands.length);
  const full = time(
    'parse + evaluate',
    lines,
    (l) => evaluateParsed(set, { text: l, user: 'ssm-user' }, parseShell(l)).length,
  );
  time(`one combined regex of ${literals.length} literals (ceiling)`, lines, (l) =>
    combined.test(l) ? 1 : 0,
  );
  const ratio = interleaved(
    lines,
    (l) => parseShell(l).commands.length,
    (l) => evaluateParsed(set, { text: l, user: 'ssm-user' }, parseShell(l)).length,
  );
  console.log(
    `  evaluation at ${(full / floor).toFixed(2)}x the parse-only floor in separate passes, ${ratio.toFixed(2)}x interleaved ` +
      '(target >= 0.5x); target >= 100,000 lines/s',
  );
}
