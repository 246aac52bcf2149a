import {
  compileRuleSet,
  type EvaluateInput,
  evaluate,
  type LoadedRule,
  type LoadReport,
  loadRuleText,
} from '../../src/detect/sigma/index.ts';

/** Loads YAML rule text (one or more documents) and returns its rules and report. */
export function load(yaml: string): { rules: LoadedRule[]; report: LoadReport } {
  const rules: LoadedRule[] = [];
  const report: LoadReport = { loaded: 0, skipped: [], notApplicable: [] };
  loadRuleText(yaml, 'test.yml', rules, report);
  return { rules, report };
}

/** A process_creation rule with the given detection block (YAML, indented by 2). */
export function processRule(detection: string, id = 'r1'): string {
  return `title: t\nid: ${id}\nlevel: high\nlogsource:\n  product: linux\n  category: process_creation\ndetection:\n${detection}\n`;
}

export function keywordRule(detection: string, id = 'k1'): string {
  return `title: k\nid: ${id}\nlevel: high\nlogsource:\n  product: linux\ndetection:\n${detection}\n`;
}

/** True when the single rule in `yaml` matches `line` (throws when the rule did not load). */
export function hits(yaml: string, line: string | EvaluateInput): boolean {
  const { rules, report } = load(yaml);
  if (rules.length !== 1) throw new Error(`rule did not load: ${JSON.stringify(report)}`);
  const input = typeof line === 'string' ? { text: line } : line;
  return evaluate(compileRuleSet(rules), input).length === 1;
}
