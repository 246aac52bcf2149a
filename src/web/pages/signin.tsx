/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/signin` and `/signout`: the forms only. The API's auth routes handle the POSTs (token or
 * one-time code in, HttpOnly cookie out; sign-out clears it), and check CSRF on both.
 */
import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { Layout } from '../layout.tsx';

const MESSAGES: Record<string, string> = {
  invalid: 'That token or code is not valid (or has expired).',
  signedout: 'You are signed out.',
  required: 'Sign in to continue.',
};

export function signinPage(c: Context<WebEnv>) {
  const message = MESSAGES[c.req.query('error') ?? c.req.query('status') ?? ''];
  const next = safeNext(c.req.query('next'));
  return c.html(
    <Layout title="Sign in">
      <section class="signin">
        <h1>Sign in</h1>
        {message && (
          <p class="note" role="status">
            {message}
          </p>
        )}
        <form method="post" action="/signin">
          <label>
            <span>API token or one-time sign-in code</span>
            <input name="token" type="password" autocomplete="current-password" required autofocus />
          </label>
          <input type="hidden" name="next" value={next} />
          <button type="submit">Sign in</button>
        </form>
        <p class="muted">
          Get a token with <code>shelltrail token create --role auditor --name you</code>, or use the link
          that <code>shelltrail serve</code> printed.
        </p>
      </section>
    </Layout>,
  );
}

export function signoutPage(c: Context<WebEnv>) {
  return c.html(
    <Layout title="Sign out" auth={c.get('auth')}>
      <section class="signin">
        <h1>Sign out</h1>
        <form method="post" action="/signout">
          <button type="submit">Sign out</button>
        </form>
      </section>
    </Layout>,
  );
}

/** Only a same-site path may follow sign-in (no `//host`, no scheme). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}
