/** The loader's report: every skipped or not-applicable document names the line to look at. */
import { describe, expect, it } from 'vitest';
import { location } from '../../src/detect/sigma/index.ts';
import { load } from './helpers.ts';

const head = (id: string, extra = '') =>
  `title: t ${id}\nid: ${id}\n${extra}logsource:\n  product: linux\n  category: process_creation\ndetection:\n`;

/** [line, reason] of each skipped entry, in order. */
const skipped = (yaml: string) => load(yaml).report.skipped.map((s) => [s.line, s.reason]);

describe('rule loader line numbers', () => {
  it('points at the offending key: unknown field, unknown modifier, list item, selection', () => {
    expect(skipped(`${head('a')}  sel:\n    Image: x\n    Hashes: y\n  condition: sel\n`)).toEqual([
      [9, expect.stringMatching(/field "Hashes"/)],
    ]);
    expect(
      skipped(
        `${head('b')}  sel:\n    Image|endswith: /x\n    CommandLine|wide|contains: y\n  condition: sel\n`,
      ),
    ).toEqual([[9, expect.stringMatching(/modifier "wide"/)]]);
    // A list of maps: the second item (line 9), its bad key on line 10.
    expect(
      skipped(`${head('c')}  sel:\n    - Image: x\n    - User: root\n      Bogus: 1\n  condition: sel\n`),
    ).toEqual([[10, expect.stringMatching(/field "Bogus"/)]]);
    expect(skipped(`${head('d')}  sel:\n    - Image: x\n    - [y]\n  condition: sel\n`)).toEqual([
      [9, 'unsupported: mixed list selection'],
    ]);
    expect(skipped(`${head('e')}  sel:\n  condition: sel\n`)).toEqual([[7, 'unsupported: empty selection']]);
  });

  it('points at the condition for bad conditions, including one entry of a condition list', () => {
    expect(skipped(`${head('a')}  sel:\n    Image: x\n  condition: sel | count() > 5\n`)).toEqual([
      [9, expect.stringMatching(/aggregation/)],
    ]);
    expect(skipped(`${head('b')}  sel:\n    Image: x\n  condition:\n    - sel\n    - nope\n`)).toEqual([
      [11, expect.stringMatching(/unknown selection "nope"/)],
    ]);
    expect(skipped(`${head('c')}  sel:\n    Image: x\n  timeframe: 5m\n  condition: sel\n`)).toEqual([
      [9, expect.stringMatching(/timeframe/)],
    ]);
    expect(skipped(`${head('d')}  sel:\n    Image: x\n`)).toEqual([
      [6, expect.stringMatching(/missing or non-text condition/)],
    ]);
  });

  it('points at id, level or status, and at the document when a key is missing', () => {
    expect(skipped(`${head('a', 'level: severe\n')}  sel:\n    Image: x\n  condition: sel\n`)).toEqual([
      [3, 'unknown level "severe"'],
    ]);
    expect(skipped(`${head('a', 'status: deprecated\n')}  s:\n    Image: x\n  condition: s\n`)).toEqual([
      [3, 'status deprecated'],
    ]);
    // 9 lines, then `---` (10), the second title (11) and its id (12).
    const rule = `${head('dup')}  s:\n    Image: x\n  condition: s\n`;
    expect(skipped(`${rule}---\n${rule}`)).toEqual([[12, 'duplicate id']]);
    expect(skipped(`# comment\n\nlogsource: {product: linux}\ndetection: {s: [x], condition: s}\n`)).toEqual([
      [3, 'no id'],
    ]);
  });

  it('counts lines across documents and global collections; syntax errors keep the parser line', () => {
    const ok = `${head('ok')}  s:\n    Image: x\n  condition: s\n`; // 9 lines
    const text = `${ok}---\n${head('bad')}  s:\n    Image|nope: x\n  condition: s\n`;
    const { rules, report } = load(text);
    expect(rules.map((r) => [r.id, r.line])).toEqual([['ok', 1]]);
    expect(report.skipped.map((s) => [s.source, s.line, s.id])).toEqual([['test.yml', 18, 'bad']]);
    expect(location(report.skipped[0]!)).toBe('test.yml:18');
    // A key merged from an `action: global` document is not in the failing document: the line of
    // the deepest part that is there (its detection key).
    const global = `action: global\ndetection:\n  s:\n    Nope: x\n  condition: s\n---\ntitle: g\nid: g1\nlogsource: {product: linux, category: process_creation}\ndetection:\n  t:\n    Image: x\n`;
    expect(skipped(global)).toEqual([[10, expect.stringMatching(/field "Nope"/)]]);
    expect(skipped('title: x\nid: y\ndetection:\n  s: {a: 1\nlevel: high\n')).toEqual([
      [5, expect.stringMatching(/^YAML error/)],
    ]);
    expect(skipped('- just\n- a list\n')).toEqual([[1, 'document is not a map']]);
  });

  it('gives not-applicable documents the line of their logsource', () => {
    const { report } = load(`title: a\nid: a\n\nlogsource:\n  product: linux\n  service: auditd\n`);
    expect(report.notApplicable.map((n) => [n.line, n.logsource])).toEqual([
      [4, 'product: linux, service: auditd'],
    ]);
    expect(location({ source: 'f.yml' })).toBe('f.yml');
  });
});
