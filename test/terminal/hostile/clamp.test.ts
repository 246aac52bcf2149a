/**
 * Issue 9, section 1: one escape sequence must not stop the pipeline. Each case from the issue,
 * through the real extractor; counts are clamped before xterm.js sees them.
 */
import { describe, expect, it } from 'vitest';
import { extractFromBytes } from '../../../src/terminal/index.ts';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const texts = (r: { commands: { text: string }[] }) => r.commands.map((c) => c.text);

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('clamping counts before the emulator', () => {
  it("printf '$ id\\r\\r\\n\\033[2147483647L\\r\\r\\n$ exit\\r\\r\\n' finishes fast with id and exit", async () => {
    const { result, ms } = await timed(() =>
      extractFromBytes([bytes('$ id\r\r\n\x1b[2147483647L\r\r\n$ exit\r\r\n')]),
    );
    expect(texts(result)).toEqual(['id', 'exit']);
    expect(ms).toBeLessThan(2000);
  });

  for (const [name, final] of [
    ['IL', 'L'],
    ['DL', 'M'],
    ['SU', 'S'],
    ['SD', 'T'],
    ['CHT', 'I'],
    ['CBT', 'Z'],
    ['ICH', '@'],
    ['DCH', 'P'],
    ['ECH', 'X'],
    ['SL', ' @'],
    ['SR', ' A'],
  ] as const) {
    it(`${name} with a huge count (ESC[2147483647${final}) finishes fast`, async () => {
      const hostile = `\x1b[2147483647${final}`.repeat(50);
      const { result, ms } = await timed(() =>
        extractFromBytes([bytes(`$ id\r\r\nuid=1000\r\r\n${hostile}\r\r\n$ exit\r\r\n`)], { cols: 80 }),
      );
      expect(texts(result)).toContain('exit');
      expect(ms).toBeLessThan(3000);
    });
  }

  it('x\\033[2147483647b (REP) stays bounded in time and memory', async () => {
    const before = process.memoryUsage().rss;
    const { result, ms } = await timed(() =>
      extractFromBytes([bytes('$ id\r\r\nx\x1b[2147483647b\r\r\n$ exit\r\r\n')], { cols: 80 }),
    );
    expect(texts(result)).toEqual(['id', 'exit']);
    expect(ms).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('CUU with a huge count does not invent commands', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `$ echo line ${i}\r\r\nline ${i}\r\r\n`).join('');
    const hostile = '\x1b[2147483647A'.repeat(1000);
    const { result } = await timed(() =>
      extractFromBytes([bytes(`${lines}$ cat f\r\r\n${hostile}$ rm -rf /\r\r\n$ exit\r\r\n`)], { cols: 80 }),
    );
    const certain = result.commands.filter((c) => c.fidelity !== 'uncertain');
    expect(certain.length).toBeLessThanOrEqual(203);
    expect(texts(result).filter((t) => t.startsWith('echo line')).length).toBe(200);
  });

  it('a 20 MB unterminated OSC is read in bounded memory and time', async () => {
    const body = new Uint8Array(20 * 1024 * 1024).fill(0x41);
    const chunks = [bytes('$ id\r\r\nuid\r\r\n\x1b]0;')];
    for (let i = 0; i < body.length; i += 65536) chunks.push(body.subarray(i, i + 65536));
    chunks.push(bytes('\r\r\n$ exit\r\r\n'));
    const before = process.memoryUsage().rss;
    const { result, ms } = await timed(() => extractFromBytes(chunks, { cols: 80 }));
    expect(result.commands[0]?.text).toBe('id');
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    expect(ms).toBeLessThan(10_000);
  });
});
