/** The one deep-link format and its resolver (src/api/deep-link.ts), shared by alerts, search and the session page. */
import { describe, expect, it } from 'vitest';
import { deepLink, type LinkCommand, resolveDeepLink } from '../../src/api/deep-link.ts';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const session = { sessionId: 'kim-1', startedAt: T0 };
const cmd = (text: string, seconds: number | null): LinkCommand => ({
  text,
  at: seconds === null ? null : T0 + seconds * 1000,
});

describe('deep links', () => {
  it('builds /sessions/<id>?at=<tenths of seconds>&cmd=<text>, without at= when no time is known', () => {
    expect(deepLink(session, cmd('sudo -i', 12.46))).toBe('/sessions/kim-1?at=12.5&cmd=sudo%20-i');
    expect(deepLink(session, cmd('sudo -i', null))).toBe('/sessions/kim-1?cmd=sudo%20-i');
    expect(deepLink({ sessionId: 'a b', startedAt: null }, cmd('x', 3))).toBe('/sessions/a%20b?cmd=x');
  });

  it('without a time, picks the FIRST command with the text (duplicates, text-only links, untimed commands)', () => {
    const timed = [
      cmd('id', 1),
      cmd('history -c', 2),
      cmd('ls', 3),
      cmd('history -c', 4),
      cmd('history -c', 9),
    ];
    expect(resolveDeepLink(session, timed, undefined, 'history -c')).toBe(1);
    const untimed = timed.map((c) => ({ ...c, at: null }));
    expect(resolveDeepLink(session, untimed, 3.9, 'history -c')).toBe(1);
    expect(resolveDeepLink({ ...session, startedAt: null }, timed, 3.9, 'history -c')).toBe(1);
  });

  it('with a time, picks the nearest command with the text; a tie keeps the earlier one', () => {
    const list = [cmd('history -c', 2), cmd('ls', 3), cmd('history -c', 4), cmd('history -c', 9)];
    expect(resolveDeepLink(session, list, 3.9, 'history -c')).toBe(2);
    expect(resolveDeepLink(session, list, 8, 'history -c')).toBe(3);
    expect(resolveDeepLink(session, list, 3, 'history -c')).toBe(0);
    // A timed candidate beats untimed ones, wherever they stand.
    expect(resolveDeepLink(session, [cmd('x', null), cmd('x', 50)], 1, 'x')).toBe(1);
    expect(resolveDeepLink(session, list, 3, 'nothing like it')).toBe(-1);
  });

  it('survives renumbering: commands inserted in front (re-extraction) move the index, not the target', () => {
    const before = [cmd('id', 1), cmd('history -c', 2), cmd('history -c', 6)];
    const link = new URL(`https://x${deepLink(session, before[2]!)}`);
    const at = Number(link.searchParams.get('at'));
    const text = link.searchParams.get('cmd')!;
    expect(resolveDeepLink(session, before, at, text)).toBe(2);
    const after = [cmd('whoami', 0.5), cmd('history -c', 0.8), ...before];
    expect(after[resolveDeepLink(session, after, at, text)]).toBe(before[2]);
    // A text-only link still lands on the first such command after renumbering.
    expect(resolveDeepLink(session, after, undefined, text)).toBe(1);
  });
});
