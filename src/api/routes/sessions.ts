/**
 * Sessions: the list (the `sessions --json` objects, keyset-paged), one session with its
 * commands (auditors and admins), evidence, nearby denied attempts, findings and transcript
 * sources; its transcript as text or exact bytes, and its asciicast for the player.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import { stream } from 'hono/streaming';
import { ALERT_LEVELS, alertJson } from '../../alerts/json.ts';
import { sessionCast } from '../../analyze/cast.ts';
import { type TranscriptView, transcriptContent } from '../../analyze/readable-text.ts';
import { attemptJson, commandJson, findingJson, isoOrNull, sessionJson } from '../../analyze/shapes.ts';
import { chooseTranscripts } from '../../analyze/transcript-choice.ts';
import { SESSION_KINDS } from '../../domain.ts';
import type { SessionRow } from '../../store/index.ts';
import { newRouter } from '../app.ts';
import { deepLink } from '../deep-link.ts';
import { AccessDeniedError, NotFoundError } from '../errors.ts';
import {
  AlertSchema,
  AttemptSchema,
  CommandSchema,
  CtEventSchema,
  DescribeSchema,
  ErrorSchema,
  errorResponses,
  FindingSchema,
  json,
  PageQuery,
  SessionAlertsSchema,
  SessionSchema,
  TranscriptSourceSchema,
} from '../schemas.ts';
import type { ScopedStore } from '../scoped-store.ts';
import type { ApiDeps, AppEnv } from '../types.ts';
import { timeParam } from './params.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/sessions',
  summary: 'Sessions, newest first',
  request: {
    query: z.object({
      actor: z.string().max(500).optional(),
      principal: z.string().max(2000).optional(),
      target: z.string().max(500).optional(),
      account: z.string().max(20).optional(),
      region: z.string().max(50).optional(),
      kind: z.enum(SESSION_KINDS).optional(),
      coverage: z.string().max(30).optional(),
      since: timeParam,
      until: timeParam,
      text: z.string().max(1000).optional(),
      alerts: z.enum(['open', 'any']).optional().openapi({
        description: 'Only sessions with an open alert (`open`) or an alert in any status (`any`)',
      }),
      alertLevel: z.enum(ALERT_LEVELS).optional().openapi({
        description: 'Only alerts of this level and above count; without `alerts`, open alerts are meant',
      }),
      ...PageQuery,
    }),
  },
  responses: {
    200: json(
      z
        .object({
          items: z.array(SessionSchema),
          nextCursor: z.string().nullable(),
          alerts: z.record(z.string(), SessionAlertsSchema).openapi({
            description: "The listed sessions' alerts by session id (sessions without alerts are absent)",
          }),
        })
        .openapi('SessionPage'),
      'A page of sessions',
    ),
    ...errorResponses,
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/sessions/{id}',
  summary: 'One session with its commands (not for viewers), evidence, attempts nearby and findings',
  request: {
    params: z.object({ id: z.string().max(500) }),
    query: z.object({ raw: z.enum(['0', '1']).optional(), commandsCursor: z.string().max(20).optional() }),
  },
  responses: {
    200: json(
      SessionSchema.extend({
        commands: z.array(CommandSchema).optional(),
        commandsNextCursor: z.string().nullable().optional(),
        cloudTrail: z.array(CtEventSchema),
        describeSessions: z.array(DescribeSchema),
        nearbyAttempts: z.array(AttemptSchema),
        findings: z.array(FindingSchema),
        transcripts: z.array(TranscriptSourceSchema),
        alerts: z.array(AlertSchema),
      }).openapi('SessionDetail'),
      'The session',
    ),
    404: json(ErrorSchema, 'No such session'),
    ...errorResponses,
  },
});

/** What the cast route sends: asciicast v3 (newline-delimited JSON: a header, then events). */
const CAST_TYPE = 'application/x-asciicast';
const TEXT_TYPE = 'text/plain';
const RAW_TYPE = 'application/octet-stream';

const sessionParam = z.object({ id: z.string().max(500) });
const noSession = json(ErrorSchema, 'No such session, or (transcripts) no stored transcript');
const attachment = {
  'Content-Disposition': {
    schema: { type: 'string' as const },
    description: 'attachment; filename="<session id, unusual characters replaced>.txt|.log"',
  },
};
const transcriptQuery = z.object({
  source: z.enum(['s3', 'cloudwatch']).optional().openapi({
    description: 'Which stored transcript: the S3 log or the CloudWatch stream (default: S3 when stored)',
  }),
});

