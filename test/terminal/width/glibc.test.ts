import { describe, expect, it } from 'vitest';
import { extractFromBytes } from '../../../src/terminal/index.ts';
import { glibcWidth } from '../../../src/terminal/width/glibc.ts';

describe('glibc wcwidth (the line editor’s widths)', () => {
  it('counts emoji, CJK and Hangul as 2, combining marks and variation selectors as 0', () => {
    expect(glibcWidth(0x2705)).toBe(2); // ✅ (xterm's Unicode 6 table says 1)
    expect(glibcWidth(0x6f22)).toBe(2); // 漢
    expect(glibcWidth(0xd55c)).toBe(2); // 한
    expect(glibcWidth(0xfe0f)).toBe(0); // VS16
    expect(glibcWidth(0x064e)).toBe(0); // Arabic fatha
    expect(glibcWidth(0x1161)).toBe(0); // Hangul medial vowel
    expect(glibcWidth(0x0627)).toBe(1); // Arabic alef
    expect(glibcWidth(0x61)).toBe(1);
  });

  it('places the cursor where readline does: Backspace over ✅️ erases it and only it', async () => {
    // bash 5 echo of `echo  ✅️` then Backspace: readline moves back 2 columns and clears.
    const bytes = Buffer.from('$ echo  \u2705\ufe0f\b\b  \b\bok\r\n', 'utf8');
    const { commands } = await extractFromBytes([bytes], { cols: 80 });
    expect(commands.map((c) => c.text)).toEqual(['echo  ok']);
  });
});
