/**
 * `shelltrail alerts [--json] [--status S]... [--level L] [--rule ID] [--session ID] [--limit N]`:
 * alerts raised by rules, newest first; `alerts ack|resolve <id>...` changes their status, and
 * `alerts retry --all | <delivery id>...` sends dead deliveries again (both recorded in the access
 * trail as done by `cli`).
 */

import { alertJson } from '../alerts/json.ts';
import { UsageError } from '../errors.ts';
import { ALERT_LEVELS, ALERT_STATUSES, type AlertLevel, type AlertStatus } from '../store/alerts.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  withStore,
  writeLine,
} from './context.ts';
import { writeJson } from './json-out.ts';
import { readPages } from './pages.ts';
import { formatTable, shortTime } from './table.ts';

const ACTIONS: Record<string, AlertStatus> = { ack: 'acknowledged', resolve: 'resolved', reopen: 'open' };

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    json: { type: 'boolean' },
    status: { type: 'string', multiple: true },
    level: { type: 'string' },
    rule: { type: 'string' },
    session: { type: 'string' },
    limit: { type: 'string' },
    reason: { type: 'string' },
    all: { type: 'boolean' },
  });
  const config = configFor(ctx, values);
  const [action, ...ids] = positionals;
  if (action === 'retry') return retry(ctx, config, ids, values.all === true);
  if (action !== undefined) {
    const status = ACTIONS[action];
    if (!status) throw new UsageError(`unknown action "${action}" (ack, resolve, reopen, retry)`);
    const alertIds = ids.map((id) => {
      if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not an alert id`);
      return Number(id);
    });
    if (alertIds.length === 0) throw new UsageError(`alerts ${action} needs at least one alert id`);
    const changed = await withStore(config, async (store) => {
      const now = Date.now();
      const done = await store.alerts.setStatus(alertIds, {
        status,
        by: 'cli',
        reason: values.reason ?? null,
        now,
      });
      for (const a of done)
        await store.accessTrail.append({
          at: now,
          action: `alert_${action}`,
          actor: 'cli',
          role: null,
          tokenId: null,
          sourceIp: null,
          subject: String(a.alertId),
          detail: values.reason ? { reason: values.reason } : null,
        });
      return done;
    });
    writeLine(ctx.stdout, `${changed.length} alert${changed.length === 1 ? '' : 's'} ${status}`);
    return 0;
  }
  const statuses = (values.status ?? []).flatMap((s) => s.split(','));
  for (const s of statuses)
    if (!(ALERT_STATUSES as readonly string[]).includes(s))
      throw new UsageError(`--status: expected one of ${ALERT_STATUSES.join(', ')}, got "${s}"`);
  if (values.level && !(ALERT_LEVELS as readonly string[]).includes(values.level))
    throw new UsageError(`--level: expected one of ${ALERT_LEVELS.join(', ')}`);
  const limit = parseIntegerFlag(values.limit, '--limit', 1, 100_000) ?? 200;
  const rows = await withStore(config, (store) =>
    readPages(
      (page) =>
        store.alerts.list(
          {
            ...(statuses.length ? { status: statuses as AlertStatus[] } : {}),
            ...(values.level ? { minLevel: values.level as AlertLevel } : {}),
            ...(values.rule ? { ruleId: values.rule } : {}),
            ...(values.session ? { sessionId: values.session } : {}),
          },
          page,
        ),
      1000,
      limit,
    ),
  );
  if (values.json) {
    writeJson(ctx.stdout, rows.map(alertJson));
    return 0;
  }
  if (rows.length === 0) {
    writeLine(ctx.stdout, 'no alerts');
    return 0;
  }
  const table = formatTable(
    ['ID', 'RAISED (UTC)', 'LEVEL', 'STATUS', 'ACTOR', 'TARGET', 'RULE', 'COMMAND / DETAIL'],
    rows.map((a) => [
      String(a.alertId),
      shortTime(a.createdAt),
      a.level,
      a.status,
      a.actor,
      a.target,
      a.ruleTitle,
      a.commandText ?? a.detail,
    ]),
    60,
  );
  for (const line of table) writeLine(ctx.stdout, line);
  writeLine(ctx.stdout, `${rows.length} alert${rows.length === 1 ? '' : 's'}`);
  return 0;
}

/** Dead deliveries (past retry.maxAttempts) back to pending: the next deliver pass sends them. */
async function retry(
  ctx: CommandContext,
  config: ReturnType<typeof configFor>,
  ids: string[],
  all: boolean,
): Promise<number> {
  if (all === ids.length > 0) throw new UsageError('alerts retry needs --all or delivery ids');
  const deliveryIds = ids.map((id) => {
    if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a delivery id`);
    return Number(id);
  });
  const retried = await withStore(config, async (store) => {
    const now = Date.now();
    const done = await store.outbox.retryDead(all ? 'all' : deliveryIds, now);
    for (const d of done)
      await store.accessTrail.append({
        at: now,
        action: 'delivery_retry',
        actor: 'cli',
        role: null,
        tokenId: null,
        sourceIp: null,
        subject: String(d.deliveryId),
        detail: { alertId: d.alertId, channel: d.channel },
      });
    return done;
  });
  writeLine(
    ctx.stdout,
    `${retried.length} dead deliver${retried.length === 1 ? 'y' : 'ies'} queued again (sent by the next delivery pass)`,
  );
  return 0;
}
