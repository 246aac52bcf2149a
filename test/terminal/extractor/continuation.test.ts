import { describe, expect, it } from 'vitest';
import { needsContinuation } from '../../../src/terminal/extractor/continuation.ts';

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
