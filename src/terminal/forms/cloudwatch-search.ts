/**
 * Readline's incremental search in the CloudWatch form. The agent strips `\r` and escape
 * sequences, so the search prompt (`(reverse-i-search)`…': `), every match it showed and the
 * redraw after it all land on the one input line. The search prompt is never part of a command:
 * the line is rewritten to the input prompt followed by what the search left on the line, which the
 * stripping may have damaged (the caller marks it lossy).
 */

const SEARCH = /\((?:failed )?(?:reverse-|fwd-)?i-search\)`/;
/** Characters of a line examined (a search line longer than this is not rewritten). */
const MAX_SEARCH_LINE = 64 * 1024;

/**
 * The line with the search replaced by its outcome: the redraw after the last learned prompt when
 * readline printed one with text, else (an empty redraw, or Ctrl-C) the last match shown up to the
 * first cursor move, `^C` kept when the search was abandoned; with neither, only the input prompt
 * (the search goes on in a later line). Null when the line holds no search.
 */
export function rewriteSearchLine(text: string, prompts: readonly string[]): string | null {
  if (text.length > MAX_SEARCH_LINE) return null;
  const start = text.search(SEARCH);
  if (start < 0) return null;
  const head = text.slice(0, start);
  let redraw = -1;
  let promptLength = 0;
  for (const p of prompts) {
    if (p.length < 2) continue;
    const at = text.lastIndexOf(p);
    if (at > start && at > redraw) {
      redraw = at;
      promptLength = p.length;
    }
  }
  if (redraw >= 0) {
    const after = text.slice(redraw + promptLength).replace(/^ /, '');
    if (after.replace(/[\b\x07]/g, '').trim() !== '') return `${head}${after}`;
  }
  const shown = text.lastIndexOf("': ");
  if (shown < start) return head;
  let match = text.slice(shown + 3);
  const aborted = /\^C\s*$/.test(match);
  // Neither a redraw nor Ctrl-C: the search goes on in a later line, which brings its outcome.
  if (redraw < 0 && !aborted) return head;
  const move = match.search(/[\b\x07]/);
  if (move >= 0) match = match.slice(0, move);
  match = match.replace(/\^C\s*$/, '');
  return `${head}${match}${aborted ? '^C' : ''}`;
}
