/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/alerts/:id`: one alert: rule, level, status and who set it, the session, the command (not for
 * viewers: the role-scoped store already removed it), the link into the replay, and (auditors,
 * admins) acknowledge / resolve / reopen, posted to the alerts page's bulk form, and "suppress
 * alerts like this", which opens the suppression form filled in from the alert.
 */
import type { Context } from 'hono';
import { LevelBadge } from '../alert-badges.tsx';
import { seesContent, type WebEnv } from '../env.ts';
import { ActorLink, Ident, inert, SessionLink, sameSiteLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';

export async function alertPage(c: Context<WebEnv>) {
  const auth = c.get('auth');
  const id = Number(c.req.param('id'));
  const alert = Number.isSafeInteger(id) && id > 0 ? await c.get('store').alerts.get(id) : undefined;
  if (!alert) {
    c.status(404);
    return c.html(
      <Layout title="Not found" auth={auth} path="/alerts">
        <h1>No such alert</h1>
        <p>
          <a href="/alerts">Back to alerts</a>
        </p>
      </Layout>,
    );
  }
  const canChange = seesContent(auth);
  const replay = sameSiteLink(alert.link);
  return c.html(
    <Layout title={`Alert ${alert.alertId}: ${inert(alert.ruleTitle)}`} auth={auth} path="/alerts">
      <h1>
        <LevelBadge level={alert.level} /> {inert(alert.ruleTitle)}
      </h1>
      <dl class="meta">
        <Meta label="Status">
          {alert.status}
          {alert.statusBy && (
            <span class="muted">
              {' '}
              by <Ident value={alert.statusBy} />
            </span>
          )}
          {alert.statusReason && <span class="muted"> ({inert(alert.statusReason)})</span>}
        </Meta>
        <Meta label="Raised (UTC)">
          <Time ms={alert.createdAt} />
        </Meta>
        <Meta label="Rule">
          <Ident value={alert.ruleId} />
          {alert.ruleAuthor && (
            <span class="muted">
              {' '}
              by <Ident value={alert.ruleAuthor} />
            </span>
          )}
        </Meta>
        <Meta label="Tags">{alert.tags.length ? inert(alert.tags.join(', ')) : '—'}</Meta>
        <Meta label="Session">
          {alert.sessionId ? <SessionLink sessionId={alert.sessionId} /> : <span class="muted">—</span>}
        </Meta>
        <Meta label="Actor">
          <ActorLink actor={alert.actor} />
        </Meta>
        <Meta label="Target">
          <TargetLink target={alert.target} />
        </Meta>
        <Meta label="User">
          <Ident value={alert.user} />
        </Meta>
        <Meta label="Command time (UTC)">
          <Time ms={alert.commandAt} />
        </Meta>
        {alert.detail && <Meta label="Detail">{inert(alert.detail)}</Meta>}
      </dl>
      {alert.commandText !== null && (
        <>
          <h2>Command</h2>
          <pre class="alert-command">
            <code>{inert(alert.commandText)}</code>
          </pre>
        </>
      )}
      {!canChange && alert.sessionId && (
        <p class="note">Your role shows the alert and its session, not what was typed.</p>
      )}
      {replay && (
        <p>
          <a href={replay}>{canChange ? 'Open the replay at this command' : 'Open the session'}</a>
        </p>
      )}
      {canChange && (
        <form method="post" action="/alerts" class="alert-actions">
          <input type="hidden" name="id" value={String(alert.alertId)} />
          <input type="hidden" name="back" value={`/alerts/${alert.alertId}`} />
          <label>
            Reason <input type="text" name="reason" maxlength={500} />
          </label>{' '}
          <button type="submit" name="action" value="ack">
            Acknowledge
          </button>{' '}
          <button type="submit" name="action" value="resolve">
            Resolve
          </button>{' '}
          <button type="submit" name="action" value="reopen">
            Reopen
          </button>
        </form>
      )}
      {canChange && (
        <p>
          <a class="button-link" href={`/suppressions/new?alert=${alert.alertId}`}>
            Suppress alerts like this…
          </a>{' '}
          <span class="muted">
            (opens the suppression form filled in with this rule, actor, target and command)
          </span>
        </p>
      )}
      <p>
        <a href="/alerts">All alerts</a>
      </p>
    </Layout>,
  );
}

function Meta(props: { label: string; children?: unknown }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children as never}</dd>
    </div>
  );
}
