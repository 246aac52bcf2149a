/**
 * Retries an AWS call on throttling, 5xx and network errors with exponential backoff and full
 * jitter. The SDK retries too; this outer loop covers paged loops where we must also respect a
 * per-account request rate (LookupEvents: 2/s) and want to report what happened.
 */
export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export function isRetryable(err: unknown): boolean {
  const e = err as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || status === 429) return true;
  const name = e?.name ?? e?.code ?? '';
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|Timeout|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i.test(
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
      if (attempt >= attempts || !isRetryable(err) || options.signal?.aborted) throw err;
      const delayMs = Math.round(Math.random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
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
  const message = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 300);
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
