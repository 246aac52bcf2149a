import { describe, expect, it } from 'vitest';
import { needsContinuation, splitCommands } from '../../../src/terminal/extractor/continuation.ts';

describe('needsContinuation', () => {
  it('asks for more after open syntax', () => {
    for (const text of [
      'ls \\',
      'a &&',
      'a |',
      "echo 'open",
      'cat <<EOF\nline',
      'for f in a; do',
      'if true; then',
    ])
      expect(needsContinuation(text), text).toBe(true);
  });

  it('is done for complete lines, closed here-documents and quotes inside comments', () => {
    for (const text of [
      'ls \\\\',
      'echo "a|"',
      'cat <<EOF\nline\nEOF',
      'cat <<-EOF\n\tEOF',
      "echo ok # it's",
      'for f in a; do echo; done',
    ])
      expect(needsContinuation(text), text).toBe(false);
  });
});

describe('splitCommands (a pasted block run with one Enter)', () => {
  it('gives one command per complete line, joined where the shell reads on', () => {
    expect(splitCommands('echo one\necho two\n\nls')).toEqual(['echo one', 'echo two', 'ls']);
    expect(splitCommands('echo "first\nsecond"\necho done')).toEqual(['echo "first\nsecond"', 'echo done']);
    expect(splitCommands('echo a \\\n  b\nfor i in 1 2\ndo echo $i\ndone')).toEqual([
      'echo a \\\n  b',
      'for i in 1 2\ndo echo $i\ndone',
    ]);
    expect(splitCommands('cat <<EOF\nx\nEOF\nuname -s')).toEqual(['cat <<EOF\nx\nEOF', 'uname -s']);
  });

  it('keeps an unfinished last piece (the shell asks for more) and stays bounded', () => {
    expect(splitCommands('ls\necho "open\nline')).toEqual(['ls', 'echo "open\nline']);
    const block = `echo "${'x\n'.repeat(50_000)}`;
    const started = performance.now();
    expect(splitCommands(block).join('\n')).toBe(block);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
