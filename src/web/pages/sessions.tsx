/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** `/sessions`: the filtered list; every filter lives in the URL so a view can be shared. */
import type { Context } from 'hono';
import { ALERT_LEVELS } from '../../alerts/json.ts';
import type {
  AlertLevel,
  SessionAlertCounts,
  SessionCount,
  SessionFilters,
  SessionRow,
} from '../../store/index.ts';
import { SessionAlertsBadge } from '../alert-badges.tsx';
import { seesContent, type WebEnv, type WebStore } from '../env.ts';
import { ActorLink, Choice, CoverageBadge, href, Ident, SessionLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { parseTime } from './params.ts';

const PAGE = 50;
/** Counts are exact up to this; beyond it the page says "1,000+" (the store stops counting there). */
const COUNT_CAP = 1000;
const KINDS = ['shell', 'port_forward', 'ssh', 'interactive_command', 'non_interactive_command', 'custom'];
const COVERAGES = ['complete', 'partial', 'missing', 'open', 'not_recordable'];
const ALERTS = ['open', 'any'] as const;
const FIELDS = [
  'actor',
  'principal',
  'target',
  'account',
  'region',
  'kind',
  'coverage',
  'since',
  'until',
  'alerts',
  'alertLevel',
  'text',
] as const;

export async function sessionsPage(c: Context<WebEnv>) {
  const q = Object.fromEntries(FIELDS.map((f) => [f, (c.req.query(f) ?? '').trim()])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const filters: SessionFilters = {
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.target ? { target: q.target } : {}),
    ...(q.account ? { accountId: q.account } : {}),
    ...(q.region ? { region: q.region } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.principal ? { principal: q.principal } : {}),
    ...(q.coverage ? { coverage: q.coverage } : {}),
    // Viewers get no text field; a text filter in their URL is refused by the role-scoped store.
    ...(q.text ? { text: q.text } : {}),
    // The same names and meaning as GET /api/sessions: `alertLevel` alone means open alerts.
    ...((ALERTS as readonly string[]).includes(q.alerts) ? { alerts: q.alerts as 'open' | 'any' } : {}),
    ...((ALERT_LEVELS as readonly string[]).includes(q.alertLevel)
      ? { alertLevel: q.alertLevel as AlertLevel }
      : {}),
  };
  const since = parseTime(q.since);
  const until = parseTime(q.until);
  if (since != null) filters.since = since;
  if (until != null) filters.until = until;
  const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
  const { rows, more } = await listPage(c.get('store'), filters, offset);
  // Counts under every filter (the coverage links: with the coverage replaced), each bounded by the cap.
  const [counts, alerts] = await Promise.all([
    c.get('store').sessions.count(filters, { cap: COUNT_CAP }),
    c.get('store').alerts.countBySession(rows.map((s) => s.sessionId)),
  ]);
  const content = seesContent(c.get('auth'));
  const next = more ? href('/sessions', { ...q, offset: offset + PAGE }) : null;
  const prev = offset > 0 ? href('/sessions', { ...q, offset: Math.max(0, offset - PAGE) }) : null;
  return c.html(
    <Layout title="Sessions" auth={c.get('auth')} path="/sessions">
      <h1>Sessions</h1>
      <form class="filters" method="get" action="/sessions" aria-label="Filter sessions">
        <Field name="actor" label="Actor" value={q.actor} placeholder="alice*" />
        <Field name="principal" label="Principal ARN" value={q.principal} placeholder="arn:aws:iam::…" />
        <Field name="target" label="Target" value={q.target} placeholder="i-0123…" />
        <Field name="account" label="Account" value={q.account} />
        <Field name="region" label="Region" value={q.region} />
        <Choice name="kind" label="Kind" value={q.kind} options={KINDS} />
        <Choice name="coverage" label="Coverage" value={q.coverage} options={COVERAGES} />
        <Field name="since" label="Since" value={q.since} placeholder="2026-11-01 or 7d" />
        <Field name="until" label="Until" value={q.until} />
        {content && <Field name="text" label="A command contains" value={q.text} placeholder="iptables -F" />}
        <Choice name="alerts" label="Alerts" value={q.alerts} options={[...ALERTS]} />
        <Choice
          name="alertLevel"
          label="Alert level (at least)"
          value={q.alertLevel}
          options={[...ALERT_LEVELS]}
        />
        <div class="actions">
          <button type="submit">Filter</button> <a href="/sessions">Clear</a>
        </div>
      </form>
      <p class="counts" aria-live="polite">
        <span class="count-total">{countText(counts.total)}</span>{' '}
        {counts.total.count === 1 ? 'session matches' : 'sessions match'} ·{' '}
        {Object.entries(counts.coverage)
          .filter(([, n]) => n.count > 0)
          .map(([k, n]) => (
            <a class="count" href={href('/sessions', { ...q, coverage: k, offset: null })}>
              <CoverageBadge coverage={k} /> {countText(n)}
            </a>
          ))}{' '}
        · showing {rows.length === 0 ? 0 : `${offset + 1}–${offset + rows.length}`}
      </p>
      <SessionTable rows={rows} alerts={alerts} />
      <nav class="pager" aria-label="Pages">
        {prev && <a href={prev}>← Newer</a>} {next && <a href={next}>Older →</a>}
      </nav>
    </Layout>,
  );
}

/** One page at `offset` in the store's order: every filter is the store's, read in keyset pages. */
async function listPage(
  store: WebStore,
  filters: SessionFilters,
  offset: number,
): Promise<{ rows: SessionRow[]; more: boolean }> {
  const rows: SessionRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.sessions.list(filters, {
      limit: Math.min(5000, offset + PAGE + 1 - rows.length),
      cursor,
    });
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && rows.length <= offset + PAGE);
  return { rows: rows.slice(offset, offset + PAGE), more: rows.length > offset + PAGE };
}

/** A count as shown: exact, or the cap with a plus when there are more. */
export function countText(n: SessionCount): string {
  return `${n.count.toLocaleString('en-US')}${n.exact ? '' : '+'}`;
}

export function SessionTable(props: { rows: SessionRow[]; alerts?: Record<string, SessionAlertCounts> }) {
  if (props.rows.length === 0) return <p class="empty">No sessions match.</p>;
  return (
    <div class="table-wrap">
      <table class="sessions">
        <thead>
          <tr>
            <th scope="col">Started (UTC)</th>
            <th scope="col">Kind</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Account · region</th>
            <th scope="col">Coverage</th>
            {props.alerts && <th scope="col">Alerts</th>}
            <th scope="col">Session</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((s) => (
            <tr>
              <td>
                <Time ms={s.startedAt} />
              </td>
              <td>{s.kind}</td>
              <td>
                <ActorLink actor={s.actor} />
                {!s.identityVerified && (
                  <span class="badge warn" title="known only from what the node wrote">
                    unverified
                  </span>
                )}
              </td>
              <td>
                <TargetLink target={s.target} />
              </td>
              <td>
                <Ident value={s.accountId} /> · <Ident value={s.region} />
              </td>
              <td>
                <CoverageBadge coverage={s.coverage} />
              </td>
              {props.alerts && (
                <td>
                  <SessionAlertsBadge sessionId={s.sessionId} counts={props.alerts[s.sessionId]} />
                </td>
              )}
              <td>
                <SessionLink sessionId={s.sessionId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Field(props: { name: string; label: string; value: string; placeholder?: string }) {
  return (
    <label>
      <span>{props.label}</span>
      <input name={props.name} value={props.value} placeholder={props.placeholder} />
    </label>
  );
}
