/**
 * One HTTP POST with a timeout, for every channel. Failures are described without the URL (a Slack
 * webhook URL is itself a secret), the request body or response body: status code or error code only.
 */

export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/**
 * Posts `body` and resolves on a 2xx answer; throws DeliveryError (`HTTP 500`, `timeout after 10 s`,
 * `connection failed (ECONNREFUSED)`) otherwise.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'shelltrail-alerts', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new DeliveryError(`timeout after ${timeoutMs / 1000} s`);
    throw new DeliveryError(`connection failed (${e.cause?.code ?? e.name})`);
  }
  // Drain the body so the connection is reused; its content is never kept or logged.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) throw new DeliveryError(`HTTP ${response.status}`);
}
