/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/rules`: every loaded rule (built-in pack, the configured directories, scheduled rules) with its
 * level, tags, source file, whether it runs, and its hits (alerts raised in the last 24 hours, 30
 * days, all time); admins turn rules on and off (POST /rules, through the role-scoped store, which
 * checks the role and writes the access trail); auditors and viewers read. Below: the load report,
 * every skipped rule with its reason and every rule written for another log source.
 */
import type { Context } from 'hono';
import { ALERT_LEVELS } from '../../alerts/json.ts';
import type { RuleState } from '../../store/index.ts';
import { LevelBadge } from '../alert-badges.tsx';
import type { WebEnv, WebStore } from '../env.ts';
import { Choice, href, Ident, inert, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { forbiddenPage, formText, Notice } from '../page-kit.tsx';
import type { CatalogIssue, CatalogRule, RuleCatalog } from '../rules-catalog.ts';

const DAY = 86_400_000;
/** Alerts read to count the 24 h and 30 d hits; past this the 30 d figures are lower bounds. */
export const HIT_SCAN_MAX = 20_000;
const STATES = ['enabled', 'disabled'] as const;
const KINDS = ['process', 'keyword', 'scheduled'] as const;

export interface RuleHits {
  day: Map<string, number>;
  month: Map<string, number>;
  all: Record<string, number>;
  /** True when more alerts were raised in 30 days than were read: 30 d counts are "at least". */
  capped: boolean;
}

/**
 * Alerts per rule: all time from the store's per-rule count; the last 24 h and 30 d by reading the
 * alerts raised since then, newest first (bounded by HIT_SCAN_MAX; the page says when it stopped).
 */
export async function ruleHits(store: WebStore, now: number): Promise<RuleHits> {
  const day = new Map<string, number>();
  const month = new Map<string, number>();
  let cursor: string | null = null;
  let read = 0;
  let capped = false;
  do {
    const page = await store.alerts.list({ since: now - 30 * DAY }, { limit: 1000, cursor });
    for (const a of page.items) {
      month.set(a.ruleId, (month.get(a.ruleId) ?? 0) + 1);
      if (a.createdAt >= now - DAY) day.set(a.ruleId, (day.get(a.ruleId) ?? 0) + 1);
    }
    read += page.items.length;
    cursor = page.nextCursor;
    if (cursor && read >= HIT_SCAN_MAX) capped = true;
  } while (cursor && !capped);
  return { day, month, all: await store.alerts.countByRule(), capped };
}

type RuleStatus =
  | { on: true }
  | { on: false; why: 'config' }
  | { on: false; why: 'ui'; state: RuleState }
  | { on: false; why: 'detection_off' };

function statusOf(rule: CatalogRule, catalog: RuleCatalog, states: Map<string, RuleState>): RuleStatus {
  if (catalog.disabledInConfig.has(rule.id)) return { on: false, why: 'config' };
  const state = states.get(rule.id);
  if (state && !state.enabled) return { on: false, why: 'ui', state };
  if (!catalog.detectionEnabled && rule.kind !== 'scheduled') return { on: false, why: 'detection_off' };
  return { on: true };
}

interface RuleQuery {
  q: string;
  level: string;
  state: string;
  kind: string;
}

function readQuery(get: (name: string) => string | undefined): RuleQuery {
  const pick = (name: string, allowed: readonly string[]) => {
    const v = (get(name) ?? '').trim();
    return allowed.includes(v) ? v : '';
  };
  return {
    q: (get('q') ?? '').trim().slice(0, 200),
    level: pick('level', ALERT_LEVELS),
    state: pick('state', STATES),
    kind: pick('kind', KINDS),
  };
}

export function rulesPage(catalog: () => RuleCatalog, now: () => number) {
  return async function renderRules(c: Context<WebEnv>) {
    const auth = c.get('auth');
    const store = c.get('store');
    const cat = catalog();
    const query = readQuery((n) => c.req.query(n));
    const [stateList, hits] = await Promise.all([store.ruleStates.list(), ruleHits(store, now())]);
    const states = new Map(stateList.map((s) => [s.ruleId, s]));
    const needle = query.q.toLowerCase();
    const rows = cat.rules
      .map((rule) => ({ rule, status: statusOf(rule, cat, states) }))
      .filter(
        ({ rule, status }) =>
          (!query.level || rule.level === query.level) &&
          (!query.kind || rule.kind === query.kind) &&
          (!query.state || (query.state === 'enabled') === status.on) &&
          (!needle ||
            rule.id.toLowerCase().includes(needle) ||
            rule.title.toLowerCase().includes(needle) ||
            rule.tags.some((t) => t.toLowerCase().includes(needle)) ||
            (rule.source ?? '').toLowerCase().includes(needle)),
      )
      .sort(
        (a, b) =>
          Number(b.rule.builtin) - Number(a.rule.builtin) ||
          (a.rule.source ?? '\uffff').localeCompare(b.rule.source ?? '\uffff') ||
          a.rule.id.localeCompare(b.rule.id),
      );
    const admin = auth.role === 'admin';
    const changed = c.req.query('changed');
    const changedRule = changed ? cat.byId.get(changed) : undefined;
    const refused = c.req.query('refused');
    const disabledCount = cat.rules.filter((r) => !statusOf(r, cat, states).on).length;
    const back = { q: query.q, level: query.level, state: query.state, kind: query.kind };
    return c.html(
      <Layout title="Rules" auth={auth} path="/rules">
        <h1>Rules</h1>
        {changedRule && (
          <Notice>
            {inert(changedRule.title)} is now {statusOf(changedRule, cat, states).on ? 'enabled' : 'disabled'}
            . Detection reads rule states at the start of each run, so the change applies from the next poll
            (to commands extracted from then on; <code>shelltrail rules test</code> backtests history).
          </Notice>
        )}
        {refused === 'config' && (
          <Notice kind="error">
            That rule is turned off in the configuration file (<code>detection.disabledRules</code>); change
            it there.
          </Notice>
        )}
        <p class="rule-counts">
          {cat.rules.length} rules loaded · {disabledCount} not running · {cat.skipped.length} skipped ·{' '}
          {cat.notApplicable.length} not applicable (<a href="#load-report">load report</a>)
        </p>
        {!cat.detectionEnabled && (
          <p class="note">Detection is turned off in the configuration: command rules raise no alerts.</p>
        )}
        <p class="muted">
          Sources: {cat.builtin ? 'the built-in pack' : 'no built-in pack'}
          {cat.ruleDirs.map((d) => (
            <>
              , <Ident value={d} />
            </>
          ))}
          ; scheduled rules: {cat.scheduledBuiltin ? 'built-in' : 'none built in'}
          {cat.scheduledRuleDirs.map((d) => (
            <>
              , <Ident value={d} />
            </>
          ))}
          . Rules below level {cat.minLevel} are loaded but raise no alerts.
        </p>
        <form class="filters" method="get" action="/rules" aria-label="Filter rules">
          <label>
            <span>Id, title, tag or file</span>
            <input name="q" value={query.q} maxlength={200} />
          </label>
          <Choice name="level" label="Level" value={query.level} options={[...ALERT_LEVELS]} />
          <Choice name="state" label="State" value={query.state} options={[...STATES]} />
          <Choice name="kind" label="Kind" value={query.kind} options={[...KINDS]} />
          <div class="actions">
            <button type="submit">Filter</button> <a href="/rules">Clear</a>
          </div>
        </form>
        {hits.capped && (
          <p class="note">
            More than {HIT_SCAN_MAX.toLocaleString('en')} alerts were raised in the last 30 days; the 24 h and
            30 d figures count the newest {HIT_SCAN_MAX.toLocaleString('en')} (marked ≥).
          </p>
        )}
        {rows.length === 0 ? (
          <p class="empty">No rule matches.</p>
        ) : (
          <div class="table-wrap">
            <table class="rules">
              <caption class="visually-hidden">
                Rules: {rows.length} shown; hits are alerts raised in the last 24 hours, 30 days and all time
              </caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Level</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Tags</th>
                  <th scope="col">Source</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">
                    Hits 24 h
                  </th>
                  <th scope="col" class="num">
                    30 d
                  </th>
                  <th scope="col" class="num">
                    All
                  </th>
                  {admin && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map(({ rule, status }) => (
                  <tr>
                    <th scope="row" class="rule-name">
                      {inert(rule.title)}
                      <br />
                      <code class="muted">{inert(rule.id)}</code>
                    </th>
                    <td>
                      <LevelBadge level={rule.level} />
                      {rule.belowMinLevel && <span class="muted"> (below {cat.minLevel}: no alerts)</span>}
                    </td>
                    <td class="kind">{rule.kind}</td>
                    <td class="tags">{rule.tags.length ? inert(rule.tags.join(', ')) : '—'}</td>
                    <td>
                      {rule.source === null ? (
                        <span class="muted">scheduled rules</span>
                      ) : (
                        <SourcePath source={rule.source} line={rule.line} />
                      )}
                    </td>
                    <td>
                      <StateCell status={status} />
                    </td>
                    <td class="num">
                      <Hit n={hits.day.get(rule.id) ?? 0} capped={hits.capped} />
                    </td>
                    <td class="num">
                      <Hit n={hits.month.get(rule.id) ?? 0} capped={hits.capped} />
                    </td>
                    <td class="num">
                      {(hits.all[rule.id] ?? 0) > 0 ? (
                        <a href={href('/alerts', { rule: rule.id })}>
                          {hits.all[rule.id]}
                          <span class="visually-hidden"> alerts of {inert(rule.title)}</span>
                        </a>
                      ) : (
                        0
                      )}
                    </td>
                    {admin && (
                      <td>
                        {status.on || status.why !== 'config' ? (
                          <form method="post" action="/rules" class="inline">
                            <input type="hidden" name="rule" value={rule.id} />
                            <input type="hidden" name="enabled" value={status.on ? 'false' : 'true'} />
                            {Object.entries(back).map(([k, v]) =>
                              v ? <input type="hidden" name={`back_${k}`} value={v} /> : null,
                            )}
                            {/* The rule's name for screen readers in the content, not in an attribute. */}
                            <button type="submit" class={status.on ? 'secondary' : undefined}>
                              {status.on ? 'Disable' : 'Enable'}
                              <span class="visually-hidden"> {inert(rule.title)}</span>
                            </button>
                          </form>
                        ) : (
                          <span class="muted">in the config file</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadReport catalog={cat} />
      </Layout>,
    );
  };
}

/** POST /rules: turn one loaded rule on or off (admins; the scoped store checks and records it). */
export function rulesAction(catalog: () => RuleCatalog) {
  return async function changeRule(c: Context<WebEnv>) {
    if (c.get('auth').role !== 'admin') return forbiddenPage(c, '/rules', 'Only admins turn rules on or off');
    const form = await c.req.parseBody();
    const id = formText(form, 'rule');
    const enabled = formText(form, 'enabled');
    const back = readQuery((n) => formText(form, `back_${n}`) || undefined);
    const cat = catalog();
    const rule = cat.byId.get(id);
    if (!rule || (enabled !== 'true' && enabled !== 'false')) {
      c.status(400);
      return c.text('400 no loaded rule has this id');
    }
    if (enabled === 'true' && cat.disabledInConfig.has(id))
      return c.redirect(href('/rules', { ...back, refused: 'config' }), 303);
    await c.get('store').ruleStates.setEnabled(id, enabled === 'true');
    return c.redirect(href('/rules', { ...back, changed: id }), 303);
  };
}

/** `dir/file.yml:12`, breakable after each `/` (long checkout paths wrap at their folders). */
function SourcePath(props: { source: string; line: number | null }) {
  const parts = inert(props.source).split('/');
  return (
    <code class="source">
      {parts.map((p, i) => (
        <>
          {p}
          {i < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </>
      ))}
      {props.line !== null ? `:${props.line}` : ''}
    </code>
  );
}

function Hit(props: { n: number; capped: boolean }) {
  return <>{props.capped && props.n > 0 ? `≥ ${props.n}` : String(props.n)}</>;
}

function StateCell(props: { status: RuleStatus }) {
  const s = props.status;
  if (s.on) return <span class="badge state-on">enabled</span>;
  if (s.why === 'config')
    return (
      <>
        <span class="badge state-off">disabled</span> <span class="muted">in the config file</span>
      </>
    );
  if (s.why === 'detection_off')
    return (
      <>
        <span class="badge state-off">not running</span> <span class="muted">detection is off</span>
      </>
    );
  return (
    <>
      <span class="badge state-off">disabled</span>{' '}
      <span class="muted">
        by <Ident value={s.state.updatedBy} />, <Time ms={s.state.updatedAt} />
      </span>
    </>
  );
}

function LoadReport(props: { catalog: RuleCatalog }) {
  const { skipped, notApplicable } = props.catalog;
  return (
    <section aria-labelledby="load-report">
      <h2 id="load-report">Load report</h2>
      <p class="muted">
        Rules with parts shelltrail cannot evaluate are skipped whole, never half-evaluated; rules for log
        sources shelltrail does not see (Windows, file or network events, …) are not applicable. The same
        report: <code>shelltrail rules check &lt;path&gt;</code>.
      </p>
      <h3>Skipped ({skipped.length})</h3>
      {skipped.length === 0 ? <p class="empty">None.</p> : <IssueTable issues={skipped} what="Reason" />}
      <h3>Not applicable ({notApplicable.length})</h3>
      {notApplicable.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <IssueTable issues={notApplicable} what="Log source" />
      )}
    </section>
  );
}

function IssueTable(props: { issues: CatalogIssue[]; what: string }) {
  return (
    <div class="table-wrap">
      <table class="load-report">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Rule</th>
            <th scope="col">{props.what}</th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((e) => (
            <tr>
              <td>
                <SourcePath source={e.source} line={e.line} />
                {e.loader === 'scheduled' && <span class="muted"> (scheduled)</span>}
              </td>
              <td>
                {e.title ? inert(e.title) : ''}
                {e.id ? (
                  <>
                    {e.title ? ' ' : ''}
                    <code class="muted">{inert(e.id)}</code>
                  </>
                ) : e.title ? null : (
                  <span class="muted">—</span>
                )}
              </td>
              <td>{inert(e.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
