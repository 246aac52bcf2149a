/**
 * The sessions listing the API offers: the store's filters plus principal, coverage and "a command
 * contains this text". The store pages the first kind itself; the others are applied here over the
 * store's pages (bounded), and the result is paged by position. Cursors say which path made them.
 */
import { InvalidRequestError } from '../errors.ts';
import type { Page, PageRequest, SessionFilters, SessionRow, Store } from '../store/index.ts';

export interface SessionQuery extends SessionFilters {
  /** The principal's IAM ARN, exact. */
  principal?: string;
  coverage?: string;
  /** Sessions with a command containing this (literal, case-insensitive). */
  text?: string;
}

/** Most sessions a filtered listing reads before it stops (the answer is then incomplete). */
export const MAX_FILTER_SCAN = 100_000;
const STORE_PAGE = 5000;

export async function listSessions(
  store: Store,
  query: SessionQuery,
  page: PageRequest & { limit: number },
): Promise<Page<SessionRow>> {
  const { principal, coverage, text, ...filters } = query;
  if (!principal && !coverage && !text) {
    const inner = page.cursor ? unwrap(page.cursor, 's') : null;
    const result = await store.sessions.list(filters, { limit: page.limit, cursor: inner });
    return { items: result.items, nextCursor: result.nextCursor ? wrap('s', result.nextCursor) : null };
  }
  const offset = page.cursor ? Number(unwrap(page.cursor, 'f')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw badCursor();
  const ids = text ? new Set(await store.commands.sessionIds({ text })) : undefined;
  const keep = (s: SessionRow) =>
    (!principal || s.principalArn === principal) &&
    (!coverage || s.coverage === coverage) &&
    (!ids || ids.has(s.sessionId));
  const matched: SessionRow[] = [];
  let cursor: string | null = null;
  let scanned = 0;
  // Stop one row past the page: that row is what says another page exists.
  while (matched.length <= offset + page.limit && scanned < MAX_FILTER_SCAN) {
    if (ids && ids.size === 0) break;
    const result = await store.sessions.list(filters, { limit: STORE_PAGE, cursor });
    scanned += result.items.length;
    for (const s of result.items) if (keep(s)) matched.push(s);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  const items = matched.slice(offset, offset + page.limit);
  const more = matched.length > offset + page.limit;
  return { items, nextCursor: more ? wrap('f', String(offset + page.limit)) : null };
}

function wrap(kind: 's' | 'f', inner: string): string {
  return `${kind}.${inner}`;
}

function unwrap(cursor: string, kind: 's' | 'f'): string {
  if (!cursor.startsWith(`${kind}.`)) throw badCursor();
  return cursor.slice(2);
}

function badCursor(): InvalidRequestError {
  return new InvalidRequestError('bad_cursor', 'the cursor is not one this listing handed out');
}
