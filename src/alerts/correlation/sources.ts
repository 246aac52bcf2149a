/**
 * shelltrail's own log sources for scheduled rules, read over the store interface for a time
 * window: `commands`, `sessions`, `attempts` (denied or failed StartSession calls) and `findings`
 * (audit findings). Each event is a time and its named fields; `Production` is `true` when the
 * event's target matches `detection.productionTargets`.
 */
import { globTester, lowerGlob, parseGlob } from '../../detect/sigma/pattern.ts';
import type { Store } from '../../store/index.ts';

export const LOG_SOURCES = {
  // CommandLine second: keyword selections search field 1.
  commands: [
    'Session',
    'CommandLine',
    'Actor',
    'Principal',
    'Target',
    'Account',
    'Region',
    'User',
    'CurrentDirectory',
    'Production',
  ],
  sessions: [
    'Session',
    'Kind',
    'Actor',
    'Principal',
    'Target',
    'Account',
    'Region',
    'Coverage',
    'Production',
  ],
  attempts: ['ErrorCode', 'Actor', 'Principal', 'Target', 'Account', 'Region', 'SourceIp', 'Production'],
  findings: ['Session', 'Code', 'Kind', 'Actor', 'Target', 'Production'],
} as const;

export type LogSource = keyof typeof LOG_SOURCES;

export interface LogEvent {
  at: number;
  /** Values in the order of LOG_SOURCES[source]. */
  values: (string | undefined)[];
  sessionId: string | null;
}

/** Reads stop here: a scheduled rule over a busier window sees its first events only (and says so). */
export const MAX_EVENTS = 100_000;

type Row = Record<string, string | number | null | undefined>;

function production(patterns: string[]): (target: string | null | undefined) => string {
  const tests = patterns.map((p) => globTester(lowerGlob(parseGlob(p))));
  return (target) => (target && tests.some((t) => t(target.toLowerCase())) ? 'true' : 'false');
}

function toEvent(
  source: LogSource,
  row: Row,
  at: number,
  isProduction: string,
  sessionId: string | null,
): LogEvent {
  const values = LOG_SOURCES[source].map((f) => {
    if (f === 'Production') return isProduction;
    const v = row[f];
    return v === null || v === undefined ? undefined : String(v);
  });
  return { at, values, sessionId };
}

/**
 * The events of `source` with times in [since, until).
 *
 * @example await readEvents(store, 'attempts', now - 3_600_000, now, ['i-0prod*'])
 */
export async function readEvents(
  store: Store,
  source: LogSource,
  since: number,
  until: number,
  productionTargets: string[],
): Promise<LogEvent[]> {
  const isProd = production(productionTargets);
  const out: LogEvent[] = [];
  let cursor: string | null = null;
  do {
    if (source === 'sessions') {
      const page = await store.sessions.list(
        { since, until },
        { limit: 1000, ...(cursor ? { cursor } : {}) },
      );
      for (const s of page.items) {
        const row = {
          Session: s.sessionId,
          Kind: s.kind,
          Actor: s.actor,
          Principal: s.principalArn,
          Target: s.target,
          Account: s.accountId,
          Region: s.region,
          Coverage: s.coverage,
        };
        out.push(toEvent(source, row, s.startedAt ?? since, isProd(s.target), s.sessionId));
      }
      cursor = page.nextCursor;
    } else if (source === 'attempts') {
      const page = await store.sessions.listAttempts(
        { since, until },
        { limit: 1000, ...(cursor ? { cursor } : {}) },
      );
      for (const a of page.items) {
        const row = {
          ErrorCode: a.errorCode,
          Actor: a.actor,
          Principal: a.principalArn,
          Target: a.target,
          Account: a.accountId,
          Region: a.region,
          SourceIp: a.sourceIp,
        };
        out.push(toEvent(source, row, a.eventTime, isProd(a.target), null));
      }
      cursor = page.nextCursor;
    } else if (source === 'commands') {
      const page = await store.commands.search({ since, until, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const c of page.hits) {
        const row = {
          Session: c.sessionId,
          CommandLine: c.text,
          Actor: c.actor,
          Principal: c.principalArn,
          Target: c.target,
          Account: c.accountId,
          Region: c.region,
          User: c.user,
          CurrentDirectory: c.cwd,
        };
        out.push(toEvent(source, row, c.at ?? since, isProd(c.target), c.sessionId));
      }
      cursor = page.nextCursor ?? null;
    } else {
      // A finding is timed by its session (its end, else its start), not by when it was found:
      // detection time is import time, so a first import of last year's history would look like
      // today's events and page people. The list is ordered by session, so filter here.
      const page = await store.findings.list({}, { limit: 5000, ...(cursor ? { cursor } : {}) });
      for (const f of page.items) {
        const at = f.endedAt ?? f.startedAt ?? f.detectedAt;
        if (at < since || at >= until) continue;
        const row = { Session: f.sessionId, Code: f.code, Kind: f.kind, Actor: f.actor, Target: f.target };
        out.push(toEvent(source, row, at, isProd(f.target), f.sessionId));
      }
      cursor = page.nextCursor;
    }
  } while (cursor && out.length < MAX_EVENTS);
  return out;
}
