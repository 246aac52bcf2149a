import { searchResultJson } from '../analyze/shapes.ts';
import { snippetParts } from '../store/fold.ts';
import type { SearchHit, SearchQuery, SearchResult } from '../store/index.ts';
import { MAX_LIMIT } from '../store/search-query.ts';
import { visible } from '../util/visible.ts';
import {
  type CommandContext,
  configFor,
  parseCommandArgs,
  parseIntegerFlag,
  parseKindFlag,
  parseTimeFlag,
  withStore,
  writeLine,
} from './context.ts';
import { writeJson } from './json-out.ts';
import { actorCell, shortTime, unverifiedNote } from './table.ts';

const options = {
  json: { type: 'boolean' },
  actor: { type: 'string' },
  principal: { type: 'string' },
  target: { type: 'string' },
  account: { type: 'string' },
  region: { type: 'string' },
  user: { type: 'string' },
  kind: { type: 'string' },
  session: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
} as const;

/**
 * `shelltrail search "<text>"`: every command whose text contains the query (literal substring,
 * case-insensitive), newest first. Several words are one phrase: `search cat /etc/shadow`.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, options);
  const query: SearchQuery = {
    text: positionals.length ? positionals.join(' ') : undefined,
    actor: values.actor,
    principal: values.principal,
    target: values.target,
    account: values.account,
    region: values.region,
    user: values.user,
    kind: parseKindFlag(values.kind),
    sessionId: values.session,
    since: parseTimeFlag(values.since, 'since'),
    until: parseTimeFlag(values.until, 'until'),
    limit: parseIntegerFlag(values.limit, 'limit', 1, MAX_LIMIT),
    offset: parseIntegerFlag(values.offset, 'offset', 0),
  };
  const config = configFor(ctx, values);
  // A one-shot CLI can afford the exact total that an interactive page defers (page and count
  // from one snapshot, so they agree while ingest writes).
  const result = await withStore(config, (store) => store.commands.searchWithCount(query));
  if (values.json) {
    writeJson(ctx.stdout, searchResultJson(result));
    return 0;
  }
  printHits(ctx.stdout, result, query.text, ctx.stdout.isTTY === true);
  return 0;
}

const BOLD_RED = '\x1b[1;31m';
const RESET = '\x1b[0m';

function renderCommand(hit: SearchHit, needle: string | undefined, color: boolean): string {
  const { parts, cutStart, cutEnd } = snippetParts(hit.text, needle, 120);
  const body = parts
    .map((p) => (p.match && color ? `${BOLD_RED}${visible(p.text)}${RESET}` : visible(p.text)))
    .join('');
  return `${cutStart ? '…' : ''}${body}${cutEnd ? '…' : ''}`;
}

function cell(text: string | null, max: number): string {
  const flat = visible(text ?? '-');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function printHits(
  out: NodeJS.WritableStream,
  result: SearchResult,
  needle: string | undefined,
  color: boolean,
) {
  const total = `${result.total}${result.totalExact ? '' : '+'}`;
  if (result.hits.length === 0) {
    writeLine(out, result.total > 0 ? `no matches on this page (${total} in all)` : 'no matches');
    return;
  }
  const headers = ['TIME (UTC)', 'SESSION', 'ACTOR', 'TARGET', 'USER'];
  const rows = result.hits.map((h) => [
    shortTime(h.at) ?? '-',
    cell(h.sessionId, 40),
    actorCell(h.actor, h.identityVerified, 32),
    cell(h.target, 20),
    cell(h.user, 12),
  ]);
  const widths = headers.map((head, i) => Math.max(head.length, ...rows.map((r) => r[i]!.length)));
  const pad = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  writeLine(out, `${pad(headers)}  COMMAND`);
  result.hits.forEach((h, i) => {
    const aborted = h.executed ? '' : ' (aborted)';
    writeLine(out, `${pad(rows[i]!)}  ${renderCommand(h, needle, color)}${aborted}`);
  });
  const shown = result.hits.length;
  writeLine(out, `${shown} shown of ${total} match${result.total === 1 && result.totalExact ? '' : 'es'}`);
  const note = unverifiedNote(result.hits.filter((h) => !h.identityVerified).length, 'matches');
  if (note) writeLine(out, note);
}
