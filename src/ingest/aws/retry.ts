/**
 * Retries an AWS call on throttling, 5xx and network errors with exponential backoff and full
 * jitter. The SDK clients of the sources are built with one attempt (`{ maxAttempts: 1 }`, clients.ts),
 * so every attempt passes through this loop and, in paged loops, through the API's rate pacer.
 * An endpoint that refuses connections or does not resolve is not going to come back within a
 * poll: it gets a couple of quick attempts, so `ingest --once` reports it in seconds and the worker's
 * per-source backoff takes over. Throttling and 5xx keep the long backoff.
 */
import { ShelltrailError } from '../../errors.ts';

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Attempts and backoff cap for an unreachable endpoint (refused connection, failed DNS lookup). */
const UNREACHABLE_ATTEMPTS = 2;
const UNREACHABLE_MAX_MS = 250;
const UNREACHABLE_CODES = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/;

/** Error codes of an error, its cause and (Node's happy-eyeballs AggregateError) its inner errors. */
function errorCodes(err: unknown, depth = 0): string[] {
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown } | null;
  if (!e || typeof e !== 'object' || depth > 3) return [];
  const own = typeof e.code === 'string' ? [e.code] : [];
  const inner = Array.isArray(e.errors) ? e.errors.slice(0, 8) : [];
  return [...own, ...[e.cause, ...inner].flatMap((x) => errorCodes(x, depth + 1))];
}

/** A refused connection or a failed DNS lookup: nobody answered at all. */
export function isUnreachable(err: unknown): boolean {
  if (errorCodes(err).some((c) => UNREACHABLE_CODES.test(c))) return true;
  return /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\b/.test((err as Error)?.message ?? '');
}

export function isRetryable(err: unknown): boolean {
  // Our own errors (bad input, a lost lease) are verdicts, not transport failures: never retried.
  if (err instanceof ShelltrailError) return false;
  const e = err as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e?.$retryable) return true;
  if (isUnreachable(err)) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || status === 429) return true;
  const name = `${e?.name ?? ''} ${errorCodes(err).join(' ')}`;
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|Timeout|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up/i.test(
    `${name} ${(err as Error)?.message ?? ''}`,
  );
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const baseMs = options.baseMs ?? 200;
  const maxMs = options.maxMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const unreachable = isUnreachable(err);
      const limit = unreachable ? Math.min(attempts, UNREACHABLE_ATTEMPTS) : attempts;
      if (attempt >= limit || !isRetryable(err) || options.signal?.aborted) throw err;
      const cap = unreachable ? Math.min(maxMs, UNREACHABLE_MAX_MS) : maxMs;
      const delayMs = Math.round(Math.random() * Math.min(cap, baseMs * 2 ** (attempt - 1)));
      options.onRetry?.(err, attempt, delayMs);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Spaces calls so no more than `perSecond` start in any one-second window. */
export function rateLimiter(perSecond: number): () => Promise<void> {
  const intervalMs = 1000 / perSecond;
  let next = 0;
  return async function waitForTurn() {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + intervalMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

/** A one-line description for the operator: error name, message and HTTP status, no payloads. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  // Node's happy-eyeballs AggregateError has an empty message; its codes say what happened.
  const message = (e?.message || errorCodes(err).join(', ') || String(err)).split('\n')[0]!.slice(0, 300);
  return `${e?.name ?? 'Error'}: ${message}${status}`;
}

/**
 * One call of a paged AWS API as a source makes it: waits for its turn under the API's rate
 * limit, retries throttling and 5xx with backoff, and tells the operator about each retry.
 *
 * @example const page = await pacedCall(ctx, { waitForTurn }, (abortSignal) => client.send(cmd, { abortSignal }));
 */
export function pacedCall<T>(
  ctx: { signal: AbortSignal; log(message: string): void },
  options: { waitForTurn?: () => Promise<void>; baseMs?: number; attempts?: number },
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  return withRetry(
    async () => {
      await options.waitForTurn?.();
      return send(ctx.signal);
    },
    {
      signal: ctx.signal,
      baseMs: options.baseMs ?? 500,
      attempts: options.attempts ?? 8,
      onRetry: (err, attempt, delayMs) =>
        ctx.log(`retry ${attempt} in ${delayMs} ms after ${describeError(err)}`),
    },
  );
}
