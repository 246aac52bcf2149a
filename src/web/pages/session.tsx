/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/sessions/:id`: metadata, the replay (asciinema-player fed by the API's cast) beside the command
 * list, the readable text with find, the raw download, the CloudTrail evidence and the findings.
 * Viewers get metadata, evidence and findings only: no commands, no transcript, no replay.
 * `?at=<seconds>&cmd=<text>` opens the replay at the nearest command with that text.
 */
import type { Context } from 'hono';
import { ALERT_LEVELS } from '../../alerts/json.ts';
import { castPlan } from '../../analyze/cast.ts';
import { type LinkCommand, type LinkSession, resolveDeepLink } from '../../api/deep-link.ts';
import type { AlertRecord, Page, StoredCommand } from '../../store/index.ts';
import { LevelBadge } from '../alert-badges.tsx';
import { seesContent, type WebEnv, type WebStore } from '../env.ts';
import { ActorLink, CoverageBadge, Ident, inert, TargetLink, Time, utc } from '../format.tsx';
import { Layout } from '../layout.tsx';

/** Commands listed in the sidebar; past this the replay's own markers still reach every one. */
const SIDEBAR_MAX = 10_000;
/** Alerts listed on the page (the alerts page lists every one). */
const ALERTS_MAX = 1000;

export async function sessionPage(c: Context<WebEnv>) {
  const store = c.get('store');
  const auth = c.get('auth');
  const id = c.req.param('id') ?? '';
  const session = await store.sessions.get(id);
  if (!session) {
    c.status(404);
    return c.html(
      <Layout title="Not found" auth={auth} path="/sessions">
        <h1>No such session</h1>
        <p>
          <a href="/sessions">Back to sessions</a>
        </p>
      </Layout>,
    );
  }
  const content = seesContent(auth);
  const [transcripts, events, findings, alertPage] = await Promise.all([
    store.transcripts.list(id),
    store.evidence.sessionEvents(id),
    store.findings.list({ sessionId: id }),
    // Role-scoped: a viewer's alerts come without command text.
    store.alerts.list({ sessionId: id }, { limit: ALERTS_MAX }),
  ]);
  const alerts = alertPage.items;
  const firstPage = content
    ? await store.commands.listForSession(id, { limit: SIDEBAR_MAX })
    : { items: [], nextCursor: null };
  const commands = firstPage.items;
  const alertsAt = alertsByCommand(commands, alerts);
  const plan = castPlan(transcripts);
  const linked = content
    ? await linkedCommand(store, session, firstPage, c.req.query('at'), c.req.query('cmd'))
    : null;
  const start = linked?.index ?? null;
  const live =
    session.endedAt == null &&
    session.coverage === 'open' &&
    transcripts.some((t) => t.source === 'cloudwatch');
  const api = `/api/sessions/${encodeURIComponent(id)}`;
  return c.html(
    <Layout
      title={`Session ${inert(id)}`}
      auth={auth}
      path="/sessions"
      scripts={content ? ['/assets/player/asciinema-player.min.js', '/assets/session.js'] : []}
      styles={content ? ['/assets/player/asciinema-player.css'] : []}
    >
      <h1 class="session-title">
        Session <Ident value={id} />
      </h1>
      <dl class="meta">
        <Meta label="Alerts">
          <AlertSummary alerts={alerts} more={alertPage.nextCursor !== null} />
        </Meta>
        <Meta label="Actor">
          <ActorLink actor={session.actor} />
          {!session.identityVerified && <span class="badge warn">unverified (from the node only)</span>}
        </Meta>
        <Meta label="Principal">
          <Ident value={session.principalArn} />
        </Meta>
        <Meta label="Target">
          <TargetLink target={session.target} />
        </Meta>
        <Meta label="Account · region">
          <Ident value={session.accountId} /> · <Ident value={session.region} />
        </Meta>
        <Meta label="Kind">{session.kind}</Meta>
        <Meta label="Started (UTC)">
          <Time ms={session.startedAt} />
        </Meta>
        <Meta label="Ended (UTC)">
          <Time ms={session.endedAt} />{' '}
          {session.endSource && <span class="muted">({session.endSource})</span>}
        </Meta>
        <Meta label="Coverage">
          <CoverageBadge coverage={session.coverage} />{' '}
          <span class="muted">{session.transcriptSources.join(', ') || 'no transcript'}</span>
        </Meta>
        <Meta label="Run as">
          <Ident value={session.runAsUser} />
        </Meta>
        <Meta label="Source IP">
          <Ident value={session.sourceIp} />
        </Meta>
        <Meta label="Reason">
          <Ident value={session.reason} />
        </Meta>
        <Meta label="Document">
          <Ident value={session.documentName} />
        </Meta>
      </dl>
      {content && plan.transcript && (
        <section class="replay-area" aria-label="Replay and transcript">
          <div class="tabs" role="tablist">
            <button
              type="button"
              role="tab"
              id="tab-replay"
              aria-controls="panel-replay"
              aria-selected="true"
            >
              Replay
            </button>
            <button type="button" role="tab" id="tab-text" aria-controls="panel-text" aria-selected="false">
              Text
            </button>
            <a class="download" href={`${api}/raw`} download>
              Download raw
            </a>
          </div>
          <div
            id="panel-replay"
            role="tabpanel"
            aria-labelledby="tab-replay"
            class="replay"
            data-cast={`${api}/cast`}
            data-start={start ?? ''}
            data-live={live ? '1' : '0'}
          >
            <div class="player-col">
              <div class="player-bar">
                <label>
                  Speed{' '}
                  <select id="speed">
                    {['0.5', '1', '2', '4', '8'].map((s) => (
                      <option value={s} selected={s === '1'}>
                        {s}×
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <input type="checkbox" id="skip-idle" checked /> Skip idle
                </label>
                <button type="button" id="fullscreen">
                  Full screen
                </button>
                <span class="muted keys">
                  <kbd>[</kbd> <kbd>]</kbd> previous / next command · <kbd>space</kbd> play/pause
                </span>
                {live && (
                  <span class="badge live" id="live-badge">
                    live: following new events
                  </span>
                )}
              </div>
              {linked && linked.index >= commands.length && (
                <p class="note" id="link-note">
                  The link opens command #{linked.index + 1} (<code>{inert(linked.command.text)}</code>), past
                  the first {commands.length.toLocaleString('en')} listed beside the replay; the list grows to
                  it once the replay has loaded.
                </p>
              )}
              {plan.timing === 'timing:synthetic' && (
                <p class="note" id="timing-note">
                  Timing is simulated: the S3 transcript records no times, so typing and output are paced
                  plausibly. Order and content are exact.
                </p>
              )}
              {plan.timing === 'timing:cloudwatch-1s' && (
                <p class="note" id="timing-note">
                  Timing from CloudWatch Logs events (about one second apart).
                </p>
              )}
              <div id="player" class="player" />
            </div>
            <aside class="command-list" aria-label="Commands">
              <h2>Commands ({commands.length})</h2>
              <ol id="commands">
                {commands.map((cmd, i) => (
                  <li class={alertsAt.has(i) ? 'has-alert' : undefined}>
                    <button
                      type="button"
                      class="cmd"
                      data-index={i}
                      aria-current={i === start ? 'true' : undefined}
                    >
                      <span class="cmd-meta">
                        {cmd.at != null ? utc(cmd.at).slice(11) : `#${cmd.seq + 1}`}{' '}
                        <Ident value={cmd.user} />
                        {cmd.executed === false && <span class="badge warn">aborted</span>}
                        {cmd.executed === null && <span class="badge">uncertain</span>}
                      </span>
                      <code>{inert(cmd.text)}</code>
                    </button>
                    {alertsAt.has(i) && <CommandAlerts alerts={alertsAt.get(i)!} />}
                  </li>
                ))}
              </ol>
            </aside>
          </div>
          <div
            id="panel-text"
            role="tabpanel"
            aria-labelledby="tab-text"
            class="text-panel"
            data-text={`${api}/transcript.txt`}
            hidden
          >
            <label>
              Find <input type="search" id="find" placeholder="text in the transcript" />
            </label>{' '}
            <span id="find-count" class="muted" aria-live="polite" />
            <pre id="transcript-text" tabindex={0}>
              Loading…
            </pre>
          </div>
        </section>
      )}
      {content && !plan.transcript && <p class="note">No transcript is stored for this session.</p>}
      {!content && (
        <p class="note">Your role shows session metadata, evidence and findings, not what was typed.</p>
      )}
      <AlertList alerts={alerts} content={content} />
      <h2>Findings</h2>
      {findings.items.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <ul class="findings">
          {findings.items.map((f) => (
            <li>
              <span class={`badge kind-${f.kind}`}>{f.kind}</span> <code>{f.code}</code> {inert(f.detail)}{' '}
              <span class="muted">
                (<Time ms={f.detectedAt} />)
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>CloudTrail evidence</h2>
      {events.length === 0 ? (
        <p class="empty">
          No CloudTrail record (the session is known from its transcript or DescribeSessions).
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Who</th>
                <th scope="col">Source IP</th>
                <th scope="col">Error</th>
                <th scope="col">Record</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>
                    <Time ms={e.eventTime} />
                  </td>
                  <td>{e.eventName}</td>
                  <td>
                    <Ident value={e.principalArn ?? e.actor} />
                  </td>
                  <td>
                    <Ident value={e.sourceIp} />
                  </td>
                  <td>
                    <Ident value={e.errorCode} empty="" />
                  </td>
                  <td>
                    <details>
                      <summary>raw</summary>
                      <pre class="raw-record">{inert(prettyJson(e.raw))}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>,
  );
}

/** Open alerts first, then by level (highest first), then newest. */
function byUrgency(a: AlertRecord, b: AlertRecord): number {
  const open = Number(b.status === 'open') - Number(a.status === 'open');
  if (open !== 0) return open;
  const level = ALERT_LEVELS.indexOf(b.level) - ALERT_LEVELS.indexOf(a.level);
  return level !== 0 ? level : b.createdAt - a.createdAt;
}

/** First in the metadata: how many alerts are open and the highest level, linking to the list below. */
function AlertSummary(props: { alerts: AlertRecord[]; more: boolean }) {
  if (props.alerts.length === 0)
    return (
      <span class="muted" id="alert-summary">
        none
      </span>
    );
  const open = props.alerts.filter((a) => a.status === 'open').sort(byUrgency);
  const top = [...props.alerts].sort(byUrgency)[0]!;
  const total = `${props.alerts.length}${props.more ? '+' : ''}`;
  if (open.length === 0)
    return (
      <span id="alert-summary">
        <a class="badge alerts-closed" href="#alerts">
          no open alerts
        </a>{' '}
        <span class="muted">
          ({total} in all, highest level <LevelBadge level={top.level} />)
        </span>
      </span>
    );
  return (
    <span id="alert-summary">
      <a class={`badge alerts-open level-${open[0]!.level}`} href="#alerts">
        {open.length} open alert{open.length === 1 ? '' : 's'} · {open[0]!.level}
      </a>
      {open.length < props.alerts.length && <span class="muted"> of {total}</span>}
    </span>
  );
}

/** Under a command in the sidebar: the alerts it raised, each linking to its detail page. */
function CommandAlerts(props: { alerts: AlertRecord[] }) {
  return (
    <ul class="cmd-alerts" aria-label="Alerts this command raised">
      {props.alerts.map((a) => (
        <li>
          <a href={`/alerts/${a.alertId}`}>
            <LevelBadge level={a.level} /> {inert(a.ruleTitle)}
            {a.status !== 'open' && <span class="muted"> ({a.status})</span>}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Every alert of the session: level, status, rule, the command (not for viewers) or detail. */
function AlertList(props: { alerts: AlertRecord[]; content: boolean }) {
  return (
    <section aria-labelledby="alerts">
      <h2 id="alerts">Alerts</h2>
      {props.alerts.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <div class="table-wrap">
          <table class="session-alerts">
            <thead>
              <tr>
                <th scope="col">Raised (UTC)</th>
                <th scope="col">Level</th>
                <th scope="col">Status</th>
                <th scope="col">Rule</th>
                <th scope="col">{props.content ? 'Command / detail' : 'Detail'}</th>
              </tr>
            </thead>
            <tbody>
              {[...props.alerts].sort(byUrgency).map((a) => (
                <tr>
                  <td>
                    <Time ms={a.createdAt} />
                  </td>
                  <td>
                    <LevelBadge level={a.level} />
                  </td>
                  <td>{a.status}</td>
                  <td>
                    <a href={`/alerts/${a.alertId}`}>{inert(a.ruleTitle)}</a>
                  </td>
                  <td>
                    {a.commandText !== null ? <code>{inert(a.commandText)}</code> : inert(a.detail ?? '')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * Which sidebar command raised each alert: the `occurrence`-th command with the alert's exact text
 * (what its dedupe key names, so it survives re-extraction), else the one with that text nearest
 * the alert's command time. Alerts without command text (scheduled rules; every alert a viewer
 * sees) mark nothing.
 */
export function alertsByCommand(
  commands: readonly StoredCommand[],
  alerts: readonly AlertRecord[],
): Map<number, AlertRecord[]> {
  const byText = new Map<string, number[]>();
  commands.forEach((c, i) => {
    const list = byText.get(c.text);
    if (list) list.push(i);
    else byText.set(c.text, [i]);
  });
  const out = new Map<number, AlertRecord[]>();
  for (const a of alerts) {
    if (a.commandText === null) continue;
    const same = byText.get(a.commandText);
    if (!same) continue;
    let index = a.occurrence !== null ? same[a.occurrence] : undefined;
    if (index === undefined) {
      const at = a.commandAt;
      const distance = (i: number) =>
        at === null || commands[i]!.at === null ? 0 : Math.abs(commands[i]!.at! - at);
      index = same.reduce((best, i) => (distance(i) < distance(best) ? i : best), same[0]!);
    }
    const list = out.get(index);
    if (list) list.push(a);
    else out.set(index, [a]);
  }
  for (const list of out.values()) list.sort(byUrgency);
  return out;
}

function Meta(props: { label: string; children?: unknown }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children as never}</dd>
    </div>
  );
}

function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/**
 * The command a deep link (`?at=<seconds from the start>&cmd=<text>`) means, as its index among all
 * the session's commands in seq order (the replay's marker index): the shared resolver
 * (src/api/deep-link.ts) picks among the commands with that exact text (nearest to `at`, else the
 * first); with no command of that text, the one nearest in time. The page lists at most
 * SIDEBAR_MAX commands: when the link's command may lie past them, the rest are read page by page
 * (only what a link needs is kept), so a link to command 12,345 of a long session still opens there.
 */
export async function linkedCommand(
  store: Pick<WebStore, 'commands'>,
  session: LinkSession,
  first: Page<StoredCommand>,
  atParam: string | undefined,
  cmd: string | undefined,
): Promise<{ index: number; command: StoredCommand } | null> {
  if (atParam == null && cmd == null) return null;
  const atNumber = atParam == null || atParam === '' ? Number.NaN : Number(atParam);
  const at = Number.isFinite(atNumber) ? atNumber : undefined;
  const target = session.startedAt != null && at !== undefined ? session.startedAt + at * 1000 : null;
  // Commands with the link's text, and (for links whose text is gone) the one nearest in time.
  const withText: { index: number; command: StoredCommand }[] = [];
  let nearest: { index: number; command: StoredCommand; distance: number } | null = null;
  let timed = false;
  const examine = (items: readonly StoredCommand[], offset: number) => {
    items.forEach((command, i) => {
      if (cmd != null && command.text === cmd) withText.push({ index: offset + i, command });
      if (command.at != null) timed = true;
      if (target != null && command.at != null) {
        const distance = Math.abs(command.at - target);
        if (!nearest || distance < nearest.distance) nearest = { index: offset + i, command, distance };
      }
    });
  };
  // Whether what was read already decides: without a time (in the link, or in a session whose
  // transcript records none) the first command with the text wins; with one, a command at that
  // very time (links carry tenths of seconds) cannot be beaten.
  const settled = () =>
    withText.length > 0 &&
    (target == null ||
      !timed ||
      withText.some((w) => w.command.at != null && Math.abs(w.command.at - target) < 50));
  examine(first.items, 0);
  let offset = first.items.length;
  let cursor = first.nextCursor;
  while (cursor && !settled()) {
    const page = await store.commands.listForSession(session.sessionId, { limit: SIDEBAR_MAX, cursor });
    examine(page.items, offset);
    offset += page.items.length;
    cursor = page.nextCursor;
  }
  if (withText.length > 0) {
    const candidates: LinkCommand[] = withText.map((w) => ({ text: w.command.text, at: w.command.at }));
    const picked = resolveDeepLink(session, candidates, at, cmd!);
    return withText[picked === -1 ? 0 : picked]!;
  }
  const found = nearest as { index: number; command: StoredCommand } | null;
  return found ? { index: found.index, command: found.command } : null;
}
