/**
 * Issue 9, section 1: `shelltrail commands x.log` on the transcript ends at once, and a file
 * built to stall the emulator (the same escape repeated) stops at its budget with one clear error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractFile } from '../../src/analyze/transcript-file.ts';
import { BadInputError } from '../../src/errors.ts';
import { tempDir } from '../cli/store-setup.ts';

let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('shelltrail-file-budget-');
});
afterEach(() => work.remove());

describe('commands <file> within a budget', () => {
  it("the issue's \\033[2147483647L transcript: its commands, at once", async () => {
    const file = join(work.path, 'x.log');
    writeFileSync(file, '$ id\r\r\n\x1b[2147483647L\r\r\n$ exit\r\r\n');
    const started = performance.now();
    const result = await extractFile(file, {});
    expect(result.commands.map((c) => c.text)).toEqual(['id', 'exit']);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a transcript over its time budget stops there with an over_budget error', async () => {
    const file = join(work.path, 'stall.log');
    writeFileSync(file, `$ id\r\r\n${'\x1b[2147483647L'.repeat(100_000)}\r\r\n$ exit\r\r\n`);
    const started = performance.now();
    const error = await extractFile(file, { timeBudgetMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ reason: 'over_budget' });
    expect((error as Error).message).toMatch(/stall.log: extraction stopped at its time budget \(300 ms\)/);
    expect(performance.now() - started).toBeLessThan(8_000);
  });
});
