/**
 * The demo dataset: a scenario (who did what, deterministic from a seed) and the parts written
 * from it into a folder that `shelltrail import` reads. To extend the demo, add a part to
 * DEMO_PARTS; each part receives the same scenario, so its files agree with the others'.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isRecordable, kindOfDocument } from '../domain.ts';
import { buildScenario, type DemoScenario } from './scenario.ts';
import { writeTrailPart } from './trail.ts';
import { writeDemoTranscripts } from './transcripts.ts';

export interface DemoPart {
  name: string;
  /** Writes the part's files under `dir`; returns a one-line description for the operator. */
  write(dir: string, scenario: DemoScenario): string;
}

const trailPart: DemoPart = {
  name: 'cloudtrail',
  write(dir, scenario) {
    const { files } = writeTrailPart(dir, scenario);
    return `${files} CloudTrail / lookup-events / describe-sessions files`;
  },
};

/** Session logs the SSM agent would have written; some sessions lack them (audit findings). */
const transcriptsPart: DemoPart = {
  name: 'transcripts',
  write(dir, scenario) {
    const specs = scenario.sessions
      .filter((s) => isRecordable(kindOfDocument(s.documentName)))
      .filter((_, i) => i % 5 !== 3)
      .map((s, i) => ({
        sessionId: s.sessionId,
        target: s.target,
        // One node claims another instance in its log: what a copied or forged transcript looks like.
        ...(i === 5 ? { claimedTarget: 'i-0badc0ffee0000001' } : {}),
        userArn: s.principalArn,
        region: s.region,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        forms: (i % 4 === 1 ? ['s3'] : i % 4 === 2 ? ['cloudwatch'] : ['s3', 'cloudwatch']) as Array<
          's3' | 'cloudwatch'
        >,
      }));
    const written = writeDemoTranscripts(join(dir, 'transcripts'), specs);
    return `${written.s3Logs} S3 session logs, ${written.cloudwatchExports} CloudWatch exports`;
  },
};

export const DEMO_PARTS: DemoPart[] = [trailPart, transcriptsPart];

/**
 * Writes the whole dataset into `dir` (replacing what a previous run left there).
 *
 * @example const { scenario, lines } = generateDemo('./data/demo');
 */
export function generateDemo(dir: string, seed = 42): { scenario: DemoScenario; lines: string[] } {
  rmSync(dir, { recursive: true, force: true });
  const scenario = buildScenario(seed);
  const lines = DEMO_PARTS.map((part) => `${part.name}: ${part.write(dir, scenario)}`);
  return { scenario, lines };
}