const castRoute = createRoute({
  method: 'get',
  path: '/sessions/{id}/cast',
  summary: "The session's replay for asciinema-player (not for viewers); streamed; recorded as a replay",
  description:
    'asciicast v3: a header line (its `tags` say where timing comes from: `timing:exact`, ' +
    '`timing:cloudwatch-1s`, `timing:synthetic`), then one JSON event per line, with one marker ' +
    '(`"m"`) per command in `seq` order, labelled with the command text.',
  request: { params: sessionParam },
  responses: {
    200: {
      content: { [CAST_TYPE]: { schema: z.string().openapi({ description: 'asciicast v3 lines' }) } },
      description: 'The cast',
    },
    404: noSession,
    ...errorResponses,
  },
});

const textRoute = createRoute({
  method: 'get',
  path: '/sessions/{id}/transcript.txt',
  summary: 'What the terminal showed, as text (not for viewers); a download; recorded in the access trail',
  request: { params: sessionParam, query: transcriptQuery },
  responses: {
    200: {
      content: { [TEXT_TYPE]: { schema: z.string() } },
      headers: attachment,
      description: 'The readable transcript, controls and bidi marks shown as visible escapes',
    },
    404: noSession,
    ...errorResponses,
  },
});

const rawRoute = createRoute({
  method: 'get',
  path: '/sessions/{id}/raw',
  summary: 'The transcript exactly as stored (not for viewers); a download; recorded in the access trail',
  request: { params: sessionParam, query: transcriptQuery },
  responses: {
    200: {
      content: { [RAW_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
      headers: attachment,
      description: 'The exact bytes (CloudWatch: the event messages, one per line)',
    },
    404: noSession,
    ...errorResponses,
  },
});

const NEARBY_MS = 6 * 3_600_000;
/** Cast output is written to the socket in pieces of about this many characters. */
const CAST_WRITE_CHARS = 32 * 1024;

export function sessionRoutes(deps: ApiDeps) {
  const app = newRouter();
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.store.sessions.list(
      {
        actor: q.actor,
        principal: q.principal,
        target: q.target,
        accountId: q.account,
        region: q.region,
        kind: q.kind,
        coverage: q.coverage,
        since: q.since,
        until: q.until,
        text: q.text,
        alerts: q.alerts,
        alertLevel: q.alertLevel,
      },
      { limit: q.limit ?? 50, cursor: q.cursor },
    );
    // One indexed statement for the whole page's badges (store/sqlite/session-alerts.ts).
    const alerts = await c.var.store.alerts.countBySession(page.items.map((s) => s.sessionId));
    return c.json({ items: page.items.map(sessionJson), nextCursor: page.nextCursor, alerts }, 200);
  });

  app.openapi(detailRoute, async (c) => {
    const store = c.var.store;
    const { id } = c.req.valid('param');
    const { raw, commandsCursor } = c.req.valid('query');
    const session = await sessionOr404(store, id);
    const withRaw = raw === '1';
    const [events, snapshots, findings, transcripts, alerts] = await Promise.all([
      store.evidence.sessionEvents(id),
      store.evidence.describeSnapshots(id),
      store.findings.list({ sessionId: id }, { limit: 1000 }),
      store.transcripts.list(id),
      // The role-scoped store: a viewer's alerts carry no command text.
      store.alerts.list({ sessionId: id }, { limit: 1000 }),
    ]);
    const body = {
      ...sessionJson(session),
      ...(store.seesContent ? await commandsOf(store, session, commandsCursor) : {}),
      cloudTrail: events.map((e) => ({
        eventId: e.eventId,
        eventName: e.eventName,
        at: isoOrNull(e.eventTime),
        errorCode: e.errorCode,
        actor: e.actor,
        sourceIp: e.sourceIp,
        origin: e.origin,
        ...(withRaw ? { raw: parseJson(e.raw) } : {}),
      })),
      describeSessions: snapshots.map((d) => ({
        status: d.status,
        startedAt: isoOrNull(d.startedAt),
        endedAt: isoOrNull(d.endedAt),
        owner: d.owner,
        ...(withRaw ? { raw: parseJson(d.raw) } : {}),
      })),
      nearbyAttempts: (await nearbyAttempts(store, session)).map(attemptJson),
      findings: findings.items.map(findingJson),
      transcripts: transcripts.map((t) => ({
        transcriptId: t.transcriptId,
        source: t.source,
        location: t.location,
        format: t.format,
        byteSize: t.byteSize,
        firstEventAt: isoOrNull(t.firstEventAt),
        lastEventAt: isoOrNull(t.lastEventAt),
      })),
      alerts: alerts.items.map(alertJson),
    };
    return c.json(body, 200);
  });

  // Streamed, so a plain Response: the route types know only c.text() for a text/plain answer.
  app.openapi(
    textRoute,
    async (c) => (await download(c, 'text')) as unknown as TypedResponse<string, 200, 'text'>,
  );
  app.openapi(rawRoute, (c) => download(c, 'raw'));
  app.openapi(castRoute, async (c) => {
    const store = c.var.store;
    const { id } = c.req.valid('param');
    await sessionOr404(store, id);
    if (!store.seesContent) throw new AccessDeniedError('role_viewer', 'a viewer does not see casts');
    await store.accessTrail.record('replay', id);
    c.header('Content-Type', `${CAST_TYPE}; charset=utf-8`);
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      // Lines are small (one event each): write them in batches, not one socket write per line.
      let batch = '';
      for await (const line of sessionCast(store, id, { defaultCols: deps.config.terminal.defaultCols })) {
        batch += line;
        if (batch.length >= CAST_WRITE_CHARS) {
          await out.write(batch);
          batch = '';
        }
      }
      if (batch) await out.write(batch);
    });
  });
  return app;
}

