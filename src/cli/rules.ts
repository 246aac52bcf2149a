/**
 * `shelltrail rules`: what the detection engine loads and how it would do.
 * - `rules [list] [--json]`: the configured rules (built-in pack + detection.ruleDirs) with level,
 *   enabled state and alert count, then the loader report: loaded, skipped with reasons, not applicable.
 * - `rules check <path>`: validates rule files; prints `file:line: reason` per rule it cannot
 *   load (the line of the offending key, or of its document) and exits 1 when there is any.
 * - `rules test <path> [--since 30d] [--json]`: backtests rules over stored commands: matches per
 *   rule, raising no alert and sending nothing.
 * - `rules enable|disable <id>`: turns a rule on or off for the detection pass (user-owned write).
 */
import { existsSync } from 'node:fs';
import { loadScheduledRules } from '../alerts/correlation/rules.ts';
import { compileRuleSet, evaluate, type LoadReport, loadRules, location } from '../detect/sigma/index.ts';
import { UsageError } from '../errors.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseTimeFlag,
  withStore,
  writeLine,
} from './context.ts';
import { writeJson } from './json-out.ts';
import { formatTable } from './table.ts';

function writeReport(ctx: CommandContext, report: LoadReport): void {
  writeLine(
    ctx.stdout,
    `${report.loaded} loaded, ${report.skipped.length} skipped, ${report.notApplicable.length} not applicable`,
  );
  for (const s of report.skipped)
    writeLine(ctx.stdout, `skipped ${location(s)}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
  for (const n of report.notApplicable)
    writeLine(ctx.stdout, `not applicable ${location(n)}: ${n.logsource}`);
}

/** `rules check`: one `file:line: reason` line per rule that cannot load (the form editors jump to). */
function writeProblems(ctx: CommandContext, report: LoadReport): void {
  writeLine(
    ctx.stdout,
    `${report.loaded} loaded, ${report.skipped.length} skipped, ${report.notApplicable.length} not applicable`,
  );
  for (const s of report.skipped)
    writeLine(ctx.stdout, `${location(s)}: ${s.reason}${s.id ? ` (rule ${s.id})` : ''}`);
  for (const n of report.notApplicable)
    writeLine(ctx.stdout, `${location(n)}: not applicable: ${n.logsource}`);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    json: { type: 'boolean' },
    since: { type: 'string' },
  });
  const [action = 'list', ...rest] = positionals;
  const config = configFor(ctx, values);
  if (action === 'check') {
    if (rest.length === 0) throw new UsageError('rules check needs a file or directory');
    const { report } = loadRules({ builtin: false, dirs: rest });
    const scheduled = loadScheduledRules({ builtin: false, dirs: rest });
    if (values.json)
      writeJson(ctx.stdout, {
        ...report,
        scheduled: scheduled.rules.length,
        scheduledSkipped: scheduled.skipped,
      });
    else {
      writeProblems(ctx, report);
      if (scheduled.rules.length || scheduled.skipped.length)
        writeLine(
          ctx.stdout,
          `${scheduled.rules.length} scheduled rules loaded, ${scheduled.skipped.length} skipped`,
        );
      // Scheduled-rule reports carry `file#document`, no line (src/alerts/correlation/rules.ts).
      for (const s of scheduled.skipped)
        writeLine(ctx.stdout, `${s.source}: ${s.reason}${s.id ? ` (rule ${s.id})` : ''}`);
    }
    return report.skipped.length + scheduled.skipped.length > 0 ? 1 : 0;
  }
  if (action === 'test') {
    if (rest.length === 0) throw new UsageError('rules test needs a file or directory of rules');
    const since = parseTimeFlag(values.since ?? '30d', 'since')!;
    const { rules, report } = loadRules({ builtin: false, dirs: rest });
    const set = compileRuleSet(rules);
    const hits = new Map<string, { matches: number; sessions: Set<string> }>();
    let scanned = 0;
    if (existsSync(config.db))
      await withStore(config, async (store) => {
        let cursor: string | null = null;
        do {
          const page = await store.commands.search({ since, limit: 1000, ...(cursor ? { cursor } : {}) });
          for (const c of page.hits) {
            scanned++;
            const session = {
              ...(c.actor ? { actor: c.actor } : {}),
              ...(c.target ? { target: c.target } : {}),
              ...(c.principalArn ? { principal: c.principalArn } : {}),
              ...(c.accountId ? { account: c.accountId } : {}),
              ...(c.region ? { region: c.region } : {}),
            };
            for (const r of evaluate(set, { text: c.text, ...(c.user ? { user: c.user } : {}), session })) {
              const h = hits.get(r.id) ?? { matches: 0, sessions: new Set<string>() };
              h.matches++;
              h.sessions.add(c.sessionId);
              hits.set(r.id, h);
            }
          }
          cursor = page.nextCursor;
        } while (cursor);
      });
    const rows = set.rules.map((r) => ({
      id: r.id,
      title: r.title,
      level: r.level,
      matches: hits.get(r.id)?.matches ?? 0,
      sessions: hits.get(r.id)?.sessions.size ?? 0,
    }));
    if (values.json) {
      writeJson(ctx.stdout, { since: new Date(since).toISOString(), commands: scanned, rules: rows, report });
      return 0;
    }
    writeLine(ctx.stdout, `${scanned} commands since ${new Date(since).toISOString()}; no alerts raised`);
    for (const line of formatTable(
      ['RULE', 'LEVEL', 'MATCHES', 'SESSIONS', 'TITLE'],
      rows.map((r) => [r.id, r.level, String(r.matches), String(r.sessions), r.title]),
      60,
    ))
      writeLine(ctx.stdout, line);
    writeReport(ctx, report);
    return 0;
  }
  if (action === 'enable' || action === 'disable') {
    if (rest.length !== 1) throw new UsageError(`rules ${action} needs one rule id`);
    await withStore(config, (store) =>
      store.rules.setEnabled(rest[0]!, action === 'enable', 'cli', Date.now()),
    );
    writeLine(ctx.stdout, `rule ${rest[0]} ${action}d`);
    return 0;
  }
  if (action !== 'list')
    throw new UsageError(`unknown action "${action}" (list, check, test, enable, disable)`);
  const { rules, report } = loadRules({ builtin: config.detection.builtin, dirs: config.detection.ruleDirs });
  const scheduled = loadScheduledRules({
    builtin: config.alerts.scheduledBuiltin,
    dirs: config.alerts.scheduledRuleDirs,
  });
  const disabled = new Set(config.detection.disabledRules);
  let counts: Record<string, number> = {};
  if (existsSync(config.db))
    await withStore(config, async (store) => {
      for (const s of await store.rules.list()) if (!s.enabled) disabled.add(s.ruleId);
      counts = await store.alerts.countByRule();
    });
  const rows = [
    ...rules.map((r) => ({
      id: r.id,
      title: r.title,
      level: r.level,
      kind: r.kind as string,
      source: r.source,
    })),
    ...scheduled.rules.map((r) => ({
      id: r.id,
      title: r.title,
      level: r.level as string,
      kind: `scheduled ${r.scheduleText}`,
      source: '',
    })),
  ].map((r) => ({ ...r, enabled: !disabled.has(r.id), alerts: counts[r.id] ?? 0 }));
  if (values.json) {
    writeJson(ctx.stdout, { rules: rows, report, scheduledSkipped: scheduled.skipped });
    return 0;
  }
  for (const line of formatTable(
    ['RULE', 'LEVEL', 'KIND', 'ENABLED', 'ALERTS', 'TITLE'],
    rows.map((r) => [r.id, r.level, r.kind, r.enabled ? 'yes' : 'no', String(r.alerts), r.title]),
    60,
  ))
    writeLine(ctx.stdout, line);
  writeReport(ctx, report);
  return 0;
}
