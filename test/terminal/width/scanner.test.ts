import { describe, expect, it } from 'vitest';
import { WidthScanner } from '../../../src/terminal/width/scanner.ts';

const enc = new TextEncoder();
const scan = (s: string) => {
  const scanner = new WidthScanner();
  scanner.feed(enc.encode(s));
  return scanner.guess();
};
const INPUT = '\x1b[?2004h';

describe('WidthScanner', () => {
  it('reads the width from the `X\\rX` wrap redraw', () => {
    const line = `$ ${'x'.repeat(100)}y${'z'.repeat(50)}`;
    expect(scan(`${INPUT}${line.slice(0, 81)}\r${line.slice(80)}`)).toEqual({ cols: 80, source: 'wrap' });
  });

  it('reads it from an in-row edit right after printing up to the next row (Ctrl-R redraw at 132)', () => {
    const search = "(reverse-i-search)`omicr': ";
    // readline: back to the search string, then the line up to the first cell of row 2, then ICH.
    const redraw = `\r${'\x1b[C'.repeat(24)}${`${search}echo ${'w'.repeat(200)}`.slice(24, 133)}\x1b[1@ha`;
    expect(scan(`${INPUT}$ x\r${redraw}`)).toEqual({ cols: 132, source: 'wrap' });
  });

  it('ignores edits after cursor movement and erases after text (ordinary editing)', () => {
    const typing = `${INPUT}$ echo mid\b\b\b\x1b[2@XXmid\r\n(reverse-i-search)\`': \x1b[K\b\b\bs': ls`;
    expect(scan(`${typing}${'a'.repeat(60)}\b\b\x1b[P`)).toBeNull();
  });
});
