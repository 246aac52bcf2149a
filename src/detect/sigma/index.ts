/** Sigma rules for shelltrail: load (built-in pack + directories), compile once, evaluate per line. */
export { FIELDS } from './compile.ts';
export { UnsupportedRule } from './errors.ts';
export {
  compileRuleSet,
  type EvaluateInput,
  evaluate,
  evaluateParsed,
  type RuleSet,
  type SessionFields,
} from './evaluate.ts';
export {
  builtinDir,
  LEVELS,
  type Level,
  type LoadedRule,
  type LoadOptions,
  type LoadReport,
  loadRules,
  loadRuleText,
  location,
} from './loader.ts';
