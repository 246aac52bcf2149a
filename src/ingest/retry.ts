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
