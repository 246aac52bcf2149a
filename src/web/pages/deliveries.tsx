/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/deliveries` (auditors and admins): the notification outbox, newest first: channel (by name and
 * type; the URL and secret live in the config file and never reach a page), alert, status, attempts,
 * last error, next attempt. Filters by status and channel. A delivery that failed and will be tried
 * again is `pending` in the store with attempts and an error: shown as "failed, retrying". Auditors
 * and admins send dead deliveries again (POST /deliveries/retry: one, or the dead ones shown), each with a fresh
 * series of attempts, through the role-scoped store (access trail `delivery_retry`).
 */
import type { Context } from 'hono';
import type { Delivery, DeliveryStatus } from '../../store/index.ts';
import { seesContent, type WebEnv, type WebStore } from '../env.ts';
import { href, inert, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { forbiddenPage, formText, Notice } from '../page-kit.tsx';

const PAGE = 100;
/** Deliveries read to fill one page when a filter the store does not apply narrows the list. */
export const DELIVERY_SCAN_MAX = 5000;
const STATUSES = ['pending', 'failed', 'delivered', 'dead'] as const;
type StatusFilter = (typeof STATUSES)[number];
const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,99}$/i;

export interface ChannelInfo {
  name: string;
  type: string;
}

/**
 * A stored error as shown: deliverers record a status code or an error class, but whatever an
 * endpoint or a library put in a message, anything shaped like a URL (which could carry
 * credentials or a webhook token) is cut out, and the text is bounded.
 */
export function safeError(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*/gi, '[url]')
    .replace(/\b[^\s/@:]+:[^\s/@]+@[^\s/]+/g, '[credentials]')
    .slice(0, 300);
}

/** How a delivery stands, in the words the page uses. */
export function deliveryState(d: Delivery): StatusFilter {
  if (d.status === 'pending' && d.attempts > 0 && d.lastError !== null) return 'failed';
  return d.status;
}

/**
 * One page of deliveries matching filters the store applies (status, alert) and those it does not
 * (channel, failed-and-retrying): reads store pages just as long as the rows still missing, so the
 * cursor it returns starts exactly after the last row examined, and stops after DELIVERY_SCAN_MAX.
 */
export async function deliveryPage(
  store: WebStore,
  filters: { status?: StatusFilter; channel?: string; alertId?: number },
  cursor: string | null,
): Promise<{ items: Delivery[]; nextCursor: string | null; stoppedEarly: boolean }> {
  const storeStatus: DeliveryStatus | undefined =
    filters.status === 'failed' ? 'pending' : (filters.status as DeliveryStatus | undefined);
  const keep = (d: Delivery) =>
    (!filters.channel || d.channel === filters.channel) &&
    (filters.status !== 'failed' || deliveryState(d) === 'failed') &&
    (filters.status !== 'pending' || deliveryState(d) === 'pending');
  const items: Delivery[] = [];
  let scanned = 0;
  let next = cursor;
  do {
    const page = await store.deliveries.list(
      {
        ...(storeStatus ? { status: storeStatus } : {}),
        ...(filters.alertId ? { alertId: filters.alertId } : {}),
      },
      { limit: PAGE - items.length, cursor: next },
    );
    scanned += page.items.length;
    for (const d of page.items) if (keep(d)) items.push(d);
    next = page.nextCursor;
  } while (next && items.length < PAGE && scanned < DELIVERY_SCAN_MAX);
  return { items, nextCursor: next, stoppedEarly: next !== null && items.length < PAGE };
}

export function deliveriesPage(channels: () => ChannelInfo[], now: () => number) {
  return async function listDeliveries(c: Context<WebEnv>) {
    const auth = c.get('auth');
    if (!seesContent(auth))
      return forbiddenPage(c, '/deliveries', 'The delivery log needs an auditor or admin');
    const statusParam = c.req.query('status') ?? '';
    const status = (STATUSES as readonly string[]).includes(statusParam)
      ? (statusParam as StatusFilter)
      : undefined;
    const channelParam = (c.req.query('channel') ?? '').trim();
    const channel = CHANNEL_NAME.test(channelParam) ? channelParam : undefined;
    const alertParam = Number(c.req.query('alert'));
    const alertId = Number.isSafeInteger(alertParam) && alertParam > 0 ? alertParam : undefined;
    const cursor = c.req.query('cursor') ?? null;
    const store = c.get('store');
    const page = await deliveryPage(store, { status, channel, alertId }, cursor);
    const alertIds = [...new Set(page.items.map((d) => d.alertId))];
    const alerts = new Map(
      (await Promise.all(alertIds.map((id) => store.alerts.get(id)))).flatMap((a) =>
        a ? [[a.alertId, a] as const] : [],
      ),
    );
    const configured = channels();
    const byName = new Map(configured.map((ch) => [ch.name, ch]));
    const names = [...new Set([...configured.map((ch) => ch.name), ...(channel ? [channel] : [])])];
    const query = { status, channel, alert: alertId };
    const at = now();
    // Retrying is an auditor's action, as acknowledging is (the API's rule, POST /api/deliveries/retry).
    const canRetry = auth.role === 'admin' || auth.role === 'auditor';
    const dead = page.items.filter((d) => d.status === 'dead');
    const retried = c.req.query('retried');
    return c.html(
      <Layout title="Deliveries" auth={auth} path="/deliveries">
        <h1>Deliveries</h1>
        {retried !== undefined && /^\d{1,4}$/.test(retried) && (
          <Notice>
            {retried === '1' ? '1 dead delivery is' : `${retried} dead deliveries are`} pending again, with a
            fresh series of attempts: the deliverer sends {retried === '1' ? 'it' : 'them'} in its next pass.
          </Notice>
        )}
        <p class="muted">
          Notifications waiting, sent and given up, per alert and channel. Channels are shown by name: their
          URLs and secrets stay in the configuration file.
        </p>
        <form class="filters" method="get" action="/deliveries" aria-label="Filter deliveries">
          <label>
            <span>Status</span>
            <select name="status">
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option value={s} selected={s === status}>
                  {s === 'failed' ? 'failed, retrying' : s}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Channel</span>
            <select name="channel">
              <option value="">any</option>
              {names.map((n) => (
                <option value={n} selected={n === channel}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Alert id</span>
            <input name="alert" value={alertId ? String(alertId) : ''} inputmode="numeric" />
          </label>
          <div class="actions">
            <button type="submit">Filter</button> <a href="/deliveries">Clear</a>
          </div>
        </form>
        {configured.length === 0 && (
          <p class="note">No notification channel is configured: alerts are recorded, not sent.</p>
        )}
        {canRetry && dead.length > 0 && (
          <form method="post" action="/deliveries/retry" class="retry-all">
            {dead.map((d) => (
              <input type="hidden" name="id" value={String(d.deliveryId)} />
            ))}
            <BackFields query={query} />
            <button type="submit">
              Retry the {dead.length === 1 ? 'dead delivery' : `${dead.length} dead deliveries`} shown
            </button>{' '}
            <span class="muted">each gets a fresh series of attempts</span>
          </form>
        )}
        {page.items.length === 0 ? (
          <p class="empty">No deliveries{page.stoppedEarly ? ' among the newest read' : ''}.</p>
        ) : (
          <div class="table-wrap">
            <table class="deliveries">
              <thead>
                <tr>
                  <th scope="col">Queued (UTC)</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Alert</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">Next attempt / delivered (UTC)</th>
                  {canRetry && <th scope="col">Retry</th>}
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => {
                  const state = deliveryState(d);
                  const ch = byName.get(d.channel);
                  const alert = alerts.get(d.alertId);
                  return (
                    <tr>
                      <td>
                        <Time ms={d.createdAt} />
                      </td>
                      <td>
                        <code>{inert(d.channel)}</code>{' '}
                        <span class="muted">{ch ? ch.type : '(not configured)'}</span>
                      </td>
                      <td>
                        <a href={`/alerts/${d.alertId}`}>
                          {alert ? inert(alert.ruleTitle) : `alert ${d.alertId}`}
                        </a>
                      </td>
                      <td>
                        <span class={`badge delivery-${state}`}>
                          {state === 'failed' ? 'failed, retrying' : state}
                        </span>
                      </td>
                      <td class="num">{d.attempts}</td>
                      <td>{d.lastError ? <code>{inert(safeError(d.lastError))}</code> : '—'}</td>
                      <td>
                        {d.status === 'delivered' ? (
                          <Time ms={d.deliveredAt} />
                        ) : d.status === 'dead' ? (
                          <span class="muted">given up</span>
                        ) : (
                          <>
                            <Time ms={d.nextAttemptAt} />
                            {d.nextAttemptAt <= at && <span class="muted"> (due)</span>}
                          </>
                        )}
                      </td>
                      {canRetry && (
                        <td>
                          {d.status === 'dead' && (
                            <form method="post" action="/deliveries/retry" class="inline">
                              <input type="hidden" name="id" value={String(d.deliveryId)} />
                              <BackFields query={query} />
                              <button type="submit" class="secondary">
                                Retry<span class="visually-hidden"> delivery {d.deliveryId}</span>
                              </button>
                            </form>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {page.stoppedEarly && (
          <p class="note">
            Read {DELIVERY_SCAN_MAX.toLocaleString('en')} deliveries for this filter; older ones follow.
          </p>
        )}
        <nav class="pager" aria-label="Pages">
          {page.nextCursor && (
            <a href={href('/deliveries', { ...query, cursor: page.nextCursor })}>Older →</a>
          )}
        </nav>
      </Layout>,
    );
  };
}

/** The list's filters, carried through a retry so the page comes back as it was. */
function BackFields(props: { query: Record<string, string | number | undefined> }) {
  return (
    <>
      {Object.entries(props.query).map(([k, v]) =>
        v === undefined ? null : <input type="hidden" name={`back_${k}`} value={String(v)} />,
      )}
    </>
  );
}

/**
 * POST /deliveries/retry: dead deliveries (the ids posted) pending again. Auditors and admins, as in
 * the API; the role-scoped store checks its own rule and records each one in the access trail.
 */
export async function retryDeliveriesAction(c: Context<WebEnv>) {
  const role = c.get('auth').role;
  if (role !== 'admin' && role !== 'auditor')
    return forbiddenPage(c, '/deliveries', 'Retrying deliveries needs an auditor or admin');
  const form = await c.req.parseBody({ all: true });
  const ids = ([] as unknown[])
    .concat(form.id ?? [])
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, 1000);
  const back: Record<string, string | number | undefined> = {};
  const status = formText(form, 'back_status');
  if ((STATUSES as readonly string[]).includes(status)) back.status = status;
  const channel = formText(form, 'back_channel');
  if (CHANNEL_NAME.test(channel)) back.channel = channel;
  const alert = Number(formText(form, 'back_alert'));
  if (Number.isSafeInteger(alert) && alert > 0) back.alert = alert;
  if (ids.length === 0) return c.redirect(href('/deliveries', back), 303);
  const retried = await c.get('store').deliveries.retryDead(ids);
  return c.redirect(href('/deliveries', { ...back, retried: retried.length }), 303);
}
