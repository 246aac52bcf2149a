/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/suppressions` (auditors and admins): what stops matching alerts from paging anyone. Lists the
 * suppressions made here (active and expired) and those in the configuration file, creates one
 * (POST /suppressions, validation errors shown beside their fields), removes one
 * (POST /suppressions/:id/remove). `/suppressions/new?alert=<id>` opens the form filled in from an
 * alert (rule, actor, target, the exact command as a pattern). Every change goes through the
 * role-scoped store, which checks the role and writes the access trail; forms are CSRF-checked by
 * the app like every other change.
 */
import type { Context } from 'hono';
import { fromConfig } from '../../alerts/match.ts';
import type { AlertRecord, NewSuppression, Suppression } from '../../store/index.ts';
import { seesContent, type WebEnv } from '../env.ts';
import { Ident, inert, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { ErrorSummary, type FormErrors, FormField, forbiddenPage, formText, Notice } from '../page-kit.tsx';
import type { RuleCatalog } from '../rules-catalog.ts';
import { parseTime } from './params.ts';

const LIMITS = { rule: 200, actor: 500, target: 500, command: 2000, reason: 500 } as const;
const LABELS: Record<string, string> = {
  rule: 'Rule id',
  actor: 'Actor pattern',
  target: 'Target pattern',
  command: 'Command pattern',
  expires: 'Expires',
  reason: 'Reason',
};
/** Longest a suppression may run: a forgotten one silences a rule for good. */
const MAX_EXPIRY_MS = 366 * 86_400_000;
const DEFAULT_EXPIRY = '30d';

export interface SuppressionForm {
  rule: string;
  actor: string;
  target: string;
  command: string;
  expires: string;
  reason: string;
  /** The alert the form was opened from, when it was. */
  alert: string;
  /** Also mark that alert suppressed. */
  markAlert: boolean;
}

const EMPTY_FORM: SuppressionForm = {
  rule: '',
  actor: '',
  target: '',
  command: '',
  expires: DEFAULT_EXPIRY,
  reason: '',
  alert: '',
  markAlert: true,
};

/** A literal value as a suppression pattern: `*`, `?` and `\` escaped, so it matches only itself. */
export function literalPattern(value: string | null): string {
  return value == null ? '' : value.replace(/[\\*?]/g, '\\$&');
}

/** Whether a pattern matches anything at all (empty, or only `*`): it narrows nothing. */
function matchesAll(pattern: string): boolean {
  return /^\**$/.test(pattern);
}

/** `7d`, `12h`, `30m` from now, or an ISO date / date-time (UTC); undefined when unreadable. */
function parseExpiry(text: string, now: number): number | undefined {
  const age = /^(\d{1,5})([dhm])$/.exec(text);
  if (age)
    return now + Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as 'd' | 'h' | 'm'];
  return parseTime(text, now);
}

/** The validated suppression, or the errors by field. */
export function validateSuppression(
  form: SuppressionForm,
  catalog: RuleCatalog,
  now: number,
):
  | {
      ok: true;
      value: Omit<NewSuppression, 'createdAt' | 'createdBy'>;
    }
  | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  for (const [field, max] of Object.entries(LIMITS)) {
    const value = form[field as keyof typeof LIMITS];
    if (value.length > max) errors[field] = `at most ${max} characters`;
  }
  for (const field of ['rule', 'actor', 'target'] as const)
    if (!errors[field] && /[\u0000-\u001f\u007f]/.test(form[field]))
      errors[field] = 'control characters are not allowed';
  if (!errors.command && /\u0000/.test(form.command)) errors.command = 'NUL characters are not allowed';
  if (!errors.rule && form.rule && !catalog.byId.has(form.rule))
    errors.rule = 'no loaded rule has this id (leave it empty for every rule)';
  if (!form.reason && !errors.reason) errors.reason = 'say why these alerts may be silenced';
  let expiresAt: number | null = null;
  if (form.expires) {
    const at = parseExpiry(form.expires, now);
    if (at === undefined) errors.expires = 'use 7d, 12h, 30m, 2026-12-31 or 2026-12-31T18:00 (UTC)';
    else if (at <= now) errors.expires = 'must be in the future';
    else if (at - now > MAX_EXPIRY_MS) errors.expires = 'at most a year from now';
    else expiresAt = at;
  }
  const patterns = [form.actor, form.target, form.command];
  if (!form.rule && patterns.every(matchesAll) && !errors.rule)
    errors._form =
      'Name a rule or at least one actor, target or command pattern: a suppression without either would silence every alert.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const orNull = (p: string) => (matchesAll(p) ? null : p);
  return {
    ok: true,
    value: {
      ruleId: form.rule || null,
      actor: orNull(form.actor),
      target: orNull(form.target),
      command: orNull(form.command),
      reason: form.reason,
      expiresAt,
    },
  };
}

/** The form's fields from a POST body; the command keeps its inner whitespace (patterns are exact). */
function readForm(body: Record<string, unknown>): SuppressionForm {
  const raw = body.command;
  return {
    rule: formText(body, 'rule'),
    actor: formText(body, 'actor'),
    target: formText(body, 'target'),
    // Newlines arrive as CRLF from a textarea; commands hold \n.
    command: typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').replace(/^\s+|\s+$/g, '') : '',
    expires: formText(body, 'expires'),
    reason: formText(body, 'reason'),
    alert: /^\d{1,15}$/.test(formText(body, 'alert')) ? formText(body, 'alert') : '',
    markAlert: formText(body, 'mark_alert') === '1',
  };
}

/** The form filled in from an alert: its rule, actor, target and exact command. */
export function formFromAlert(alert: AlertRecord): SuppressionForm {
  return {
    ...EMPTY_FORM,
    rule: alert.ruleId,
    actor: literalPattern(alert.actor),
    target: literalPattern(alert.target),
    command: literalPattern(alert.commandText),
    alert: String(alert.alertId),
    markAlert: alert.status === 'open' || alert.status === 'acknowledged',
  };
}

function mayOpen(c: Context<WebEnv>) {
  return seesContent(c.get('auth'));
}
const DENIED = 'Suppressions need an auditor or admin (their patterns can hold command text)';

export function suppressionsPage(catalog: () => RuleCatalog, now: () => number) {
  return async function listSuppressions(c: Context<WebEnv>) {
    if (!mayOpen(c)) return forbiddenPage(c, '/suppressions', DENIED);
    // Only ids are echoed back: a crafted link cannot put words in the page's mouth.
    const id = (name: string) => {
      const v = c.req.query(name);
      return v && /^\d{1,15}$/.test(v) ? v : undefined;
    };
    const created = id('created');
    const removed = id('removed');
    return render(c, catalog(), now(), {
      form: EMPTY_FORM,
      errors: {},
      notice: created
        ? `Suppression ${created} created: matching alerts from now on are recorded as suppressed and not notified.`
        : removed
          ? `Suppression ${removed} removed: matching alerts notify again.`
          : null,
    });
  };
}

/** GET /suppressions/new?alert=<id>: the form pre-filled from that alert. */
export function newSuppressionPage(catalog: () => RuleCatalog, now: () => number) {
  return async function prefill(c: Context<WebEnv>) {
    if (!mayOpen(c)) return forbiddenPage(c, '/suppressions', DENIED);
    const id = Number(c.req.query('alert'));
    const alert = Number.isSafeInteger(id) && id > 0 ? await c.get('store').alerts.get(id) : undefined;
    if (c.req.query('alert') !== undefined && !alert) c.status(404);
    return render(c, catalog(), now(), {
      form: alert ? formFromAlert(alert) : EMPTY_FORM,
      errors: {},
      notice: null,
      fromAlert: alert,
      focusForm: true,
    });
  };
}

export function createSuppressionAction(catalog: () => RuleCatalog, now: () => number) {
  return async function createSuppression(c: Context<WebEnv>) {
    if (!mayOpen(c)) return forbiddenPage(c, '/suppressions', DENIED);
    const form = readForm(await c.req.parseBody());
    const store = c.get('store');
    const checked = validateSuppression(form, catalog(), now());
    const fromAlert = form.alert ? await store.alerts.get(Number(form.alert)) : undefined;
    if (!checked.ok) {
      c.status(400);
      return render(c, catalog(), now(), {
        form,
        errors: checked.errors,
        notice: null,
        fromAlert,
        focusForm: true,
      });
    }
    const made = await store.suppressions.create(checked.value);
    if (fromAlert && form.markAlert && fromAlert.status !== 'suppressed')
      await store.alerts.setStatus([fromAlert.alertId], 'suppressed', form.reason);
    return c.redirect(`/suppressions?created=${made.suppressionId}#s-${made.suppressionId}`, 303);
  };
}

