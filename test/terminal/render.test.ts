/**
 * renderText on hostile sizes: a 1 MB line (no line feed in it, so it only wraps) must not push
 * the lines before it out of the emulator's scrollback before they are harvested, and must itself
 * come out in bounded pieces, in order, with the lines after it.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/terminal/render.ts';

const enc = new TextEncoder();

async function render(parts: string[], cols = 80): Promise<string[]> {
  const out: string[] = [];
  for await (const line of renderText(
    parts.map((p) => enc.encode(p)),
    { cols },
  ))
    out.push(line);
  return out;
}

describe('renderText and a 1 MB line', () => {
  it('keeps every line before and after it, in order, and the whole line in bounded pieces', async () => {
    const before = Array.from({ length: 300 }, (_, i) => `before ${i}\r\n`).join('');
    const huge = 'x'.repeat(1_000_000);
    const after = Array.from({ length: 5 }, (_, i) => `after ${i}\r\n`).join('');
    const started = performance.now();
    const out = await render(['$ cat big\r\n', before, huge, '\r\n', after, '$ ']);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(out[0]).toBe('$ cat big');
    for (let i = 0; i < 300; i++) expect(out[1 + i]).toBe(`before ${i}`);
    const pieces = out.slice(301, out.indexOf('after 0'));
    expect(pieces.every((p) => /^x+$/.test(p))).toBe(true);
    expect(pieces.join('').length).toBe(1_000_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(80 * 401);
    expect(out.slice(-6)).toEqual(['after 0', 'after 1', 'after 2', 'after 3', 'after 4', '$']);
  }, 60_000);

  it('keeps the lines before a 1 MB line that arrives in one chunk with them', async () => {
    const before = Array.from({ length: 50 }, (_, i) => `row ${i}\r\n`).join('');
    const out = await render([`${before}${'y'.repeat(1_000_000)}\r\ndone\r\n`]);
    expect(out.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `row ${i}`));
    expect(out.at(-1)).toBe('done');
  }, 60_000);
});
