/**
 * The recorded OSC 133 session (test/fixtures/sessions/osc133-shell-integration): the README
 * snippet typed as the shellProfile would, then commands whose exit status is known from what
 * they are (`false` is 1, `ls` of a missing path is 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptBody } from '../../src/ingest/normalize/transcript.ts';
import { extractFromBytes } from '../../src/terminal/index.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'sessions', 'osc133-shell-integration');

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe.skipIf(!existsSync(join(dir, 'meta.json')))('OSC 133 recording', () => {
  it('gives exit codes from the D marks and none for the aborted line', async () => {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { sessionId: string };
    const log = readFileSync(join(dir, `${meta.sessionId}.log`));
    const { commands } = await extractFromBytes(scriptBody(once(log)), { startUser: 'ssm-user' });
    const code = (text: string) => commands.find((c) => c.text === text)?.exitCode;
    expect(code('true')).toBe(0);
    expect(code('false')).toBe(1);
    expect(code('ls /nonexistent')).toBe(2);
    expect(code('for i in 1 2\ndo echo "n=$i"; done')).toBe(0);
    const aborted = commands.find((c) => c.text === 'sudo reboot');
    expect(aborted).toMatchObject({ executed: false, exitCode: null });
    // The marks printf wrote are output: no `rm -rf /` command.
    expect(commands.some((c) => c.text === 'rm -rf /')).toBe(false);
  });
});