export async function removeSuppressionAction(c: Context<WebEnv>) {
  if (!mayOpen(c)) return forbiddenPage(c, '/suppressions', DENIED);
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) return c.redirect('/suppressions', 303);
  const removed = await c.get('store').suppressions.remove(id);
  return c.redirect(removed ? `/suppressions?removed=${id}` : '/suppressions', 303);
}

async function render(
  c: Context<WebEnv>,
  catalog: RuleCatalog,
  now: number,
  view: {
    form: SuppressionForm;
    errors: FormErrors;
    notice: string | null;
    fromAlert?: AlertRecord | undefined;
    focusForm?: boolean;
  },
) {
  const store = c.get('store');
  const items = await store.suppressions.list();
  const active = items.filter((s) => s.expiresAt === null || s.expiresAt > now);
  const expired = items.filter((s) => s.expiresAt !== null && s.expiresAt <= now);
  const fromFile = fromConfig(catalog.configSuppressions);
  const { form, errors } = view;
  const title = (ruleId: string | null) => (ruleId ? catalog.byId.get(ruleId)?.title : undefined);
  return c.html(
    <Layout title="Suppressions" auth={c.get('auth')} path="/suppressions">
      <h1>Suppressions</h1>
      {view.notice && <Notice>{view.notice}</Notice>}
      <p class="muted">
        A new alert that matches an active suppression (its rule, or any rule, and every pattern it has) is
        recorded as <em>suppressed</em> and not notified. Patterns are case-insensitive: <code>*</code>{' '}
        matches any run of characters, <code>?</code> one character, <code>\</code> escapes them.
      </p>
      <h2 id="active">Active ({active.length})</h2>
      <SuppressionTable items={active} now={now} title={title} removable />
      <section aria-labelledby="new" class={view.focusForm ? 'form-panel focus' : 'form-panel'}>
        <h2 id="new">
          {view.fromAlert ? `Suppress alerts like alert ${view.fromAlert.alertId}` : 'New suppression'}
        </h2>
        {view.fromAlert && (
          <p class="muted">
            Filled in from <a href={`/alerts/${view.fromAlert.alertId}`}>alert {view.fromAlert.alertId}</a> (
            {inert(view.fromAlert.ruleTitle)}): its rule, actor, target and exact command. Widen a pattern
            with <code>*</code>, or clear it to match any value.
          </p>
        )}
        <ErrorSummary errors={errors} labels={LABELS} />
        <form method="post" action="/suppressions" class="suppression-form" novalidate>
          <FormField
            name="rule"
            label={LABELS.rule!}
            value={form.rule}
            errors={errors}
            maxlength={LIMITS.rule}
            list="rule-ids"
            hint="Empty: every rule."
          />
          <datalist id="rule-ids">
            {catalog.rules.map((r) => (
              <option value={r.id}>{inert(r.title)}</option>
            ))}
          </datalist>
          <FormField
            name="actor"
            label={LABELS.actor!}
            value={form.actor}
            errors={errors}
            maxlength={LIMITS.actor}
            placeholder="deploy-*"
            hint="Empty: any actor."
          />
          <FormField
            name="target"
            label={LABELS.target!}
            value={form.target}
            errors={errors}
            maxlength={LIMITS.target}
            placeholder="i-0123*"
            hint="Empty: any target."
          />
          <FormField
            name="command"
            label={LABELS.command!}
            value={form.command}
            errors={errors}
            maxlength={LIMITS.command}
            multiline
            placeholder="apt-get install *"
            hint="Empty: any command. Matched against the whole command line."
          />
          <FormField
            name="expires"
            label={LABELS.expires!}
            value={form.expires}
            errors={errors}
            maxlength={40}
            placeholder="30d"
            hint="7d, 12h, or a UTC date / date-time such as 2026-12-31T18:00; empty: never (not advised)."
          />
          <FormField
            name="reason"
            label={LABELS.reason!}
            value={form.reason}
            errors={errors}
            maxlength={LIMITS.reason}
            required
            hint="Shown with every alert it suppresses and in the access log."
          />
          {view.fromAlert && (
            <>
              <input type="hidden" name="alert" value={String(view.fromAlert.alertId)} />
              {view.fromAlert.status !== 'suppressed' && (
                <div class="field">
                  <label>
                    <input type="checkbox" name="mark_alert" value="1" checked={form.markAlert} /> Also mark
                    alert {view.fromAlert.alertId} as suppressed
                  </label>
                </div>
              )}
            </>
          )}
          <p>
            <button type="submit">Create suppression</button>
          </p>
        </form>
      </section>
      <h2 id="expired">Expired ({expired.length})</h2>
      <SuppressionTable items={expired} now={now} title={title} removable />
      <h2 id="config">From the configuration file ({fromFile.length})</h2>
      {fromFile.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <>
          <p class="muted">
            Kept under version control in <code>detection.suppressions</code>; change them there.
          </p>
          <SuppressionTable
            items={fromFile.map((s, i) => ({
              ...s,
              suppressionId: -(i + 1),
              createdAt: 0,
              createdBy: 'config file',
              removedAt: null,
            }))}
            now={now}
            title={title}
            removable={false}
          />
        </>
      )}
    </Layout>,
  );
}

