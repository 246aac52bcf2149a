/**
 * Makes attacker-controlled text safe to print on an operator's terminal. Command lines, S3 keys,
 * file names and identities claimed by a node are bytes someone else chose: an ESC or C1 control
 * could retitle, clear or re-program the reader's terminal, and bidi overrides can make text read
 * differently than it is (Trojan Source). All of them become visible escapes instead.
 *
 * @example visible('rm -rf /\x1b[2J') // 'rm -rf /\\x1b[2J'
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    const code = c.codePointAt(0)!;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// C0 and C1 controls, DEL, and the Unicode bidi embedding/override/isolate marks.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
