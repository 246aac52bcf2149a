/**
 * The sanitizer against xterm.js itself: ordinary sequences pass unchanged (the screen is the same
 * with and without it, whatever the chunking), hostile counts become the screen's bounds.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STRING_BYTES } from '../../../src/terminal/sanitize/limits.ts';
import { EscapeSanitizer } from '../../../src/terminal/sanitize/sanitizer.ts';
import { createEmulator, writeNow } from '../../../src/terminal/screen.ts';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

function screenOf(chunks: Uint8Array[], sanitize: boolean, cols = 40): string {
  const term = createEmulator(cols, 10, 100);
  const sanitizer = new EscapeSanitizer({ rows: term.rows, cols: term.cols });
  for (const chunk of chunks) writeNow(term, sanitize ? sanitizer.write(chunk) : chunk);
  const buffer = term.buffer.active;
  const rows: string[] = [];
  for (let r = 0; r < buffer.length; r++) rows.push(buffer.getLine(r)?.translateToString(true) ?? '');
  const text = `${rows.join('\n')}\n@${buffer.cursorX},${buffer.cursorY},${buffer.type}`;
  term.dispose();
  return text;
}

/** Every way of cutting `data` into two chunks. */
function splits(data: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[data]];
  for (let k = 1; k < data.length; k++) out.push([data.subarray(0, k), data.subarray(k)]);
  return out;
}

const ORDINARY = [
  'plain text\r\nnext line\r\n',
  '\x1b[1;31mred\x1b[0m \x1b[38;2;10;20;30mtrue\x1b[38:5:200mcolour\x1b[m\r\n',
  'abc\x1b[2D\x1b[1@X\x1b[K\r\n\x1b[3;5Hat\x1b[2Aup\x1b[10Cright\r\n',
  '\x1b]0;user@host: ~\x07\x1b]133;A\x1b\\$ \x1b]133;B\x07ls\r\n',
  '\x1b[?2004h$ echo \xc3\xa9t\xc3\xa9 \xe2\x9c\x85\r\n\x1b[?2004l\r',
  '\x1b[?1049h\x1b[H\x1b[2Jfull\x1b[5;1Hscreen\x1b[?1049l back\r\n',
  'a\x1b[5bb\x1b[2;5r\x1b[3L\x1b[2M\x1b[S\x1b[T\x1b[r done\r\n',
  'tab\x1b[2Ito\x1b[Zback\x1bPq#0;2;0;0;0\x1b\\ \x1b_apc\x1b\\ \x1bXsos\x1b\\ end\r\n',
  'c1 \xc2\x9b2Cx \xc2\x9d0;t\xc2\x9c ok\r\n',
  'csi with \x1b[1\n2Cnewline inside\r\n',
  'bad utf8 \xe2\x1b[3Cx \x1b[\x80 5C y \xc3\r\n',
].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('EscapeSanitizer', () => {
  it('returns an ordinary chunk itself (no copy)', () => {
    const chunk = bytes('\x1b[1;32mok\x1b[0m $ ls\r\n');
    expect(new EscapeSanitizer({ rows: 50, cols: 80 }).write(chunk)).toBe(chunk);
  });

  it('leaves the screen of ordinary sequences unchanged, however the bytes are chunked', () => {
    for (const sample of ORDINARY) {
      const expected = screenOf([sample], false);
      for (const chunks of splits(sample))
        expect(screenOf(chunks, true), JSON.stringify([...sample])).toBe(expected);
    }
  });

  it('turns a huge count into the screen bound, with the same screen as the bound itself', () => {
    const cases: Array<[string, string]> = [
      ['\x1b[2147483647L', '\x1b[10L'],
      ['\x1b[99999;99999H', '\x1b[10;40H'],
      ['\x1b[2147483647C', '\x1b[40C'],
      ['\x1b[2147483647A', '\x1b[10A'],
      ['\x1b[1;2147483647r', '\x1b[1;10r'],
    ];
    for (const [hostile, bounded] of cases) {
      const lines = 'one\r\ntwo\r\nthree\r\nfour\r\n';
      const expected = screenOf([bytes(`${lines}${bounded}x`)], false);
      for (const chunks of splits(bytes(`${lines}${hostile}x`)))
        expect(screenOf(chunks, true)).toBe(expected);
    }
  });

  it('clamps a CSI written as a C1 control and one with a line feed inside', () => {
    const sanitizer = new EscapeSanitizer({ rows: 50, cols: 80 });
    const out = sanitizer.write(
      Uint8Array.from('\xc2\x9b2147483647L\x1b[21\n47483647M', (c) => c.charCodeAt(0)),
    );
    expect(String.fromCharCode(...out)).toBe('\x1b[50L\n\x1b[50M');
    expect(sanitizer.clampedParams).toBe(2);
  });

  it('cuts an over-long OSC and drops the rest up to its terminator', () => {
    const sanitizer = new EscapeSanitizer({ rows: 50, cols: 80 });
    const long = `\x1b]0;${'A'.repeat(MAX_STRING_BYTES * 3)}\x07after`;
    let out = '';
    const data = bytes(long);
    for (let i = 0; i < data.length; i += 1000)
      out += String.fromCharCode(...sanitizer.write(data.subarray(i, i + 1000)));
    expect(out.length).toBeLessThanOrEqual(MAX_STRING_BYTES + 16);
    expect(out.endsWith('\x07after')).toBe(true);
    expect(sanitizer.cutStrings).toBe(1);
  });
});
