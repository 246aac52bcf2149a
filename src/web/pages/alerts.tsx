/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/alerts`: alerts newest first with status and level filters, a link to the replay at the
 * command, and (auditors, admins) a bulk acknowledge / resolve form posting back here. Viewers see
 * no command text: the role-scoped store already removed it.
 */
import type { Context } from 'hono';
import { ALERT_LEVELS, ALERT_STATUSES } from '../../alerts/json.ts';
import type { AlertLevel, AlertStatus } from '../../store/index.ts';
import { LevelBadge } from '../alert-badges.tsx';
import { seesContent, type WebEnv } from '../env.ts';
import { ActorLink, href, inert, sameSiteLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';

const PAGE = 100;
const ACTIONS: Record<string, AlertStatus> = { ack: 'acknowledged', resolve: 'resolved', reopen: 'open' };

export async function alertsPage(c: Context<WebEnv>) {
  const status = c.req.query('status') as AlertStatus | undefined;
  const level = c.req.query('level') as AlertLevel | undefined;
  const cursor = c.req.query('cursor') ?? null;
  // One rule's alerts (the rules page links its hit counts here).
  const rule = (c.req.query('rule') ?? '').slice(0, 200) || undefined;
  const filters = {
    ...(status && ALERT_STATUSES.includes(status) ? { status: [status] } : {}),
    ...(level && ALERT_LEVELS.includes(level) ? { minLevel: level } : {}),
    ...(rule ? { ruleId: rule } : {}),
  };
  const page = await c.get('store').alerts.list(filters, { limit: PAGE, cursor });
  const canChange = seesContent(c.get('auth'));
  const chip = (label: string, query: Record<string, string | undefined>, current: boolean) => (
    <a href={href('/alerts', { ...query, rule })} aria-current={current ? 'true' : undefined}>
      {label}
    </a>
  );
  return c.html(
    <Layout title="Alerts" auth={c.get('auth')} path="/alerts">
      <h1>Alerts</h1>
      {rule && (
        <p class="chips">
          Rule <code>{inert(rule)}</code> <a href={href('/alerts', { status, level })}>all rules</a>
        </p>
      )}
      <p class="chips">
        {chip('all', { level }, !status)}
        {ALERT_STATUSES.map((s) => chip(s, { status: s, level }, s === status))}
      </p>
      <p class="chips">
        {chip('any level', { status }, !level)}
        {ALERT_LEVELS.slice(1).map((l) => chip(`${l}+`, { status, level: l }, l === level))}
      </p>
      <form method="post" action="/alerts">
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {canChange && <th scope="col">Select</th>}
                <th scope="col">Raised (UTC)</th>
                <th scope="col">Level</th>
                <th scope="col">Status</th>
                <th scope="col">Rule</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">{seesContent(c.get('auth')) ? 'Command / detail' : 'Detail'}</th>
                <th scope="col">Replay</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr>
                  {canChange && (
                    <td>
                      <input
                        type="checkbox"
                        name="id"
                        value={String(a.alertId)}
                        aria-label={`select alert ${a.alertId}`}
                      />
                    </td>
                  )}
                  <td>
                    <Time ms={a.createdAt} />
                  </td>
                  <td>
                    <LevelBadge level={a.level} />
                  </td>
                  <td>{a.status}</td>
                  <td title={inert(a.ruleId)}>
                    <a href={`/alerts/${a.alertId}`}>{inert(a.ruleTitle)}</a>
                  </td>
                  <td>
                    <ActorLink actor={a.actor} />
                  </td>
                  <td>
                    <TargetLink target={a.target} />
                  </td>
                  <td>
                    {a.commandText !== null ? <code>{inert(a.commandText)}</code> : inert(a.detail ?? '')}
                  </td>
                  <td>{sameSiteLink(a.link) ? <a href={sameSiteLink(a.link)!}>open</a> : '-'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.items.length === 0 && <p>No alerts.</p>}
        {canChange && page.items.length > 0 && (
          <p>
            <label>
              Reason <input type="text" name="reason" maxlength={500} />
            </label>{' '}
            <button type="submit" name="action" value="ack">
              Acknowledge selected
            </button>{' '}
            <button type="submit" name="action" value="resolve">
              Resolve selected
            </button>{' '}
            <button type="submit" name="action" value="reopen">
              Reopen selected
            </button>
          </p>
        )}
      </form>
      {page.nextCursor && (
        <a href={href('/alerts', { status, level, rule, cursor: page.nextCursor })}>Older alerts</a>
      )}
    </Layout>,
  );
}

/** POST /alerts: the bulk form; the scoped store refuses viewers and writes the access trail. */
export async function alertsAction(c: Context<WebEnv>) {
  const form = await c.req.parseBody({ all: true });
  const ids = ([] as unknown[])
    .concat(form.id ?? [])
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .slice(0, 1000);
  const status = ACTIONS[String(form.action ?? '')];
  // An alert's own page posts here too and wants to come back: only that path shape is followed.
  const back =
    typeof form.back === 'string' && /^\/alerts\/\d{1,15}$/.test(form.back) ? form.back : '/alerts';
  if (!status || ids.length === 0) return c.redirect(back, 303);
  const reason =
    typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim().slice(0, 500) : null;
  await c.get('store').alerts.setStatus(ids, status, reason);
  return c.redirect(back, 303);
}
