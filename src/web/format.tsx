/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Small pieces every page shows: times, attacker-controlled identities made inert, badges, links.
 * hono/jsx escapes text; on top of that, bidirectional controls in identities and transcripts are
 * shown as visible code points so `alice\u202Egnp.exe` cannot pose as another name.
 */
import type { Child } from 'hono/jsx';

/** Bidi embeddings, overrides and isolates, and the marks that can reorder what follows. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Text with bidi controls replaced by a visible `<U+202E>` form. */
export function inert(text: string | null | undefined): string {
  if (text == null) return '';
  return text.replace(
    BIDI_CONTROLS,
    (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/** An identity or other evidence value, isolated from its neighbours' direction. */
export function Ident(props: { value: string | null | undefined; empty?: string }) {
  if (props.value == null || props.value === '') return <span class="muted">{props.empty ?? '—'}</span>;
  return <bdi class="ident">{inert(props.value)}</bdi>;
}

/** `2026-11-24 08:15:02` UTC, or a dash. */
export function utc(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
}

export function Time(props: { ms: number | null | undefined }) {
  if (props.ms == null) return <span class="muted">—</span>;
  return <time datetime={new Date(props.ms).toISOString()}>{utc(props.ms)}</time>;
}

const COVERAGE_HELP: Record<string, string> = {
  complete: 'every expected transcript is stored',
  partial: 'some expected transcript is missing',
  missing: 'no transcript arrived for a recordable session',
  open: 'the session may still be running',
  not_recordable: 'this kind of session is never recorded (port forwarding, SSH)',
};

export function CoverageBadge(props: { coverage: string | null }) {
  const value = props.coverage ?? 'unknown';
  return (
    <span class={`badge cov-${value.replace(/[^a-z_]/g, '')}`} title={COVERAGE_HELP[value] ?? value}>
      {value}
    </span>
  );
}

/** A same-site link built from parts; every part is URL-encoded, so no value can change the scheme. */
export function href(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v != null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * A stored link (an alert's deep link) only when it is a path on this site (`/sessions/...`):
 * never a scheme such as `javascript:`, nor `//host`; null otherwise.
 */
export function sameSiteLink(link: string | null | undefined): string | null {
  return link && /^\/(?![/\\])/.test(link) ? link : null;
}

export function sessionHref(sessionId: string, extra: Record<string, string | number | null> = {}): string {
  return href(`/sessions/${encodeURIComponent(sessionId)}`, extra);
}

export function ActorLink(props: { actor: string | null }) {
  if (!props.actor) return <span class="muted">—</span>;
  return (
    <a href={`/actors/${encodeURIComponent(props.actor)}`}>
      <Ident value={props.actor} />
    </a>
  );
}

export function TargetLink(props: { target: string | null }) {
  if (!props.target) return <span class="muted">—</span>;
  return (
    <a href={`/targets/${encodeURIComponent(props.target)}`}>
      <Ident value={props.target} />
    </a>
  );
}

export function SessionLink(props: { sessionId: string; children?: Child }) {
  return (
    <a href={sessionHref(props.sessionId)} class="mono">
      {props.children ?? <Ident value={props.sessionId} />}
    </a>
  );
}

/** A search snippet: matches come wrapped in « » from the store; shown as <mark>, the rest text. */
export function Snippet(props: { text: string }) {
  const parts = inert(props.text).split(/«|»/);
  return <code class="snippet">{parts.map((p, i) => (i % 2 === 1 ? <mark>{p}</mark> : p))}</code>;
}

/** A filter select whose empty choice means "any"; the current value stays selected. */
export function Choice(props: { name: string; label: string; value: string; options: string[] }) {
  return (
    <label>
      <span>{props.label}</span>
      <select name={props.name}>
        <option value="">any</option>
        {props.options.map((o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
