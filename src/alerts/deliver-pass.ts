/**
 * Delivery as a pass: drains what is due in the outbox (rows written with their alerts). Channels
 * are served side by side and a channel that fails is left alone until its next attempt, so a dead
 * endpoint delays nothing else. Failures retry with exponential backoff and jitter up to
 * `retry.maxAttempts`, then the row is `dead` (kept in the delivery log). Log lines name the
 * channel, delivery and error class only: never the URL, the secret or the payload.
 */
import type { Pass, PassContext, PassCounters } from '../analyze/pass.ts';
import type { AlertsConfig, ChannelConfig } from '../config-detection.ts';
import type { AlertRecord, Delivery, Store } from '../store/index.ts';
import { DeliveryError } from './channels/http.ts';
import { sendSlack } from './channels/slack.ts';
import { sendWebhook } from './channels/webhook.ts';
import { alertPayload } from './payload.ts';
import { createRedactor } from './redact.ts';

export interface DeliverCounters extends PassCounters {
  delivered: number;
  deliveryFailures: number;
  deliveriesDead: number;
}

export interface DeliverPassOptions {
  alerts: AlertsConfig;
  redactPatterns: string[];
  now?: () => number;
  /** 0..1 jitter source (tests pin it). */
  random?: () => number;
}

const DUE_PAGE = 100;

/** When to try again after `attempts` failed attempts (1-based), or null to give up. */
export function nextAttemptAt(
  retry: AlertsConfig['retry'],
  attempts: number,
  now: number,
  random: () => number = Math.random,
): number | null {
  if (attempts >= retry.maxAttempts) return null;
  const base = Math.min(retry.maxSeconds, retry.baseSeconds * 2 ** (attempts - 1)) * 1000;
  // ±20% so a fleet of failed deliveries does not retry in lockstep.
  return now + Math.round(base * (0.8 + 0.4 * random()));
}

/** Sends one delivery through its channel; throws DeliveryError on failure. */
async function send(
  channel: ChannelConfig,
  alert: AlertRecord,
  delivery: Delivery,
  options: DeliverPassOptions,
  redact: (t: string) => string,
  now: number,
): Promise<void> {
  const payload = alertPayload(alert, {
    baseUrl: options.alerts.baseUrl,
    linkOnly: channel.linkOnly,
    redact,
  });
  if (channel.type === 'webhook')
    await sendWebhook(
      { url: channel.url, secret: channel.secret ?? '', timeoutSeconds: channel.timeoutSeconds },
      payload,
      delivery.deliveryId,
      now,
    );
  else await sendSlack(channel.url, payload, channel.timeoutSeconds);
}

/**
 * The delivery pass; runs in the process holding the writer lease (after detection).
 *
 * @example passes: [extractPass, detectPass, createDeliverPass({ alerts: config.alerts, redactPatterns: [] })]
 */
export function createDeliverPass(
  options: DeliverPassOptions,
): Pass & { run(ctx: PassContext): Promise<DeliverCounters> } {
  const now = options.now ?? Date.now;
  const redact = createRedactor(options.redactPatterns);
  const channels = new Map(options.alerts.channels.map((c) => [c.name, c]));
  return {
    name: 'deliver',
    run: async function runDeliverPass({ store, signal, log }) {
      const done: DeliverCounters = { delivered: 0, deliveryFailures: 0, deliveriesDead: 0 };
      const failing = new Set<string>();
      for (;;) {
        if (signal.aborted) return done;
        // Failing channels are left out in the query itself: filtering a page afterwards let a
        // failing channel with a full page of due rows hide every other channel's deliveries.
        const due = await store.outbox.due(now(), DUE_PAGE, { excludeChannels: [...failing] });
        if (due.length === 0) return done;
        const byChannel = new Map<string, typeof due>();
        for (const d of due)
          byChannel.set(d.delivery.channel, [...(byChannel.get(d.delivery.channel) ?? []), d]);
        await Promise.all(
          [...byChannel].map(async ([name, items]) => {
            for (const { delivery, alert } of items) {
              if (signal.aborted || failing.has(name)) return;
              const outcome = await attempt(store, channels.get(name), alert, delivery);
              if (outcome === 'delivered') done.delivered++;
              else {
                done.deliveryFailures++;
                if (outcome === 'dead') done.deliveriesDead++;
                failing.add(name);
              }
            }
          }),
        );
      }

      async function attempt(
        s: Store,
        channel: ChannelConfig | undefined,
        alert: AlertRecord,
        delivery: Delivery,
      ): Promise<'delivered' | 'retry' | 'dead'> {
        const at = now();
        let error: string;
        if (!channel) error = 'channel not configured';
        else
          try {
            await send(channel, alert, delivery, options, redact, at);
            await s.outbox.markDelivered(delivery.deliveryId, now());
            return 'delivered';
          } catch (err) {
            if (!(err instanceof DeliveryError)) throw err;
            error = err.message;
          }
        const retryAt = channel
          ? nextAttemptAt(options.alerts.retry, delivery.attempts + 1, at, options.random)
          : null;
        await s.outbox.markFailed(delivery.deliveryId, error, retryAt);
        log(
          `${delivery.channel} delivery ${delivery.deliveryId} failed (${error}); ` +
            (retryAt === null ? 'giving up' : `retry in ${Math.round((retryAt - at) / 1000)} s`),
        );
        return retryAt === null ? 'dead' : 'retry';
      }
    },
  };
}
