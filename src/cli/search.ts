import type { Store } from '../store/open.ts';
import {
  countCommands,
  MAX_LIMIT,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  searchCommands,
  snippetParts,
} from '../store/search.ts';
import { visible } from '../util/visible.ts';
import {
  type CommandContext,
  configFor,
  isoOrNull,
  parseCommandArgs,
  parseIntegerFlag,
  parseKindFlag,
  parseTimeFlag,
  withStore,
  writeLine,
} from './context.ts';
import { shortTime } from './table.ts';

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
  const result = await withStore(config, (store) => withCount(store, query));
  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(resultJson(result), null, 2));
    return 0;
  }
  printHits(ctx.stdout, result, query.text, ctx.stdout.isTTY === true);
  return 0;
}

/**
 * The page, with its total made exact (up to COUNT_CAP) when the page alone only knows "more than
 * N": a one-shot CLI can afford the extra read that an interactive page defers.
 */
function withCount(store: Store, query: SearchQuery): SearchResult {
  // One read transaction: page and count see the same snapshot while ingest writes.
  return store.sqlite.transaction(() => {
    const page = searchCommands(store, query);
    if (page.totalExact) return page;
    const { limit: _l, offset: _o, ...filters } = query;
    const count = countCommands(store, filters);
    if (count.total <= page.total && !count.exact) return page;
    return { ...page, total: count.total, totalExact: count.exact };
  })();
}

/** The `--json` shape: camelCase fields, ISO-8601 UTC times, the snippet with « » around matches. */
export function resultJson(result: SearchResult) {
  return {
    total: result.total,
    totalExact: result.totalExact,
    hits: result.hits.map((h) => ({ ...h, at: isoOrNull(h.at) })),
  };
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
    cell(h.actor, 32),
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
}
