/**
 * Recorded fixtures the current extractor does not yet get exactly right (issue 10). Each such
 * fixture directory holds a pending.json `{reason, forms}`; fixtures.test.ts skips those directories
 * and this file runs them with the same checks: the forms listed as failing run as `it.fails` (so
 * this test fails the day the extractor gets them right, and pending.json must then lose that form
 * or go), every other form as a normal `it`. `npx tsx test/fixtures/generate/evaluate.ts <name>`
 * prints expected vs got.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudWatchLines } from '../../src/ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../../src/ingest/normalize/transcript.ts';
import { extractFromBytes, extractFromCloudWatch } from '../../src/terminal/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';

const root = join(import.meta.dirname, '..', 'fixtures', 'sessions');
const FORMS = ['s3', 'raw', 'cloudwatch'] as const;
type Form = (typeof FORMS)[number];

interface Expected {
  text: string;
  executed: boolean;
  user: string | null;
}

interface Pending {
  reason: string;
  forms: Form[];
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const essentials = (commands: ExtractedCommand[]): Expected[] =>
  commands.map(({ text, executed, user }) => ({ text, executed, user }) as Expected);

const pendingDirs = existsSync(root)
  ? readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'pending.json')))
      .sort()
  : [];

describe('pending fixture sessions (pending.json: known misses of the current extractor)', () => {
  it('every pending.json names a reason and only known forms', () => {
    for (const name of pendingDirs) {
      const pending = JSON.parse(readFileSync(join(root, name, 'pending.json'), 'utf8')) as Pending;
      expect(pending.reason, name).toMatch(/\S/);
      expect(pending.forms.length, name).toBeGreaterThan(0);
      for (const form of pending.forms) expect(FORMS, name).toContain(form);
    }
  });

  for (const name of pendingDirs) {
    const dir = join(root, name);
    const pending = JSON.parse(readFileSync(join(dir, 'pending.json'), 'utf8')) as Pending;
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
      sessionId: string;
      runAsUser?: string;
    };
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
    const options = { startUser: meta.runAsUser ?? 'ssm-user' };
    const test = (form: Form) => (pending.forms.includes(form) ? it.fails : it);

    test('s3')(`${name}: S3 form gives exactly the expected commands`, async () => {
      const result = await extractFromBytes(
        scriptBody(once(readFileSync(join(dir, `${meta.sessionId}.log`)))),
        options,
      );
      expect(essentials(result.commands)).toEqual(expected);
    });

    test('raw')(`${name}: raw bytes give the same commands`, async () => {
      const result = await extractFromBytes([readFileSync(join(dir, 'raw.bin'))], options);
      expect(essentials(result.commands)).toEqual(expected);
    });

    test('cloudwatch')(`${name}: CloudWatch form agrees except where marked lossy`, () => {
      const events = JSON.parse(readFileSync(join(dir, 'cloudwatch.json'), 'utf8'));
      const result = extractFromCloudWatch(cloudWatchLines(events), options);
      expect(result.commands).toHaveLength(expected.length);
      result.commands.forEach((command, i) => {
        if (command.fidelity === 'lossy') return;
        expect(
          { text: command.text, executed: command.executed, user: command.user },
          `command ${i}`,
        ).toEqual(expected[i]);
      });
    });
  }
});
