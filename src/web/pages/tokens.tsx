/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/tokens` (admins): the API tokens (name, role, who made it and when, active or revoked), a form
 * that makes one and shows its secret once (the store keeps only its SHA-256), and revocation behind
 * a confirmation page (`/tokens/:id/revoke`). Every change goes through the role-scoped store,
 * which refuses anyone but an admin and writes the access trail (`token_create`, `token_revoke`);
 * forms are CSRF-checked by the app like every other change.
 */
import type { Context } from 'hono';
import { InvalidRequestError } from '../../errors.ts';
import type { Role, TokenRecord } from '../../store/index.ts';
import type { WebEnv } from '../env.ts';
import { Ident, Time } from '../format.tsx';
import { Layout } from '../layout.tsx';
import { ErrorSummary, type FormErrors, FormField, forbiddenPage, formText, Notice } from '../page-kit.tsx';

const ROLES: Role[] = ['viewer', 'auditor', 'admin'];
const ROLE_HELP: Record<Role, string> = {
  viewer: 'session metadata, findings, attempts and alerts; never command text',
  auditor: 'everything, read-only; acknowledges alerts and manages suppressions',
  admin: 'everything, and tokens, rules and the access log',
};
const LABELS: Record<string, string> = { name: 'Name', role: 'Role' };
const TOKEN_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The token part of the role-scoped store the page uses (admins only; the layer checks). */
export interface TokenAdmin {
  list(): Promise<TokenRecord[]>;
  create(input: { name: string; role: Role }): Promise<{ token: string; record: TokenRecord }>;
  revoke(tokenId: string): Promise<TokenRecord[]>;
}

export function validateTokenForm(name: string, role: string): FormErrors {
  const errors: FormErrors = {};
  if (!name) errors.name = 'give the token a name (who or what uses it)';
  else if (name.length > 100) errors.name = 'at most 100 characters';
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors.name = 'control characters are not allowed';
  if (!ROLES.includes(role as Role)) errors.role = `choose ${ROLES.join(', ')}`;
  return errors;
}

function isAdmin(c: Context<WebEnv>): boolean {
  return c.get('auth').role === 'admin';
}
const DENIED = 'Only admins manage tokens';

export function tokensPage(tokens: (c: Context<WebEnv>) => TokenAdmin) {
  return async function listTokens(c: Context<WebEnv>) {
    if (!isAdmin(c)) return forbiddenPage(c, '/tokens', DENIED);
    const revoked = c.req.query('revoked');
    // Said only of a token that is revoked: a crafted link cannot claim otherwise.
    const was =
      revoked && TOKEN_ID.test(revoked)
        ? (await tokens(c).list()).find((t) => t.tokenId === revoked && t.revokedAt !== null)
        : undefined;
    return render(c, tokens(c), {
      name: '',
      role: 'viewer',
      errors: {},
      notice: was ? `Token ${was.tokenId} revoked.` : null,
    });
  };
}

export function createTokenAction(tokens: (c: Context<WebEnv>) => TokenAdmin) {
  return async function createToken(c: Context<WebEnv>) {
    if (!isAdmin(c)) return forbiddenPage(c, '/tokens', DENIED);
    const form = await c.req.parseBody();
    const name = formText(form, 'name');
    const role = formText(form, 'role');
    const errors = validateTokenForm(name, role);
    if (Object.keys(errors).length === 0) {
      try {
        const made = await tokens(c).create({ name, role: role as Role });
        // The secret is in this response only: never cached, never in a URL.
        c.header('Cache-Control', 'no-store');
        return render(c, tokens(c), { name: '', role: 'viewer', errors: {}, notice: null, made });
      } catch (error) {
        if (!(error instanceof InvalidRequestError) || error.reason !== 'name_taken') throw error;
        errors.name = 'an active token already has this name';
      }
    }
    c.status(400);
    return render(c, tokens(c), { name, role, errors, notice: null });
  };
}

/** GET /tokens/:id/revoke: what revoking does, and the button that does it. */
export function confirmRevokePage(tokens: (c: Context<WebEnv>) => TokenAdmin) {
  return async function confirmRevoke(c: Context<WebEnv>) {
    if (!isAdmin(c)) return forbiddenPage(c, '/tokens', DENIED);
    const id = c.req.param('id') ?? '';
    const token = TOKEN_ID.test(id)
      ? (await tokens(c).list()).find((t) => t.tokenId === id && t.revokedAt === null)
      : undefined;
    if (!token) {
      c.status(404);
      return c.html(
        <Layout title="No such token" auth={c.get('auth')} path="/tokens">
          <h1>No active token with this id</h1>
          <p>
            <a href="/tokens">Back to tokens</a>
          </p>
        </Layout>,
      );
    }
    const own = c.get('auth').tokenId === token.tokenId;
    return c.html(
      <Layout title="Revoke token" auth={c.get('auth')} path="/tokens">
        <h1>
          Revoke token <Ident value={token.name} />?
        </h1>
        <p>
          <code>{token.tokenId}</code> · {token.role} · made by <Ident value={token.createdBy} />{' '}
          <Time ms={token.createdAt} />
        </p>
        <p class="note">
          Whatever uses it stops at once, and every browser signed in with it is signed out. This cannot be
          undone: make a new token instead.
          {own && <strong> It is the token you are using now.</strong>}
        </p>
        <form method="post" action={`/tokens/${token.tokenId}/revoke`}>
          <button type="submit">Revoke token</button> <a href="/tokens">Cancel</a>
        </form>
      </Layout>,
    );
  };
}

export function revokeTokenAction(tokens: (c: Context<WebEnv>) => TokenAdmin) {
  return async function revokeToken(c: Context<WebEnv>) {
    if (!isAdmin(c)) return forbiddenPage(c, '/tokens', DENIED);
    const id = c.req.param('id') ?? '';
    if (!TOKEN_ID.test(id)) return c.redirect('/tokens', 303);
    // By id only (the role-scoped store refuses an id another active token is named like).
    const done = await tokens(c).revoke(id);
    return c.redirect(done.length > 0 ? `/tokens?revoked=${encodeURIComponent(id)}` : '/tokens', 303);
  };
}

async function render(
  c: Context<WebEnv>,
  tokens: TokenAdmin,
  view: {
    name: string;
    role: string;
    errors: FormErrors;
    notice: string | null;
    made?: { token: string; record: TokenRecord };
  },
) {
  const list = await tokens.list();
  const active = list.filter((t) => t.revokedAt === null);
  const revoked = list.filter((t) => t.revokedAt !== null);
  const { errors } = view;
  return c.html(
    <Layout title="Tokens" auth={c.get('auth')} path="/tokens">
      <h1>API tokens</h1>
      {view.notice && <Notice>{view.notice}</Notice>}
      {view.made && (
        <section class="token-once" aria-labelledby="token-once-title">
          <h2 id="token-once-title">
            Token for <Ident value={view.made.record.name} /> ({view.made.record.role}) made
          </h2>
          <label for="new-token">Copy it now: it is shown only this once (only its SHA-256 is stored).</label>
          <input
            id="new-token"
            type="text"
            readonly
            value={view.made.token}
            autocomplete="off"
            spellcheck={false}
          />
          <p class="muted">
            Select the field and copy (Ctrl+C, or ⌘C). Use it as{' '}
            <code>Authorization: Bearer &lt;token&gt;</code>, or sign in with it at{' '}
            <a href="/signin">/signin</a>.
          </p>
        </section>
      )}
      <h2 id="active">Active ({active.length})</h2>
      <TokenTable items={active} revocable />
      <section aria-labelledby="new" class="form-panel">
        <h2 id="new">New token</h2>
        <ErrorSummary errors={errors} labels={LABELS} />
        <form method="post" action="/tokens" novalidate>
          <FormField
            name="name"
            label="Name"
            value={view.name}
            errors={errors}
            maxlength={100}
            required
            hint="Who or what uses it, e.g. siem-export or alice. Names of active tokens are unique."
          />
          <fieldset class={errors.role ? 'field field-error' : 'field'}>
            <legend>Role</legend>
            {ROLES.map((r) => (
              <label>
                <input type="radio" name="role" value={r} checked={view.role === r} /> <strong>{r}</strong>:{' '}
                <span class="muted">{ROLE_HELP[r]}</span>
              </label>
            ))}
            {errors.role && (
              <span class="error" id="e-role">
                {errors.role}
              </span>
            )}
          </fieldset>
          <p>
            <button type="submit">Create token</button>
          </p>
        </form>
      </section>
      <h2 id="revoked">Revoked ({revoked.length})</h2>
      <TokenTable items={revoked} revocable={false} />
      <p class="muted">
        Also from the command line: <code>shelltrail token create|list|revoke</code>. Changes are in the{' '}
        <a href="/access-log">access log</a>.
      </p>
    </Layout>,
  );
}

function TokenTable(props: { items: TokenRecord[]; revocable: boolean }) {
  if (props.items.length === 0) return <p class="empty">None.</p>;
  return (
    <div class="table-wrap">
      <table class="tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Id</th>
            <th scope="col">Made (UTC)</th>
            <th scope="col">{props.revocable ? 'Revoke' : 'Revoked (UTC)'}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((t) => (
            <tr id={`t-${t.tokenId}`}>
              <td>
                <Ident value={t.name} />
              </td>
              <td>{t.role}</td>
              <td>
                <code>{t.tokenId}</code>
              </td>
              <td>
                <Time ms={t.createdAt} /> <span class="muted">by</span> <Ident value={t.createdBy} />
              </td>
              <td>
                {props.revocable ? (
                  <a href={`/tokens/${encodeURIComponent(t.tokenId)}/revoke`}>
                    Revoke…<span class="visually-hidden"> token {t.tokenId}</span>
                  </a>
                ) : (
                  <Time ms={t.revokedAt} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
