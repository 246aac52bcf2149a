/**
 * The rules the configuration loads, as the rules, suppressions and alert pages show them: the
 * Sigma rules (built-in pack and the configured directories) and the scheduled correlation rules,
 * with the load report (skipped with reasons, not applicable) so someone who pointed shelltrail at
 * a Sigma checkout sees why a rule is missing. Loaded with the same loaders and options as the
 * detection passes; read once per process, like the passes and GET /api/rules do.
 */
import { relative, sep } from 'node:path';
import { loadScheduledRules } from '../alerts/correlation/rules.ts';
import type { Config } from '../config.ts';
import type { SuppressionConfig } from '../config-detection.ts';
import { builtinDir, LEVELS, loadRules } from '../detect/sigma/index.ts';

export interface CatalogRule {
  id: string;
  title: string;
  level: string;
  tags: string[];
  /** `process` or `keyword` (Sigma rules on commands), or `scheduled` (correlation rules). */
  kind: string;
  /** Where it came from: `built-in/<file>` for the pack, else the path as loaded; null when unknown. */
  source: string | null;
  line: number | null;
  builtin: boolean;
  /** Command rules below `detection.minLevel` are loaded but never raise an alert. */
  belowMinLevel: boolean;
}

export interface CatalogIssue {
  /** Which loader: Sigma rules on commands, or scheduled correlation rules. */
  loader: 'sigma' | 'scheduled';
  source: string;
  line: number | null;
  id: string | null;
  title: string | null;
  /** Why it was skipped, or the log source it is written for (not applicable). */
  reason: string;
}

export interface RuleCatalog {
  rules: CatalogRule[];
  byId: Map<string, CatalogRule>;
  skipped: CatalogIssue[];
  notApplicable: CatalogIssue[];
  /** Rule ids the config file turns off (the UI cannot turn them on). */
  disabledInConfig: Set<string>;
  detectionEnabled: boolean;
  minLevel: string;
  builtin: boolean;
  ruleDirs: string[];
  scheduledBuiltin: boolean;
  scheduledRuleDirs: string[];
  /** Suppressions kept in the config file (read-only in the UI). */
  configSuppressions: SuppressionConfig[];
}

/** Shows the built-in pack's files by name: the install path says nothing to the reader. */
function displaySource(source: string): { source: string; builtin: boolean } {
  const rel = relative(builtinDir, source);
  if (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '')
    return { source: `built-in/${rel.split(sep).join('/')}`, builtin: true };
  return { source, builtin: false };
}

/** Loads every configured rule and the load report. */
export function loadRuleCatalog(config: Config): RuleCatalog {
  const detection = config.detection;
  const sigma = loadRules({ builtin: detection.builtin, dirs: detection.ruleDirs });
  const scheduled = loadScheduledRules({
    builtin: config.alerts.scheduledBuiltin,
    dirs: config.alerts.scheduledRuleDirs,
  });
  const minRank = LEVELS.indexOf(detection.minLevel);
  const rules: CatalogRule[] = [
    ...sigma.rules.map((r) => ({
      id: r.id,
      title: r.title,
      level: r.level,
      tags: r.tags,
      kind: r.kind as string,
      ...displaySource(r.source),
      line: r.line ?? null,
      belowMinLevel: LEVELS.indexOf(r.level) < minRank,
    })),
    ...scheduled.rules.map((r) => ({
      id: r.id,
      title: r.title,
      level: r.level as string,
      tags: r.tags,
      kind: 'scheduled',
      // The scheduled loader does not say which file a rule came from.
      source: null,
      line: null,
      builtin: false,
      belowMinLevel: false,
    })),
  ];
  const issue = (
    loader: CatalogIssue['loader'],
    e: { source: string; line?: number; id?: string; title?: string },
    reason: string,
  ): CatalogIssue => ({
    loader,
    source: displaySource(e.source).source,
    line: e.line ?? null,
    id: e.id ?? null,
    title: e.title ?? null,
    reason,
  });
  return {
    rules,
    byId: new Map(rules.map((r) => [r.id, r])),
    skipped: [
      ...sigma.report.skipped.map((e) => issue('sigma', e, e.reason)),
      ...scheduled.skipped.map((e) => issue('scheduled', e, e.reason)),
    ],
    notApplicable: sigma.report.notApplicable.map((e) => issue('sigma', e, e.logsource)),
    disabledInConfig: new Set(detection.disabledRules),
    detectionEnabled: detection.enabled,
    minLevel: detection.minLevel,
    builtin: detection.builtin,
    ruleDirs: detection.ruleDirs,
    scheduledBuiltin: config.alerts.scheduledBuiltin,
    scheduledRuleDirs: config.alerts.scheduledRuleDirs,
    configSuppressions: detection.suppressions,
  };
}

/** The catalogue, loaded on first use and kept (rule files are read once per process). */
export function ruleCatalogOnce(config: Config): () => RuleCatalog {
  let catalog: RuleCatalog | undefined;
  return () => {
    catalog ??= loadRuleCatalog(config);
    return catalog;
  };
}