function SuppressionTable(props: {
  items: Suppression[];
  now: number;
  title: (ruleId: string | null) => string | undefined;
  removable: boolean;
}) {
  if (props.items.length === 0) return <p class="empty">None.</p>;
  return (
    <div class="table-wrap">
      <table class="suppressions">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Command</th>
            <th scope="col">Expires (UTC)</th>
            <th scope="col">Reason</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
            {props.removable && <th scope="col">Remove</th>}
          </tr>
        </thead>
        <tbody>
          {props.items.map((s) => {
            const expired = s.expiresAt !== null && s.expiresAt <= props.now;
            const title = props.title(s.ruleId);
            return (
              <tr id={s.suppressionId > 0 ? `s-${s.suppressionId}` : undefined}>
                <td>
                  {s.ruleId === null ? (
                    <span class="muted">every rule</span>
                  ) : (
                    <>
                      {title ? inert(title) : <span class="muted">not loaded</span>}
                      <br />
                      <code class="muted">{inert(s.ruleId)}</code>
                    </>
                  )}
                </td>
                <td>
                  <Pattern value={s.actor} />
                </td>
                <td>
                  <Pattern value={s.target} />
                </td>
                <td class="pattern-command">
                  <Pattern value={s.command} />
                </td>
                <td>
                  {s.expiresAt === null ? <span class="badge warn">never</span> : <Time ms={s.expiresAt} />}
                </td>
                <td>{inert(s.reason)}</td>
                <td>
                  {s.createdAt > 0 ? (
                    <>
                      <Ident value={s.createdBy} />
                      <br />
                      <Time ms={s.createdAt} />
                    </>
                  ) : (
                    <span class="muted">{s.createdBy}</span>
                  )}
                </td>
                <td>
                  {expired ? (
                    <span class="badge state-off">expired</span>
                  ) : (
                    <span class="badge state-on">active</span>
                  )}
                </td>
                {props.removable && (
                  <td>
                    <form method="post" action={`/suppressions/${s.suppressionId}/remove`} class="inline">
                      <button
                        type="submit"
                        class="secondary"
                        aria-label={`Remove suppression ${s.suppressionId}`}
                      >
                        Remove
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Pattern(props: { value: string | null }) {
  if (props.value === null) return <span class="muted">any</span>;
  return <code>{inert(props.value)}</code>;
}
