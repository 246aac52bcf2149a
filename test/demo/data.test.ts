/**
 * The demo's recordings ship in demo-data/ (a packed install has no test/ folder). They are copies
 * of test fixtures: this fails when a copy drifts from its fixture, or when the package would not
 * carry the folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_TRANSCRIPTS_DIR, demoFixtureNames } from '../../src/demo/transcripts.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/sessions');

describe('demo data', () => {
  it('is the S3 log and the CloudWatch events of recorded fixtures, byte for byte', () => {
    const names = demoFixtureNames();
    expect(names.length).toBeGreaterThan(5);
    expect(readdirSync(DEMO_TRANSCRIPTS_DIR).filter((f) => f !== 'README.md')).toHaveLength(names.length * 2);
    for (const name of names) {
      const { sessionId } = JSON.parse(readFileSync(join(FIXTURES, name, 'meta.json'), 'utf8')) as {
        sessionId: string;
      };
      const copy = (file: string) => readFileSync(join(DEMO_TRANSCRIPTS_DIR, file));
      expect(copy(`${name}.log`).equals(readFileSync(join(FIXTURES, name, `${sessionId}.log`))), name).toBe(
        true,
      );
      expect(
        copy(`${name}.cloudwatch.json`).equals(readFileSync(join(FIXTURES, name, 'cloudwatch.json'))),
        name,
      ).toBe(true);
    }
  });

  it('is resolved from the package root and listed in package.json "files"', () => {
    expect(DEMO_TRANSCRIPTS_DIR).toBe(join(ROOT, 'demo-data/transcripts/'));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files?: string[] };
    expect(pkg.files).toContain('demo-data/');
  });
});
