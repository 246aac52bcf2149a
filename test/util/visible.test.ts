import { describe, expect, it } from 'vitest';
import { visible } from '../../src/util/visible.ts';

describe('visible', () => {
  it('turns terminal controls into visible escapes', () => {
    expect(visible('rm -rf /\x1b[2J\x1b]0;owned\x07')).toBe('rm -rf /\\x1b[2J\\x1b]0;owned\\x07');
    expect(visible('a\x9bb\x7fc\x00')).toBe('a\\x9bb\\x7fc\\x00');
    expect(visible('line\nnext\tcol')).toBe('line\\nnext\\tcol');
  });

  it('shows bidi overrides (Trojan Source) and leaves ordinary text alone', () => {
    expect(visible('ls \u202etxt.exe')).toBe('ls \\u202etxt.exe');
    expect(visible('echo 本番 🚀 ok')).toBe('echo 本番 🚀 ok');
  });
});
