/**
 * THE role-scoped layer over the store interface: the only store a route or page gets
 * (`c.get('store')`). Roles are enforced here, below the routes, so a route that forgets a check
 * still cannot leak: for a viewer what this returns carries no command text (no commands, search,
 * transcripts, casts, command timelines, text filter, and session parameters or raw CloudTrail
 * records with their `command` parameters removed); tokens and the access trail are admins' only.
 * It also records the access trail entries for what the caller reads, with who and from where.
 */
import type {
  CtEventRow,
  Page,
  PageRequest,
  Role,
  SessionCounts,
  SessionFilters,
  SessionRow,
  Store,
} from '../store/index.ts';
import { appendToTrail, type Caller } from './access-trail-entry.ts';
import { AccessDeniedError } from './errors.ts';
import { createScopedAlerts } from './scoped-alerts.ts';
import { createScopedTokens } from './scoped-tokens.ts';

export type { Caller } from './access-trail-entry.ts';

export type ScopedStore = ReturnType<typeof createScopedStore>;

/** Whether a role sees command text, transcripts and casts. */
export function seesContent(role: Role): boolean {
  return role === 'auditor' || role === 'admin';
}

/**
 * The store as `caller` may see it.
 *
 * @example const scoped = createScopedStore(store, { auth, sourceIp, now: Date.now }); await scoped.sessions.list({});
 */
export function createScopedStore(store: Store, caller: Caller) {
  const { role } = caller.auth;
  const content = seesContent(role);
  function needContent(what: string): void {
    if (!content) throw new AccessDeniedError('role_viewer', `a viewer does not see ${what}`);
  }
  function needAdmin(what: string): void {
    if (role !== 'admin') throw new AccessDeniedError('role_not_admin', `only an admin manages ${what}`);
  }
  const redactSession = (s: SessionRow): SessionRow =>
    content ? s : { ...s, parameters: redactParameters(s.parameters) };
  return {
    role,
    auth: caller.auth,
    seesContent: content,
    // Alerts, suppressions, rule states, deliveries (scoped-alerts.ts): viewers see no command text.
    ...createScopedAlerts(store, caller, content),
    // API tokens: list, create (the secret returned once), revoke; admins only (scoped-tokens.ts).
    ...createScopedTokens(store, caller),
    sessions: {
      /** `text` (sessions with a command containing it) is refused to viewers: content would leak by probing. */
      async list(filters: SessionFilters = {}, page: PageRequest = {}): Promise<Page<SessionRow>> {
        if (filters.text) needContent('command text (the text filter)');
        const result = await store.sessions.list(filters, { limit: page.limit ?? 50, cursor: page.cursor });
        return { ...result, items: result.items.map(redactSession) };
      },
      /** Counts under the same filters, and the same refusal of `text` to viewers. */
      count(filters: SessionFilters = {}, options?: { cap?: number }): Promise<SessionCounts> {
        if (filters.text) needContent('command text (the text filter)');
        return store.sessions.count(filters, options);
      },
      async get(sessionId: string) {
        const s = await store.sessions.get(sessionId);
        return s && redactSession(s);
      },
      listAttempts: store.sessions.listAttempts.bind(store.sessions),
    },
    evidence: {
      async sessionEvents(sessionId: string): Promise<CtEventRow[]> {
        const rows = await store.evidence.sessionEvents(sessionId);
        return content ? rows : rows.map(redactEvent);
      },
      describeSnapshots: store.evidence.describeSnapshots.bind(store.evidence),
    },
    transcripts: {
      list: store.transcripts.list.bind(store.transcripts),
      readChunks(transcriptId: string) {
        needContent('transcripts');
        return store.transcripts.readChunks(transcriptId);
      },
      readCwEvents(transcriptId: string) {
        needContent('transcripts');
        return store.transcripts.readCwEvents(transcriptId);
      },
    },
    commands: {
      listForSession(...args: Parameters<Store['commands']['listForSession']>) {
        needContent('commands');
        return store.commands.listForSession(...args);
      },
      searchWithCount(...args: Parameters<Store['commands']['searchWithCount']>) {
        needContent('commands (search)');
        return store.commands.searchWithCount(...args);
      },
      search(...args: Parameters<Store['commands']['search']>) {
        needContent('commands (search)');
        return store.commands.search(...args);
      },
    },
    findings: {
      list: store.findings.list.bind(store.findings),
      countByKind: store.findings.countByKind.bind(store.findings),
    },
    stats: {
      overview: store.stats.overview.bind(store.stats),
      tableRows: store.stats.tableRows.bind(store.stats),
      sourcePolls: store.stats.sourcePolls.bind(store.stats),
    },
    timelines: {
      /** A viewer's timeline lists sessions only. */
      list(...[subject, options, page]: Parameters<Store['timelines']['list']>) {
        return store.timelines.list(
          subject,
          { ...options, commands: content && options?.commands !== false },
          page,
        );
      },
    },
    accessTrail: {
      list(...args: Parameters<Store['accessTrail']['list']>) {
        needAdmin('the access trail');
        return store.accessTrail.list(...args);
      },
      /** Appends what the caller just did to the access trail (who, when and from where filled in). */
      record(action: string, subject: string | null, detail: Record<string, unknown> | null = null) {
        return appendToTrail(store, caller, action, subject, detail);
      },
    },
  };
}

/** Session parameters without anything that carries a command (non-interactive command documents). */
export function redactParameters(parameters: string | null): string | null {
  if (!parameters) return parameters;
  try {
    const value = JSON.parse(parameters) as Record<string, unknown>;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    return JSON.stringify(Object.fromEntries(Object.entries(value).filter(([k]) => !/command/i.test(k))));
  } catch {
    return null;
  }
}

function redactEvent(row: CtEventRow): CtEventRow {
  let raw = '{}';
  try {
    const record = JSON.parse(row.raw) as { requestParameters?: { parameters?: unknown } };
    const params = record.requestParameters?.parameters;
    if (params && typeof params === 'object') {
      record.requestParameters!.parameters = JSON.parse(redactParameters(JSON.stringify(params)) ?? 'null');
    }
    raw = JSON.stringify(record);
  } catch {}
  return { ...row, parameters: redactParameters(row.parameters), raw };
}
