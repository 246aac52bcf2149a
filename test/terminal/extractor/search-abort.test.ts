import { describe, expect, it } from 'vitest';
import { InterruptEcho } from '../../../src/terminal/extractor/interrupt.ts';
import { abortedSearch } from '../../../src/terminal/extractor/prompt.ts';
import { rewriteSearchLine } from '../../../src/terminal/forms/cloudwatch-search.ts';

describe('reverse search abandoned with Ctrl-C', () => {
  it('gives back the line the ^C echo overwrote, aborted', () => {
    const echo = new InterruptEcho();
    echo.note("(reverse-i-search)`host': cat /etc/hostname");
    expect(echo.repair("(reverse-i-search)`host': cat /etc/^Cstname")).toBe(
      "(reverse-i-search)`host': cat /etc/hostname^C",
    );
    expect(abortedSearch("(reverse-i-search)`host': cat /etc/hostname^C")).toBe('cat /etc/hostname^C');
  });

  it('leaves lines alone that differ elsewhere, or where ^C ends the line', () => {
    const echo = new InterruptEcho();
    echo.note('$ echo abc');
    expect(echo.repair('$ echo xyz^Cq')).toBe('$ echo xyz^Cq');
    echo.note('$ echo abc');
    expect(echo.repair('$ echo abc^C')).toBe('$ echo abc^C');
    expect(abortedSearch("(reverse-i-search)`ls': ls /tmp")).toBeNull();
  });
});

describe('reverse search in the CloudWatch form', () => {
  const prompts = ['ssm-user@h:~$'];
  it('keeps the redraw after the search, never the search prompt', () => {
    expect(
      rewriteSearchLine(
        "ssm-user@h:~$ (reverse-i-search)`': t': echo aw': echo needle twossm-user@h:~$ echo needle two again",
        prompts,
      ),
    ).toBe('ssm-user@h:~$ echo needle two again');
  });

  it('keeps the last match with ^C when abandoned, and nothing while the search goes on', () => {
    expect(
      rewriteSearchLine("ssm-user@h:~$ (reverse-i-search)`': l': echo ones': ls /tmp\b\b\b\b^C", prompts),
    ).toBe('ssm-user@h:~$ ls /tmp^C');
    expect(rewriteSearchLine("ssm-user@h:~$ (reverse-i-search)`': p': pwd", prompts)).toBe('ssm-user@h:~$ ');
    expect(rewriteSearchLine('ssm-user@h:~$ ls', prompts)).toBeNull();
  });
});
