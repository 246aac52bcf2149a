/**
 * Suppression matching: a suppression names a rule (or none: every rule) and wildcard patterns
 * (`*`, case-insensitive) for actor, target and command; every pattern it has must match. Uses the
 * detection engine's linear glob matcher, never a regex built from user text.
 */
import type { SuppressionConfig } from '../config-detection.ts';
import { globTester, lowerGlob, parseGlob } from '../detect/sigma/pattern.ts';
import type { Suppression } from '../store/index.ts';

export interface SuppressionSubject {
  ruleId: string;
  actor: string | null;
  target: string | null;
  commandText: string | null;
}

export interface Suppressor {
  /** The reason of the first suppression that applies at `now`, or null. */
  reasonFor(subject: SuppressionSubject, now: number): string | null;
}

interface Compiled {
  ruleId: string | null;
  tests: { field: 'actor' | 'target' | 'commandText'; test: (v: string) => boolean }[];
  reason: string;
  expiresAt: number | null;
}

function wildcard(pattern: string): (value: string) => boolean {
  const test = globTester(lowerGlob(parseGlob(pattern)));
  return (value) => test(value.toLowerCase());
}

function compile(s: {
  ruleId: string | null;
  actor: string | null;
  target: string | null;
  command: string | null;
  reason: string;
  expiresAt: number | null;
}): Compiled {
  const tests: Compiled['tests'] = [];
  if (s.actor) tests.push({ field: 'actor', test: wildcard(s.actor) });
  if (s.target) tests.push({ field: 'target', test: wildcard(s.target) });
  if (s.command) tests.push({ field: 'commandText', test: wildcard(s.command) });
  return { ruleId: s.ruleId, tests, reason: s.reason, expiresAt: s.expiresAt };
}

/** Config suppressions in the store's shape (`expires` as a time). */
export function fromConfig(list: SuppressionConfig[]): Parameters<typeof compile>[0][] {
  return list.map((s) => ({
    ruleId: s.rule ?? null,
    actor: s.actor ?? null,
    target: s.target ?? null,
    command: s.command ?? null,
    reason: s.reason,
    expiresAt: s.expires ? Date.parse(s.expires) : null,
  }));
}

/**
 * One suppressor over the config's suppressions and the store's (UI-made) ones.
 *
 * @example createSuppressor(config.detection.suppressions, await store.suppressions.list({ activeAt: now }))
 */
export function createSuppressor(fromFile: SuppressionConfig[], stored: Suppression[]): Suppressor {
  const all = [...fromConfig(fromFile), ...stored].map(compile);
  return {
    reasonFor(subject, now) {
      for (const s of all) {
        if (s.expiresAt !== null && s.expiresAt <= now) continue;
        if (s.ruleId !== null && s.ruleId !== subject.ruleId) continue;
        if (s.tests.every((t) => subject[t.field] !== null && t.test(subject[t.field]!))) return s.reason;
      }
      return null;
    },
  };
}