async function sessionOr404(store: ScopedStore, id: string): Promise<SessionRow> {
  const session = await store.sessions.get(id);
  if (!session) throw new NotFoundError('no such session');
  return session;
}

async function commandsOf(store: ScopedStore, session: SessionRow, cursor: string | undefined) {
  const page = await store.commands.listForSession(session.sessionId, { cursor });
  return {
    commands: page.items.map((cmd) => ({ ...commandJson(cmd), link: deepLink(session, cmd) })),
    commandsNextCursor: page.nextCursor,
  };
}

/** Denied attempts by the same actor or on the same target within hours of the session's start. */
async function nearbyAttempts(store: ScopedStore, session: SessionRow) {
  if (session.startedAt === null) return [];
  const range = { since: session.startedAt - NEARBY_MS, until: session.startedAt + NEARBY_MS };
  const [byActor, onTarget] = await Promise.all([
    session.actor ? store.sessions.listAttempts({ ...range, actor: session.actor }, { limit: 50 }) : null,
    session.target ? store.sessions.listAttempts({ ...range, target: session.target }, { limit: 50 }) : null,
  ]);
  const seen = new Map<string, (typeof onTarget & {})['items'][number]>();
  for (const a of [...(byActor?.items ?? []), ...(onTarget?.items ?? [])]) seen.set(a.eventId, a);
  return [...seen.values()].sort((a, b) => b.eventTime - a.eventTime);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A transcript as a download: a file name from the session id with anything unusual replaced. */
async function download(c: Context<AppEnv>, view: TranscriptView): Promise<Response> {
  const store = c.var.store;
  const id = c.req.param('id')!;
  await sessionOr404(store, id);
  // The scoped store refuses a viewer's read too, but only once streaming began: refuse up front.
  if (!store.seesContent) throw new AccessDeniedError('role_viewer', 'a viewer does not see transcripts');
  const source = c.req.query('source');
  const choice = chooseTranscripts(await store.transcripts.list(id), 'display');
  const transcript =
    source === 'cloudwatch'
      ? choice.cloudwatch
      : source === 's3'
        ? choice.s3
        : (choice.s3 ?? choice.cloudwatch);
  if (!transcript) throw new NotFoundError('this session has no stored transcript');
  const pieces = transcriptContent(store, transcript, view);
  await store.accessTrail.record('transcript', id, { view, source: transcript.source });
  const name = `${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120)}.${view === 'raw' ? 'log' : 'txt'}`;
  // The text view is text (escaped: safeText); the raw view is whatever bytes were stored. Both are
  // attachments, and nosniff (security.ts) keeps a browser from reading either as HTML.
  c.header('Content-Type', view === 'raw' ? RAW_TYPE : `${TEXT_TYPE}; charset=utf-8`);
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    for await (const piece of pieces)
      await out.write(typeof piece === 'string' ? piece : new Uint8Array(piece));
  });
}
