import type { Page, PageRequest } from '../store/index.ts';

/**
 * Reads a paged listing into one array: every page, or just enough pages for `limit` items (one
 * page when `limit` fits in one). A table is sized to all its rows, so a listing command needs them
 * all before it prints anyway.
 *
 * @example const rows = await readPages((page) => store.sessions.list(filters, page), 5000, limit);
 */
export async function readPages<T>(
  read: (page: PageRequest) => Promise<Page<T>>,
  maxPage: number,
  limit?: number,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const want = limit === undefined ? maxPage : Math.min(maxPage, limit - items.length);
    const page: Page<T> = await read({ limit: want, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && (limit === undefined || items.length < limit));
  return items;
}

/** The largest page the listings accept (store/index.ts: sessions, attempts, findings). */
export const LISTING_PAGE = 5000;
