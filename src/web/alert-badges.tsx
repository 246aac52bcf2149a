/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Alert badges: a level, and a session's alerts in brief (open count and highest level). The level
 * is always written out as a word beside its colour, so nothing depends on telling colours apart.
 */
import type { AlertLevel, SessionAlertCounts } from '../store/index.ts';
import { sessionHref } from './format.tsx';

const LEVEL_CLASS = /^[a-z]+$/;

/** An alert level as a badge styled by level (`level-high`); the word itself is the content. */
export function LevelBadge(props: { level: AlertLevel | string }) {
  const level = LEVEL_CLASS.test(props.level) ? props.level : 'unknown';
  return <span class={`badge level-${level}`}>{level}</span>;
}

/** What a screen reader (and the tooltip) says about a session's alerts. */
export function alertSummaryText(counts: SessionAlertCounts): string {
  const all = `${counts.total} alert${counts.total === 1 ? '' : 's'} in all`;
  if (counts.open === 0) return `no open alerts (${all}, highest level ${counts.level})`;
  return `${counts.open} open alert${counts.open === 1 ? '' : 's'}, highest level ${counts.openLevel}; ${all}`;
}

/**
 * A sessions list row's badge: `3 open · high` (styled by the highest open level) linking to the
 * session's alerts; `2 · none open` (muted) when every alert was acknowledged, resolved or
 * suppressed; a dash without alerts.
 */
export function SessionAlertsBadge(props: { sessionId: string; counts: SessionAlertCounts | undefined }) {
  const counts = props.counts;
  if (!counts) return <span class="muted">—</span>;
  const text = alertSummaryText(counts);
  const link = `${sessionHref(props.sessionId)}#alerts`;
  // The visible words stay the start of what a screen reader says; the rest is read, not shown.
  if (counts.open === 0)
    return (
      <a class="badge alerts-closed" href={link} title={text}>
        {counts.total} · none open<span class="visually-hidden"> ({text})</span>
      </a>
    );
  return (
    <a class={`badge alerts-open level-${counts.openLevel}`} href={link} title={text}>
      {counts.open} open · {counts.openLevel}
      <span class="visually-hidden"> ({text})</span>
    </a>
  );
}
