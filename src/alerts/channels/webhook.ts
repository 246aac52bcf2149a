/**
 * Generic webhook: the alert as JSON, signed. The signature is HMAC-SHA256 over
 * `timestamp + "." + body` with the channel's secret, hex, sent as
 * `X-Shelltrail-Signature: sha256=<hex>` beside `X-Shelltrail-Timestamp: <unix seconds>`, so a
 * receiver can verify the body and reject replays of old deliveries. `X-Shelltrail-Delivery`
 * names the delivery: a retry after a lost answer repeats it, so receivers can drop duplicates.
 */
import { createHmac } from 'node:crypto';
import type { AlertPayload } from '../payload.ts';
import { DeliveryError, postJson } from './http.ts';

export const SIGNATURE_HEADER = 'X-Shelltrail-Signature';
export const TIMESTAMP_HEADER = 'X-Shelltrail-Timestamp';
export const DELIVERY_HEADER = 'X-Shelltrail-Delivery';

/** `sha256=<hex>` for a body sent at `timestamp` (unix seconds). */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookTarget {
  url: string;
  /** Required: a body goes out signed or not at all (config validation asks for it per channel). */
  secret: string;
  timeoutSeconds: number;
}

/** Sends one alert; throws DeliveryError on anything but a 2xx answer in time. */
export async function sendWebhook(
  target: WebhookTarget,
  payload: AlertPayload,
  deliveryId: number,
  now: number,
): Promise<void> {
  const body = JSON.stringify({ type: 'alert', deliveryId, alert: payload });
  const timestamp = Math.floor(now / 1000);
  const headers: Record<string, string> = {
    [TIMESTAMP_HEADER]: String(timestamp),
    [DELIVERY_HEADER]: String(deliveryId),
  };
  if (!target.secret) throw new DeliveryError('webhook channel has no secret');
  headers[SIGNATURE_HEADER] = signature(target.secret, timestamp, body);
  await postJson(target.url, body, headers, target.timeoutSeconds * 1000);
}
