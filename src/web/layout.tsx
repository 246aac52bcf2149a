/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// (The pragma makes the JSX transform independent of which tsconfig the runner finds: tsx started
// from another working directory finds none, and classic JSX would need React.)
/** The page shell: head (only same-origin assets), navigation by role, main content. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { WebAuth } from './env.ts';

export interface LayoutProps {
  title: string;
  auth?: WebAuth;
  /** Current path, to mark the navigation. */
  path?: string;
  /** Extra same-origin scripts and styles for this page. */
  scripts?: string[];
  styles?: string[];
  children?: Child;
}

/**
 * The main navigation. `content`: auditors and admins only (the page shows command text or
 * patterns made from it); `admin`: admins only. A link a role may not open is not shown.
 */
export const NAV: Array<{ href: string; label: string; content?: boolean; admin?: boolean }> = [
  { href: '/', label: 'Overview' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/search', label: 'Search', content: true },
  { href: '/findings', label: 'Findings' },
  { href: '/attempts', label: 'Attempts' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/rules', label: 'Rules' },
  { href: '/suppressions', label: 'Suppressions', content: true },
  { href: '/deliveries', label: 'Deliveries', content: true },
  { href: '/tokens', label: 'Tokens', admin: true },
  { href: '/access-log', label: 'Access log', admin: true },
];

/** The navigation entries this role may open. */
export function navFor(role: WebAuth['role'] | undefined) {
  return NAV.filter(
    (n) => (!n.content || role === 'auditor' || role === 'admin') && (!n.admin || role === 'admin'),
  );
}

/** Whether `path` is the page (or under the page) of a navigation entry. */
function isCurrent(entry: string, path: string | undefined): boolean {
  if (path === undefined) return false;
  return path === entry || (entry !== '/' && path.startsWith(`${entry}/`));
}

export function Layout(props: LayoutProps) {
  const items = navFor(props.auth?.role);
  return (
    <>
      {/* A constant: standards mode. Nothing from a request or the store is ever passed to raw(). */}
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · shelltrail`}</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/app.css" />
          {(props.styles ?? []).map((s) => (
            <link rel="stylesheet" href={s} />
          ))}
          {(props.scripts ?? []).map((s) => (
            <script src={s} defer />
          ))}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <a class="brand" href="/">
              shelltrail
            </a>
            {props.auth && (
              <nav aria-label="Main">
                {items.map((n) => (
                  <a href={n.href} aria-current={isCurrent(n.href, props.path) ? 'page' : undefined}>
                    {n.label}
                  </a>
                ))}
              </nav>
            )}
            {props.auth && (
              <div class="who">
                <bdi>{props.auth.name}</bdi> <span class="badge">{props.auth.role}</span>{' '}
                <a href="/signout">Sign out</a>
              </div>
            )}
          </header>
          <main id="main">{props.children}</main>
        </body>
      </html>
    </>
  );
}
