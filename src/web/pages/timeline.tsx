/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/actors/:actor` and `/targets/:target`: everything one person or one node did, oldest first,
 * across sessions and accounts ("what did anyone do on this instance between 02:00 and 03:00").
 * Viewers see the sessions only.
 */
import type { Context } from 'hono';
import { deepLink } from '../../api/deep-link.ts';
import type { TimelineSubject } from '../../store/index.ts';
import { seesContent, type WebEnv } from '../env.ts';
import { ActorLink, CoverageBadge, href, Ident, inert, SessionLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { parseTime } from './params.ts';

const PAGE = 500;

export function timelinePage(kind: 'actor' | 'target') {
  return async function renderTimeline(c: Context<WebEnv>) {
    const value = c.req.param(kind) ?? '';
    const subject: TimelineSubject = kind === 'actor' ? { actor: value } : { target: value };
    const sinceText = c.req.query('since') ?? '';
    const untilText = c.req.query('until') ?? '';
    const content = seesContent(c.get('auth'));
    const page = await c
      .get('store')
      .timelines.list(
        subject,
        { since: parseTime(sinceText), until: parseTime(untilText), commands: content },
        { limit: PAGE, cursor: c.req.query('cursor') ?? null },
      );
    const starts = new Map<string, number | null>();
    for (const e of page.items)
      if (e.type === 'session') starts.set(e.session.sessionId, e.session.startedAt);
    const path = `/${kind}s/${encodeURIComponent(value)}`;
    return c.html(
      <Layout
        title={`${kind === 'actor' ? 'Actor' : 'Target'} ${inert(value)}`}
        auth={c.get('auth')}
        path={path}
      >
        <h1>
          {kind === 'actor' ? 'Actor' : 'Target'} <Ident value={value} />
        </h1>
        <form class="filters" method="get" action={path}>
          <label>
            <span>Since</span>
            <input name="since" value={sinceText} placeholder="2026-11-25T02:00" />
          </label>
          <label>
            <span>Until</span>
            <input name="until" value={untilText} placeholder="2026-11-25T03:00" />
          </label>
          <div class="actions">
            <button type="submit">Show</button>
          </div>
        </form>
        {page.items.length === 0 && <p class="empty">Nothing in this range.</p>}
        <ol class="timeline">
          {page.items.map((e) =>
            e.type === 'session' ? (
              <li class="tl-session">
                <Time ms={e.at} /> <strong>session</strong> <SessionLink sessionId={e.session.sessionId} />{' '}
                {kind === 'actor' ? (
                  <TargetLink target={e.session.target} />
                ) : (
                  <ActorLink actor={e.session.actor} />
                )}{' '}
                <Ident value={e.session.accountId} /> <CoverageBadge coverage={e.session.coverage} />
              </li>
            ) : (
              <li class="tl-command">
                <Time ms={e.at} />{' '}
                <a
                  href={deepLink(
                    { sessionId: e.command.sessionId, startedAt: starts.get(e.command.sessionId) ?? null },
                    e.command,
                  )}
                >
                  <code>{inert(e.command.text)}</code>
                </a>{' '}
                <Ident value={e.command.user} />
                {e.command.executed === false && <span class="badge warn">aborted</span>}
              </li>
            ),
          )}
        </ol>
        <nav class="pager" aria-label="Pages">
          {page.nextCursor && (
            <a href={href(path, { since: sinceText, until: untilText, cursor: page.nextCursor })}>Later →</a>
          )}
        </nav>
      </Layout>,
    );
  };
}
