import { describe, expect, it } from 'vitest';
import { promptInfo, splitPrompt, startsWithLearned } from '../../../src/terminal/extractor/prompt.ts';

describe('prompt recognition', () => {
  it('prefers the longest learned prompt and rejects `$` glued to text', () => {
    expect(startsWithLearned('[a@h ~]$ (x) ls', ['[a@h ~]$', '[a@h ~]$ (x)'])).toEqual({
      prompt: '[a@h ~]$ (x)',
      text: 'ls',
    });
    expect(startsWithLearned('$HOME/bin', ['$'])).toBeNull();
  });

  it('splits shaped prompts but not ordinary output', () => {
    expect(splitPrompt('user@host:~/src$ make')).toEqual({ prompt: 'user@host:~/src$', text: 'make' });
    expect(splitPrompt('[root@h etc]# id')).toEqual({ prompt: '[root@h etc]#', text: 'id' });
    expect(splitPrompt('total 12')).toBeNull();
    expect(splitPrompt('a > b')).toBeNull();
  });

  it('reads user, host, cwd and root from a prompt', () => {
    expect(promptInfo('root@h:/etc#')).toEqual({ user: 'root', host: 'h', cwd: '/etc', root: true });
    expect(promptInfo('$')).toEqual({ user: null, host: null, cwd: null, root: false });
  });
});

describe('prompts that change every time (a clock in PS1)', () => {
  it('splits a clock prompt and matches later prompts digit for digit', async () => {
    const { splitPrompt, startsWithPrompt } = await import('../../../src/terminal/extractor/prompt.ts');
    expect(splitPrompt('[09:16:47] ssm-user@ip-10-0-1-11 ~ $ ls -l')).toEqual({
      prompt: '[09:16:47] ssm-user@ip-10-0-1-11 ~ $',
      text: 'ls -l',
    });
    expect(
      splitPrompt('[09:17:02] ssm-user@ip-10-0-1-11 ~ $ ls', ['[09:16:47] ssm-user@ip-10-0-1-11 ~ $']),
    ).toEqual({
      prompt: '[09:17:02] ssm-user@ip-10-0-1-11 ~ $',
      text: 'ls',
    });
    expect(startsWithPrompt('[0x:16:47] u $', '[09:16:47] u $')).toBe(false);
  });
});
