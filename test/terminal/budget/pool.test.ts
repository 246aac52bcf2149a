/**
 * Issue 9, section 1: a hard time and memory budget per transcript, in a small pool of long-lived
 * workers that can be stopped. Real workers (TypeScript through tsx), real extraction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExtractionPool } from '../../../src/terminal/budget/pool.ts';
import { extractFromBytes } from '../../../src/terminal/index.ts';

const enc = new TextEncoder();
const session = enc.encode('$ id\r\r\nuid=1000(ssm-user)\r\r\n$ echo hi\r\r\nhi\r\r\n$ exit\r\r\n');

/** 24 MB of prompt lines: about a second of extraction, far more than a 50 ms budget allows. */
function heavyTranscript(): Uint8Array[] {
  const line = enc.encode('$ echo flood line with some words to render on the screen\r\r\n');
  const chunk = new Uint8Array(line.length * 4096);
  for (let i = 0; i < 4096; i++) chunk.set(line, i * line.length);
  return Array.from({ length: 100 }, () => chunk);
}

let pool: ExtractionPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('ExtractionPool', () => {
  it('extracts in a worker exactly what extraction in this thread gives', async () => {
    pool = new ExtractionPool({ size: 1 });
    const verdict = await pool.run({ form: 'bytes', chunks: [session], options: { cols: 80 } });
    const direct = await extractFromBytes([session], { cols: 80 });
    expect(verdict.status).toBe('ok');
    if (verdict.status === 'ok') expect(verdict.result.commands).toEqual(direct.commands);
    const cw = await pool.run({
      form: 'cloudwatch',
      lines: [
        { text: '$ id', timestamp: 1000 },
        { text: 'uid=1000', timestamp: 1000 },
        { text: '$ exit', timestamp: 2000 },
      ],
      options: { cols: 80 },
    });
    expect(cw.status === 'ok' && cw.result.commands.map((c) => c.text)).toEqual(['id', 'exit']);
  });

  it('a hostile transcript over the time budget is over_budget and the pool still serves the next job', async () => {
    pool = new ExtractionPool({ size: 1, timeBudgetMs: 50 });
    const started = performance.now();
    const verdict = await pool.run({ form: 'bytes', chunks: heavyTranscript() });
    expect(verdict).toMatchObject({ status: 'over_budget', reason: 'time', limit: 50 });
    // Stopped at its budget (plus scheduling), not when the work would have ended.
    expect(performance.now() - started).toBeLessThan(3000);
    const next = await pool.run(
      { form: 'bytes', chunks: [session], options: { cols: 80 } },
      { timeBudgetMs: 20_000 },
    );
    expect(next.status === 'ok' && next.result.commands.map((c) => c.text)).toEqual([
      'id',
      'echo hi',
      'exit',
    ]);
  });

  it('a transcript over the memory budget is over_budget (memory) and the pool goes on', async () => {
    pool = new ExtractionPool({ size: 1, memoryBudgetMb: 16, timeBudgetMs: 60_000 });
    // 300,000 distinct CloudWatch lines held as strings: more than a 16 MB heap can hold.
    const lines = Array.from({ length: 300_000 }, (_, i) => ({
      text: `$ echo ${i} ${'z'.repeat(64)}`,
      timestamp: i,
    }));
    const verdict = await pool.run({ form: 'cloudwatch', lines });
    expect(verdict).toMatchObject({ status: 'over_budget', reason: 'memory', limit: 16 });
    const next = await pool.run({ form: 'bytes', chunks: [session], options: { cols: 80 } });
    expect(next.status).toBe('ok');
  });

  it('close() returns within 2 s even mid-job, and the pending jobs resolve as abandoned', async () => {
    pool = new ExtractionPool({ size: 1, timeBudgetMs: 60_000 });
    expect((await pool.run({ form: 'bytes', chunks: [session] })).status).toBe('ok'); // worker up
    const running = pool.run({ form: 'bytes', chunks: [...heavyTranscript(), ...heavyTranscript()] });
    const queued = pool.run({ form: 'bytes', chunks: [session] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await running).toEqual({ status: 'abandoned' });
    expect(await queued).toEqual({ status: 'abandoned' });
    expect(await pool.run({ form: 'bytes', chunks: [session] })).toEqual({ status: 'abandoned' });
  });
});
