/**
 * GET /api/search: "who ran X". One page of hits with snippets, the exact count (up to 10,000)
 * and a deep link per hit into the replay; `format=csv|ndjson` exports every hit (bounded) as a
 * download, CSV cells neutralised against spreadsheet formula injection. Every search and export
 * is written to the access trail with its text and filters.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { searchHitJson } from '../../analyze/shapes.ts';
import { SESSION_KINDS } from '../../domain.ts';
import type { SearchHit, SearchQuery } from '../../store/index.ts';
import { newRouter } from '../app.ts';
import { deepLink } from '../deep-link.ts';
import { errorResponses, SearchHitSchema } from '../schemas.ts';
import type { ScopedStore } from '../scoped-store.ts';
import type { ApiDeps } from '../types.ts';
import { timeParam } from './params.ts';

/** Most hits one export writes. */
export const MAX_EXPORT_HITS = 100_000;
const EXPORT_PAGE = 1000;

const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  summary: 'Search every command (literal, case-insensitive); auditors and admins',
  request: {
    query: z.object({
      q: z.string().max(1000).default(''),
      actor: z.string().max(500).optional(),
      principal: z.string().max(2000).optional(),
      target: z.string().max(500).optional(),
      account: z.string().max(20).optional(),
      region: z.string().max(50).optional(),
      user: z.string().max(200).optional(),
      kind: z.enum(SESSION_KINDS).optional(),
      session: z.string().max(500).optional(),
      since: timeParam,
      until: timeParam,
      limit: z.coerce.number().int().min(1).max(1000).default(50),
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      format: z.enum(['json', 'csv', 'ndjson']).default('json'),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z
            .object({
              total: z.number(),
              totalExact: z.boolean(),
              page: z.number(),
              limit: z.number(),
              hits: z.array(SearchHitSchema),
            })
            .openapi('SearchResult'),
        },
        'text/csv': { schema: z.string() },
        'application/x-ndjson': { schema: z.string() },
      },
      description: 'A page of hits, or the export',
    },
    ...errorResponses,
  },
});

const CSV_COLUMNS = [
  'at',
  'sessionId',
  'actor',
  'target',
  'accountId',
  'region',
  'user',
  'executed',
  'text',
  'link',
] as const;

export function searchRoutes(_deps: ApiDeps) {
  const app = newRouter();
  app.openapi(searchRoute, async (c) => {
    const store = c.var.store;
    const q = c.req.valid('query');
    const query: SearchQuery = {
      text: q.q,
      actor: q.actor,
      principal: q.principal,
      target: q.target,
      account: q.account,
      region: q.region,
      user: q.user,
      kind: q.kind,
      sessionId: q.session,
      since: q.since,
      until: q.until,
    };
    const filters = Object.fromEntries(
      Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'text'),
    );
    if (q.format !== 'json') {
      // Checked (throws for a viewer) before anything is recorded or streamed.
      await store.commands.search({ ...query, limit: 1 });
      await store.accessTrail.record('export', null, { q: q.q, filters, format: q.format });
      return exportHits(c, store, query, q.format) as never;
    }
    const result = await store.commands.searchWithCount({
      ...query,
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
    });
    await store.accessTrail.record('search', null, { q: q.q, filters, page: q.page });
    return c.json(
      {
        total: result.total,
        totalExact: result.totalExact,
        page: q.page,
        limit: q.limit,
        hits: result.hits.map((h) => ({ ...searchHitJson(h), link: link(h) })),
      },
      200,
    );
  });
  return app;
}

/**
 * A hit's deep link. The hit carries its session's start, read in the same query: a lookup per
 * session cost a third of a search request, and through the read pool a round trip each.
 */
function link(hit: SearchHit): string {
  return deepLink({ sessionId: hit.sessionId, startedAt: hit.sessionStartedAt }, hit);
}

function exportHits(
  c: Parameters<typeof stream>[0],
  store: ScopedStore,
  query: SearchQuery,
  format: 'csv' | 'ndjson',
): Response {
  const csv = format === 'csv';
  c.header('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="shelltrail-search.${csv ? 'csv' : 'ndjson'}"`);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    if (csv) await out.write(`${CSV_COLUMNS.join(',')}\r\n`);
    let cursor: string | null = null;
    let written = 0;
    do {
      const page = await store.commands.search({ ...query, limit: EXPORT_PAGE, cursor });
      for (const hit of page.hits) {
        const row = { ...searchHitJson(hit), link: link(hit) };
        await out.write(
          csv ? `${CSV_COLUMNS.map((k) => csvCell(row[k])).join(',')}\r\n` : `${JSON.stringify(row)}\n`,
        );
        if (++written >= MAX_EXPORT_HITS) return;
      }
      cursor = page.nextCursor;
    } while (cursor);
  });
}

/**
 * One CSV cell, quoted. A cell starting with `=`, `+`, `-`, `@` (or tab / carriage return) would
 * be a formula in a spreadsheet: it gets a leading apostrophe so it stays text.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}
