/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** `/`: the overview: sessions per day, coverage totals, top actors and targets, latest findings. */
import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { ActorLink, CoverageBadge, href, SessionLink, TargetLink, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';

export async function overviewPage(c: Context<WebEnv>) {
  const store = c.get('store');
  const [stats, findings] = await Promise.all([
    store.stats.overview(),
    store.findings.list({}, { limit: 5 }),
  ]);
  const days = stats.sessionsPerDay.slice(-30);
  const peak = Math.max(1, ...days.map((d) => d.sessions));
  return c.html(
    <Layout title="Overview" auth={c.get('auth')} path="/">
      <h1>Overview</h1>
      <div class="cards">
        <a class="card" href="/sessions">
          <span class="big">{stats.sessions}</span> sessions
        </a>
        <a class="card" href="/attempts">
          <span class="big">{stats.attempts}</span> denied attempts
        </a>
        <a class="card" href="/findings">
          <span class="big">{(stats.coverage.missing ?? 0) + (stats.coverage.partial ?? 0)}</span> sessions
          with a missing or partial transcript
        </a>
      </div>
      <section>
        <h2>Coverage</h2>
        <p class="counts">
          {Object.entries(stats.coverage).map(([k, n]) => (
            <a class="count" href={href('/sessions', { coverage: k })}>
              <CoverageBadge coverage={k} /> {n}
            </a>
          ))}
        </p>
      </section>
      <section>
        <h2>Sessions per day (last {days.length} days with sessions)</h2>
        <ol class="bars" aria-label="Sessions per day">
          {days.map((d) => (
            <li>
              <a href={href('/sessions', { since: d.day, until: nextDay(d.day) })}>
                <span class="day">{d.day}</span>
                <meter min={0} max={peak} value={d.sessions} aria-label={`${d.sessions} sessions`} />
                <span class="n">{d.sessions}</span>
              </a>
            </li>
          ))}
        </ol>
      </section>
      <div class="columns">
        <section>
          <h2>Top actors</h2>
          <ol>
            {stats.topActors.map((a) => (
              <li>
                <ActorLink actor={a.actor} /> <span class="muted">{a.sessions}</span>
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h2>Top targets</h2>
          <ol>
            {stats.topTargets.map((t) => (
              <li>
                <TargetLink target={t.target} /> <span class="muted">{t.sessions}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section>
        <h2>Latest findings</h2>
        <ul class="findings">
          {findings.items.map((f) => (
            <li>
              <span class={`badge kind-${f.kind}`}>{f.kind}</span> <code>{f.code}</code>{' '}
              <Time ms={f.startedAt} /> <ActorLink actor={f.actor} /> <SessionLink sessionId={f.sessionId} />
            </li>
          ))}
        </ul>
      </section>
    </Layout>,
  );
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
