/**
 * CloudWatch form, issue 10 class 4: readline's ` \r` at each margin loses its `\r` to the agent's
 * stripping; the extra spaces say the width, and go.
 */
import { describe, expect, it } from 'vitest';
import { removeWrapSpaces, wrapWidth } from '../../src/terminal/forms/cloudwatch-wrap.ts';
import { extractFromCloudWatch } from '../../src/terminal/index.ts';

const P = 'ssm-user@ip-10-0-1-11:~$ ';
/** What the stripped form shows of `typed` entered key by key at `cols` columns after prompt P. */
function typedSlowly(typed: string, cols: number): string {
  const line = P + typed;
  let out = '';
  for (let at = 0; at < line.length; at += cols) out += (at > 0 ? ' ' : '') + line.slice(at, at + cols);
  return out;
}

describe('readline wrap spaces in the CloudWatch form', () => {
  const first =
    'echo alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho';
  const second = 'echo edge w1 w2 w3 w4 w5 w6 w7 w8 w';

  it('infers the width from two strong signs and removes the spaces', () => {
    const lines = [typedSlowly(first, 60), 'output', `${P}${second} w`, 'edge'];
    expect(lines[0]).toContain('epsilon  zeta');
    expect(wrapWidth(lines, null)).toBe(60);
    expect(removeWrapSpaces(lines[0]!, 60)).toBe(P + first);
    expect(removeWrapSpaces(lines[2]!, 60)).toBe(P + second);
    const r = extractFromCloudWatch(lines.map((text, i) => ({ text, timestamp: i })));
    expect(r.commands.map((c) => c.text)).toEqual([first, second]);
  });

  it('infers nothing from one sign, from dash prompts, or where widths disagree', () => {
    expect(wrapWidth([typedSlowly(first, 60)], null)).toBeNull();
    const dash = [`$ ${first.replace('epsilon', 'epsilon ')}`, `$ ${second} w`];
    expect(wrapWidth(dash, null)).toBeNull();
    expect(wrapWidth([typedSlowly(first, 60), typedSlowly(first, 47)], null)).toBeNull();
  });

  it('leaves a known width alone without the signs (a dash session with a bash-like prompt)', () => {
    expect(
      wrapWidth([`${P}echo one two three four five six seven eight nine ten eleven twelve`], 60),
    ).toBeNull();
  });

  it('is bounded on a hostile session of long space-filled prompt lines', () => {
    const lines = Array.from({ length: 2000 }, () => `${P}${' '.repeat(4000)}x`);
    const started = performance.now();
    wrapWidth(lines, null);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
