/**
 * The labelled detection corpus (`npm run bench -- detect-quality` reads it): attack lines labelled
 * with a technique id, and benign lines labelled `benign` (everyday admin work) or `benign-risky`
 * (legitimate commands that look dangerous). Deterministic from its seed; the committed copy in
 * bench/detect-corpus/ is what the quality bench measures, so the rules cannot drift with it.
 *
 * Regenerate: `node --import tsx bench/gen/detect-corpus.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** A technique id for attacks; `benign` or `benign-risky` otherwise. */
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

/** One benign line: everyday work most of the time, a risky-but-legitimate command otherwise. */
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rng = seededRng(CORPUS_SEED);
  const attacks = attackLines(rng, 60);
  const benign = benignLines(rng, 24_000);
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(join(corpusDir, 'attacks.ndjson'), toNdjson(attacks));
  writeFileSync(join(corpusDir, 'benign.ndjson'), toNdjson(benign));
  console.log(`wrote ${attacks.length} attack lines and ${benign.length} benign lines to ${corpusDir}`);
}
