import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, evaluate, loadRules } from '../../src/detect/sigma/index.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'sigmahq', 'rules');
const countYaml = (d: string): number =>
  readdirSync(d, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? countYaml(join(d, e.name)) : e.name.endsWith('.yml') ? 1 : 0),
    0,
  );

describe('SigmaHQ linux rules, unmodified', () => {
  const { rules, report } = loadRules({ builtin: false, dirs: [dir] });

  it('accounts for every file: loaded, skipped with a reason, or not applicable', () => {
    expect(countYaml(dir)).toBe(144);
    expect(report.loaded).toBe(135);
    expect(rules).toHaveLength(135);
    expect(report.loaded + report.skipped.length + report.notApplicable.length).toBe(144);
  });

  it('skips the two OMIGOD rules because LogonId is not a field shelltrail has', () => {
    expect(report.skipped.map((s) => [s.source.split('/').pop(), s.reason])).toEqual([
      [
        'proc_creation_lnx_omigod_scx_runasprovider_executescript.yml',
        expect.stringMatching(/field "LogonId"/),
      ],
      [
        'proc_creation_lnx_omigod_scx_runasprovider_executeshellcommand.yml',
        expect.stringMatching(/field "LogonId"/),
      ],
    ]);
  });

  it('reports service-specific builtin rules as not applicable, not as skipped', () => {
    expect(report.notApplicable).toHaveLength(7);
    for (const n of report.notApplicable) expect(n.logsource).toMatch(/^product: linux, service: /);
  });

  it('loads both process_creation and keyword rules, and they fire on typed commands', () => {
    expect(rules.filter((r) => r.kind === 'keyword').length).toBeGreaterThanOrEqual(10);
    const set = compileRuleSet(rules);
    const titles = (text: string) => evaluate(set, { text }).map((r) => r.title);
    expect(titles('history -c')).toContain('Linux Command History Tampering');
    expect(evaluate(set, { text: "echo Y2F0IC9ldGMvc2hhZG93 | b''ase64 -d | sh" }).length).toBeGreaterThan(0);
    expect(evaluate(set, { text: 'ls -la /srv/www' })).toEqual([]);
  });
});
