import { describe, expect, it } from 'vitest';
import { WidthScanner } from '../../../src/terminal/width/scanner.ts';

const scan = (text: string) => {
  const scanner = new WidthScanner();
  scanner.feed(Buffer.from(text, 'utf8'));
  return scanner.guess();
};

describe('width evidence from older readline and wide characters', () => {
  it('reads the width from ` \\r` then up a row at the right margin', () => {
    expect(scan(`sh-4.2$ ${'x'.repeat(192)} \r\x1b[A\x1b[C\x1b[C`)).toEqual({ cols: 200, source: 'wrap' });
  });

  it('reads the width from the padding before a wide character that did not fit', () => {
    // 8 + 5 + 23 wide characters = 59 columns: one left, padded with ` ESC[K`.
    expect(scan(`sh-4.2$ echo ${'漢'.repeat(23)} \x1b[K字\r\n`)).toEqual({ cols: 60, source: 'wrap' });
  });

  it('takes no vote from a space and a carriage return that are not followed by cursor-up', () => {
    expect(scan(`$ ${'x'.repeat(100)} \r\n`)).toBeNull();
  });
});

describe('width evidence from bash 5 typed slowly', () => {
  it('votes for ` \\r` at the margin inside an input region, not for a search replacing the prompt', () => {
    const prompt = '\x1b[?2004h$ ';
    expect(scan(`${prompt}${'x'.repeat(57)}d \relta\r\n`)).toEqual({ cols: 60, source: 'wrap' });
    expect(scan(`${prompt}\r(reverse-i-search)\`': `)).toBeNull();
  });
});

describe('wrap votes that are multiples of the width', () => {
  it('takes the width all votes are multiples of (a line printed over rows without a carriage return)', () => {
    const wraps = (cols: number) => `\x1b[?2004h$ ${'a'.repeat(cols - 2)}b\rb\r\n`;
    const scanner = new WidthScanner();
    for (const cols of [120, 120, 120, 180]) scanner.feed(Buffer.from(wraps(cols)));
    expect(scanner.guess()).toEqual({ cols: 60, source: 'wrap' });
    expect(scanner.wrapCandidates()[0]).toBe(60);
  });

  it('keeps a single voted width when nothing says otherwise', () => {
    expect(scan(`\x1b[?2004h$ ${'a'.repeat(118)}b\rb\r\n`)).toEqual({ cols: 120, source: 'wrap' });
  });
});
