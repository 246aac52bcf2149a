import { describe, expect, it } from 'vitest';
import { afterSpelledOutput, spelledText, spells } from '../../../src/terminal/extractor/spelled.ts';

describe('output a command spells out itself', () => {
  it('drops escapes written in printf arguments', () => {
    expect(spelledText("printf '\\033[01;32muser@host\\033[00m:~$ sudo reboot\\n'")).toBe(
      "printf 'user@host:~$ sudo reboot'",
    );
    expect(spells("printf '\\r\\033[K\\033[01;32mroot@h\\033[00m:~# id'", 'root@h:~# id')).toBe(true);
    expect(spells('ls -l', 'ls')).toBe(false);
  });

  it('finds the real prompt after unterminated output the previous command spelled', () => {
    expect(afterSpelledOutput('$ sudo reboot$ bash', "printf '\\033[0m$ sudo reboot'", ['$'])).toEqual({
      at: 13,
      split: { prompt: '$', text: 'bash' },
    });
    expect(
      afterSpelledOutput('partial linesh-4.2$ echo x', "printf 'partial line'", ['sh-4.2$'])?.split,
    ).toEqual({ prompt: 'sh-4.2$', text: 'echo x' });
  });

  it('leaves a typed `$ ` alone when the previous command did not print the text before it', () => {
    expect(afterSpelledOutput('$ echo $ x', 'ls', ['$'])).toBeNull();
    expect(afterSpelledOutput('$ echo a$ b', "printf 'zzz'", ['$'])).toBeNull();
  });

  it('stays bounded on a long line full of prompt characters', () => {
    const line = '$ '.repeat(100_000);
    const started = performance.now();
    afterSpelledOutput(line, 'x'.repeat(60_000), ['$']);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
