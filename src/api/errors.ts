/**
 * The API's one error path: whatever a route throws becomes `{error: {code, message}}` with the
 * status its kind deserves. Messages are ours (they never quote transcript content); an error we
 * did not expect is logged here and answered with a generic 500, never a stack trace.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import {
  BadInputError,
  InvalidRequestError,
  LeaseHeldError,
  LeaseLostError,
  ShelltrailError,
  StoreError,
  UsageError,
} from '../errors.ts';

/** The caller's role may not do this (HTTP 403). */
export class AccessDeniedError extends ShelltrailError {
  override name = 'AccessDeniedError';
  constructor(
    /** Short machine-readable reason, e.g. `role_viewer`. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends ShelltrailError {
  override name = 'NotFoundError';
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Status and body for an error; unknown errors are a generic 500. */
export function describeApiError(err: unknown): { status: ContentfulStatusCode; body: ApiErrorBody } {
  const body = (status: ContentfulStatusCode, code: string, message: string) => ({
    status,
    body: { error: { code, message } },
  });
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return body(status, HTTP_CODES[status] ?? 'error', err.message || HTTP_CODES[status] || 'error');
  }
  if (err instanceof AccessDeniedError) return body(403, err.reason, err.message);
  if (err instanceof NotFoundError) return body(404, 'not_found', err.message);
  if (err instanceof InvalidRequestError) return body(400, err.reason, err.message);
  if (err instanceof BadInputError) return body(400, err.reason, err.message);
  if (err instanceof UsageError) return body(400, 'bad_request', err.message);
  if (err instanceof LeaseHeldError || err instanceof LeaseLostError)
    return body(503, 'busy', 'the store is busy; try again');
  if (err instanceof StoreError) return body(503, err.reason, 'the store is unavailable');
  return body(500, 'internal', 'internal error');
}

/** Hono's onError: JSON for the API; pages get the same status with a short text body. */
export function onApiError(log: Logger) {
  return function handleError(err: Error, c: Context): Response {
    const { status, body } = describeApiError(err);
    if (status >= 500)
      log.error({ err: { name: err.name, message: err.message }, path: c.req.path }, 'request failed');
    if (err instanceof HTTPException && err.res && !err.message) return err.res;
    if (wantsJson(c)) return c.json(body, status);
    return c.text(`${status} ${body.error.message}`, status);
  };
}

/** Hono's notFound: JSON under /api, text elsewhere. */
export function onNotFound(c: Context): Response {
  const body: ApiErrorBody = { error: { code: 'not_found', message: 'no such route' } };
  return wantsJson(c) ? c.json(body, 404) : c.text('404 not found', 404);
}

/** API routes, /metrics and clients that ask for JSON get JSON errors. */
export function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
}
