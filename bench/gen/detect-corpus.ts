/**
 * The labelled detection corpus (`npm run bench -- detect-quality` reads it): attack lines labelled
 * with a technique id (distinct per technique, obfuscated forms included), and DISTINCT benign lines
 * labelled with their category (bench/gen/detect-admin.ts: everyday admin work, and `risky:*`
 * categories of legitimate commands that look dangerous). Deterministic from its seed; the
 * committed copy in bench/detect-corpus/ is what the quality bench measures, so the rules cannot
 * drift with it. It is generated here and shares no line with the rule tests in
 * test/detect/builtin-rules.test.ts (the bench checks).
 *
 * Regenerate: `node --import tsx bench/gen/detect-corpus.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benignCategories } from './detect-admin.ts';
import { typo } from './detect-admin-vocab.ts';
import { firstAttackTemplates, type Template } from './detect-attacks.ts';
import { moreAttackTemplates } from './detect-attacks-more.ts';
import { everyday, risky } from './detect-benign.ts';
import { wrap } from './detect-obfuscate.ts';
import { type Rng, seededRng } from './random.ts';

export const CORPUS_SEED = 0x5e11;
export const attackTemplates: Record<string, Template[]> = {
  ...firstAttackTemplates,
  ...moreAttackTemplates,
};

export interface LabelledLine {
  text: string;
  /**
   * A technique id for attacks; the category for corpus benign lines (`packages`, `git`,
   * `risky:firewall`, ...); `benign` or `benign-risky` for the speed bench's load (benignLine).
   */
  label: string;
  user?: string;
}

/** `perTechnique` distinct attack lines per technique, templates taken in turn, wrappers added at random. */
export function attackLines(rng: Rng, perTechnique: number): LabelledLine[] {
  const out: LabelledLine[] = [];
  for (const [technique, templates] of Object.entries(attackTemplates)) {
    const seen = new Set<string>();
    for (let i = 0, tries = 0; seen.size < perTechnique && tries < perTechnique * 50; i++, tries++) {
      const text = wrap(rng, templates[i % templates.length]!(rng));
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text, label: technique, ...(rng.chance(0.3) ? { user: 'root' } : {}) });
    }
  }
  return out;
}

/**
 * Distinct benign lines per category, up to each category's quota (fewer when its templates run
 * out of variety, which the bench reports). About 1.5% carry a typing slip in the command name; a
 * line already taken by an earlier category is not repeated.
 */
export function categorizedBenignLines(rng: Rng, exclude: ReadonlySet<string> = new Set()): LabelledLine[] {
  const seen = new Set<string>(exclude);
  const out: LabelledLine[] = [];
  for (const [category, { templates, quota }] of Object.entries(benignCategories)) {
    let got = 0;
    for (let tries = 0; got < quota && tries < quota * 40; tries++) {
      let text = rng.pick(templates)(rng);
      if (rng.chance(0.015)) text = typo(rng, text);
      if (seen.has(text)) continue;
      seen.add(text);
      got++;
      out.push({ text, label: category, ...(rng.chance(0.12) ? { user: 'root' } : {}) });
    }
  }
  return out;
}

/**
 * One benign line for the detection speed bench's load (detect-load.ts): everyday work most of the
 * time, a risky-but-legitimate command otherwise. Unlabelled by category; kept as it was so the
 * speed figures stay comparable.
 */
export function benignLine(rng: Rng): LabelledLine {
  const isRisky = rng.chance(0.15);
  const text = rng.pick(isRisky ? risky : everyday)(rng);
  return { text, label: isRisky ? 'benign-risky' : 'benign', ...(rng.chance(0.2) ? { user: 'root' } : {}) };
}

export function benignLines(rng: Rng, count: number): LabelledLine[] {
  return Array.from({ length: count }, () => benignLine(rng));
}

const toNdjson = (lines: LabelledLine[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'detect-corpus');

/**
 * Every string literal of the built-in rule tests: the corpus must not contain them (it would
 * then measure lines the rules were written against). The generator skips them and the bench
 * counts any that appear.
 */
export function ruleTestLines(): Set<string> {
  const file = join(corpusDir, '..', '..', 'test', 'detect', 'builtin-rules.test.ts');
  const out = new Set<string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g))
    out.add(m[1] ?? m[2] ?? '');
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rng = seededRng(CORPUS_SEED);
  const attacks = attackLines(rng, 60);
  const benign = categorizedBenignLines(rng, ruleTestLines());
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(join(corpusDir, 'attacks.ndjson'), toNdjson(attacks));
  writeFileSync(join(corpusDir, 'benign.ndjson'), toNdjson(benign));
  console.log(`wrote ${attacks.length} attack lines and ${benign.length} benign lines to ${corpusDir}`);
}
