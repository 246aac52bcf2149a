/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** `/findings`, `/attempts` and `/access-log` (admin): plain tables, newest first, paged. */
import type { Context } from 'hono';
import type { FindingKind } from '../../store/index.ts';
import type { WebEnv } from '../env.ts';
import { ActorLink, href, Ident, inert, SessionLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';

const PAGE = 100;
const KINDS: FindingKind[] = ['missing', 'partial', 'integrity'];

export async function findingsPage(c: Context<WebEnv>) {
  const kind = c.req.query('kind') as FindingKind | undefined;
  const cursor = c.req.query('cursor') ?? null;
  const page = await c
    .get('store')
    .findings.list(kind && KINDS.includes(kind) ? { kinds: [kind] } : {}, { limit: PAGE, cursor });
  return c.html(
    <Layout title="Findings" auth={c.get('auth')} path="/findings">
      <h1>Findings</h1>
      <p class="chips">
        <a href="/findings" aria-current={!kind ? 'true' : undefined}>
          all
        </a>
        {KINDS.map((k) => (
          <a href={href('/findings', { kind: k })} aria-current={k === kind ? 'true' : undefined}>
            {k}
          </a>
        ))}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Code</th>
              <th scope="col">Session start (UTC)</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">Session</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((f) => (
              <tr>
                <td>
                  <span class={`badge kind-${f.kind}`}>{f.kind}</span>
                </td>
                <td>
                  <code>{f.code}</code>
                </td>
                <td>
                  <Time ms={f.startedAt} />
                </td>
                <td>
                  <ActorLink actor={f.actor} />
                </td>
                <td>
                  <TargetLink target={f.target} />
                </td>
                <td>
                  <SessionLink sessionId={f.sessionId} />
                </td>
                <td>{inert(f.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.items.length === 0 && <p class="empty">No findings.</p>}
      <Pager path="/findings" query={{ kind }} next={page.nextCursor} />
    </Layout>,
  );
}

export async function attemptsPage(c: Context<WebEnv>) {
  const cursor = c.req.query('cursor') ?? null;
  const actor = c.req.query('actor') || undefined;
  const page = await c.get('store').sessions.listAttempts(actor ? { actor } : {}, { limit: PAGE, cursor });
  return c.html(
    <Layout title="Attempts" auth={c.get('auth')} path="/attempts">
      <h1>Denied attempts</h1>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Error</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">Account · region</th>
              <th scope="col">Source IP</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((a) => (
              <tr>
                <td>
                  <Time ms={a.eventTime} />
                </td>
                <td>
                  <code>{inert(a.errorCode)}</code>
                </td>
                <td>
                  <ActorLink actor={a.actor} />
                </td>
                <td>
                  <TargetLink target={a.target} />
                </td>
                <td>
                  <Ident value={a.accountId} /> · <Ident value={a.region} />
                </td>
                <td>
                  <Ident value={a.sourceIp} />
                </td>
                <td>{inert(a.errorMessage)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.items.length === 0 && <p class="empty">No denied attempts.</p>}
      <Pager path="/attempts" query={{ actor }} next={page.nextCursor} />
    </Layout>,
  );
}

export async function accessLogPage(c: Context<WebEnv>) {
  const auth = c.get('auth');
  if (auth.role !== 'admin') {
    c.status(403);
    return c.html(
      <Layout title="Forbidden" auth={auth} path="/access-log">
        <h1>Only admins read the access log</h1>
      </Layout>,
    );
  }
  const cursor = c.req.query('cursor') ?? null;
  const action = c.req.query('action') || undefined;
  const page = await c.get('store').accessTrail.list(action ? { action } : {}, { limit: PAGE, cursor });
  return c.html(
    <Layout title="Access log" auth={auth} path="/access-log">
      <h1>Access log</h1>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Action</th>
              <th scope="col">Who</th>
              <th scope="col">Role</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr>
                <td>
                  <Time ms={e.at} />
                </td>
                <td>
                  <a href={href('/access-log', { action: e.action })}>{e.action}</a>
                </td>
                <td>
                  <Ident value={e.actor} />
                </td>
                <td>{e.role ?? '—'}</td>
                <td>
                  <Ident value={e.sourceIp} />
                </td>
                <td>
                  <Ident value={e.subject} />
                </td>
                <td>
                  <code>{e.detail ? inert(JSON.stringify(e.detail)) : ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.items.length === 0 && <p class="empty">Nothing recorded yet.</p>}
      <Pager path="/access-log" query={{ action }} next={page.nextCursor} />
    </Layout>,
  );
}

function Pager(props: { path: string; query: Record<string, string | undefined>; next: string | null }) {
  return (
    <nav class="pager" aria-label="Pages">
      {props.next && <a href={href(props.path, { ...props.query, cursor: props.next })}>Older →</a>}
    </nav>
  );
}
