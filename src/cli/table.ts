import { visible } from '../util/visible.ts';

/**
 * Plain-text tables for CLI listings: columns sized to their content, cut at a maximum width.
 * Cells are made visible first: identities, keys and reasons can come from a forged transcript.
 */
export function formatTable(headers: string[], rows: (string | null)[][], maxWidth = 48): string[] {
  const cells = rows.map((r) => r.map((c) => clip(c ?? '-', maxWidth)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)];
}

/**
 * An actor as a table shows it: `mallory?` when the identity is unverified (known only from a
 * transcript's claim, or CloudTrail versions that conflict). The mark survives clipping: the name
 * is cut first, so a long claimed identity cannot push the `?` out of its column.
 *
 * @example actorCell('mallory', false, 32) // 'mallory?'
 */
export function actorCell(actor: string | null, verified: boolean, max: number): string {
  if (verified) return clip(actor ?? '-', max);
  return `${clip(actor ?? '', max - 1)}?`;
}

/** The footnote under a table with unverified actors (null when there are none). */
export function unverifiedNote(unverified: number, noun: string): string | null {
  if (unverified === 0) return null;
  return `${unverified} ${noun} with an unverified actor (shown as actor?): the identity is what a node's transcript or a conflicting CloudTrail record claims, not a verified CloudTrail fact`;
}

function clip(text: string, max: number): string {
  const flat = visible(text.replace(/[\r\n\t]+/g, ' '));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `2026-11-24 08:15:02` (UTC) for tables; `-` when unknown. */
export function shortTime(ms: number | null): string | null {
  return ms == null ? null : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
