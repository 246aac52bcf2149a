/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** `/search?q=`: "who ran X", hits grouped by session, each a deep link into the replay. */
import type { Context } from 'hono';
import { deepLink } from '../../api/deep-link.ts';
import type { SearchHit } from '../../store/index.ts';
import type { WebEnv } from '../env.ts';
import { ActorLink, href, Ident, Snippet, sessionHref, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';

const PAGE = 100;

export async function searchPage(c: Context<WebEnv>) {
  const q = c.req.query('q') ?? '';
  const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
  const result =
    q.trim() === '' ? null : await c.get('store').commands.searchWithCount({ text: q, limit: PAGE, offset });
  if (result) await c.get('store').accessTrail.record('search', null, { q, via: 'web', offset });
  const groups = new Map<string, SearchHit[]>();
  for (const hit of result?.hits ?? [])
    groups.set(hit.sessionId, [...(groups.get(hit.sessionId) ?? []), hit]);
  const starts = new Map<string, number | null>();
  for (const sessionId of groups.keys())
    starts.set(sessionId, (await c.get('store').sessions.get(sessionId))?.startedAt ?? null);
  return c.html(
    <Layout title={q ? `Search: ${q}` : 'Search'} auth={c.get('auth')} path="/search">
      <h1>Search commands</h1>
      <form method="get" action="/search" class="search-form">
        <label>
          <span class="visually-hidden">Command text</span>
          <input type="search" name="q" value={q} placeholder="iptables -F" autofocus maxlength={1000} />
        </label>
        <button type="submit">Search</button>
      </form>
      {result && (
        <p class="counts" aria-live="polite">
          {result.total}
          {result.totalExact ? '' : '+'} matching commands in {groups.size} sessions on this page
        </p>
      )}
      {[...groups].map(([sessionId, hits]) => (
        <section class="hit-group">
          <h2>
            <a href={sessionHref(sessionId)}>
              <Ident value={sessionId} />
            </a>
          </h2>
          <p class="muted">
            <ActorLink actor={hits[0]!.actor} /> on <TargetLink target={hits[0]!.target} /> ·{' '}
            <Ident value={hits[0]!.accountId} /> · <Ident value={hits[0]!.region} />
          </p>
          <ol class="hits">
            {hits.map((h) => (
              <li>
                <a class="hit" href={deepLink({ sessionId, startedAt: starts.get(sessionId) ?? null }, h)}>
                  <Time ms={h.at} /> <Ident value={h.user} /> <Snippet text={h.snippet} />
                  {h.executed === false && <span class="badge warn">aborted</span>}
                </a>
              </li>
            ))}
          </ol>
        </section>
      ))}
      {result && result.hits.length === 0 && <p class="empty">No command contains that text.</p>}
      <nav class="pager" aria-label="Pages">
        {offset > 0 && <a href={href('/search', { q, offset: Math.max(0, offset - PAGE) })}>← Previous</a>}{' '}
        {result?.nextCursor && <a href={href('/search', { q, offset: offset + PAGE })}>Next →</a>}
      </nav>
    </Layout>,
  );
}
