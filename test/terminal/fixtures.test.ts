/**
 * Accuracy over real-shell recordings (test/fixtures/sessions/<name>/): the S3 form must give
 * exactly expected.json, the CloudWatch form too except commands it marks lossy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudWatchLines, scriptBody } from '../../src/ingest/transcript.ts';
import { extractFromBytes, extractFromCloudWatch } from '../../src/terminal/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';

const root = join(import.meta.dirname, '..', 'fixtures', 'sessions');

interface Expected {
  text: string;
  executed: boolean;
  user: string | null;
}

interface Meta {
  sessionId: string;
  runAsUser?: string;
}

export function fixtureDirs(): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter(
      (name) => existsSync(join(root, name, 'expected.json')) && existsSync(join(root, name, 'meta.json')),
    )
    .sort();
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function essentials(commands: ExtractedCommand[]): Expected[] {
  return commands.map(({ text, executed, user }) => ({ text, executed, user }));
}

const dirs = fixtureDirs();
/**
 * Known CloudWatch-form gaps (expected to fail until fixed; `it.fails` flags the day they pass):
 * fullscreen-programs loses the command typed right after `less` exits, because the agent's
 * stripping leaves no trace of where the full-screen program's last screen ends.
 */
const KNOWN_CLOUDWATCH_GAPS = new Set(['fullscreen-programs']);

describe.skipIf(dirs.length === 0)('fixture sessions', () => {
  for (const name of dirs) {
    const dir = join(root, name);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
    const logFile = join(dir, `${meta.sessionId}.log`);
    const options = { startUser: meta.runAsUser ?? 'ssm-user' };

    it.skipIf(!existsSync(logFile))(`${name}: S3 form gives exactly the expected commands`, async () => {
      const result = await extractFromBytes(scriptBody(once(readFileSync(logFile))), options);
      expect(essentials(result.commands)).toEqual(expected);
    });

    it.skipIf(!existsSync(join(dir, 'raw.bin')))(`${name}: raw bytes give the same commands`, async () => {
      const result = await extractFromBytes([readFileSync(join(dir, 'raw.bin'))], options);
      expect(essentials(result.commands)).toEqual(expected);
    });

    const hasCloudWatch = existsSync(join(dir, 'cloudwatch.json'));
    const cwTest = !hasCloudWatch ? it.skip : KNOWN_CLOUDWATCH_GAPS.has(name) ? it.fails : it;
    cwTest(`${name}: CloudWatch form agrees except where marked lossy`, () => {
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
