/** `shelltrail detect`, `rules` and `alerts` through the real CLI entry. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDetectPass } from '../../src/detect/detect-pass.ts';
import { builtinDir } from '../../src/detect/sigma/index.ts';
import { runCli } from '../cli/cli-io.ts';
import { openWritable } from '../store/helpers.ts';
import { alerts, detection, quiet, sessionWithCommands, T0 } from './support.ts';

describe('detection CLI', () => {
  let dir = '';
  let db = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelltrail-detect-cli-'));
    db = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function storeWithAlerts(): Promise<void> {
    const store = await openWritable(db);
    await sessionWithCommands(store, 'kim-1', ['id', 'history -c', 'cat /etc/shadow']);
    await createDetectPass({ detection: detection(), alerts: alerts(), now: () => T0 + 60_000 }).run({
      ...quiet,
      store,
      log: () => {},
    });
    await store.close();
  }

  it('detect FILE prints one NDJSON result per line in order; an invalid line exits 2', async () => {
    const input = join(dir, 'in.ndjson');
    writeFileSync(input, '{"text":"history -c"}\nnot json\n{"text":"ls -la","user":"root"}\n');
    const r = await runCli(['detect', input]);
    expect(r.code).toBe(2);
    const lines = r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.index)).toEqual([0, 1, 2]);
    expect(lines[0].matches[0]).toMatchObject({
      title: 'Shell history disabled or cleared',
      level: expect.any(String),
    });
    expect(lines[1].error).toBeTruthy();
    expect(lines[2].matches).toEqual([]);
    expect(r.stderr).toMatch(/^rules: 26 loaded, 0 skipped, 0 not applicable/);
    expect((await runCli(['detect', join(dir, 'missing.ndjson')])).code).toBe(2);
    expect((await runCli(['detect', '--no-builtin', input])).code).toBe(2);
  });

  it('rules check reports file:line and reasons and exits 1; a clean folder exits 0', async () => {
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'broken.yml'), 'title: x\nid: a\ndetection:\n  sel: [unclosed\n');
    const head = (id: string) =>
      `title: Odd\nid: ${id}\nlogsource: {product: linux, category: process_creation}\ndetection:\n`;
    writeFileSync(join(rules, 'unsupported.yml'), `${head('b')}  sel:\n    Hashes: x\n  condition: sel\n`);
    writeFileSync(
      join(rules, 'modifier.yml'),
      `${head('c')}  sel:\n    Image|endswith: /nc\n    CommandLine|utf16le: x\n  condition: sel\n`,
    );
    // Two documents: the second one's bad condition is on line 15 of the file.
    writeFileSync(
      join(rules, 'condition.yml'),
      `${head('d')}  sel:\n    Image|endswith: /nc\n  condition: sel\n---\n${head('e')}  sel:\n    Image: x\n  condition: sel and (\n`,
    );
    const r = await runCli(['rules', 'check', rules]);
    expect(r.code).toBe(1);
    const out = r.stdout.toString().split('\n');
    expect(out[0]).toBe('1 loaded, 4 skipped, 0 not applicable');
    // One `file:line: reason` line per rule, starting the line (editors jump to it).
    // The YAML parser notices the unclosed `[` at the end of the file (line 5).
    expect(out).toContainEqual(expect.stringMatching(/^\S*broken\.yml:5: YAML error/));
    expect(out).toContainEqual(
      expect.stringMatching(/^\S*unsupported\.yml:6: unsupported: field "Hashes".* \(rule b\)$/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/^\S*modifier\.yml:7: unsupported: modifier "utf16le" \(rule c\)$/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/^\S*condition\.yml:15: unsupported: condition ends early: .* \(rule e\)$/),
    );
    expect((await runCli(['rules', 'check', builtinDir])).code).toBe(0);
  });

  it('rules list shows the pack with alert counts and the load report; enable/disable persist', async () => {
    await storeWithAlerts();
    const r = await runCli(['rules', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const { rules, report } = JSON.parse(r.stdout.toString());
    expect(report.loaded).toBe(26);
    expect(rules.filter((x: { kind: string }) => x.kind.startsWith('scheduled'))).toHaveLength(4);
    const history = rules.find((x: { title: string }) => x.title === 'Shell history disabled or cleared');
    expect(history).toMatchObject({ enabled: true, alerts: 1 });
    expect((await runCli(['rules', 'disable', history.id, '--db', db])).code).toBe(0);
    const after = JSON.parse((await runCli(['rules', 'list', '--db', db, '--json'])).stdout.toString());
    expect(after.rules.find((x: { id: string }) => x.id === history.id).enabled).toBe(false);
    const text = (await runCli(['rules', '--db', db])).stdout.toString();
    expect(text).toMatch(/26 loaded, 0 skipped, 0 not applicable/);
  });

  it('rules test backtests stored commands without raising alerts', async () => {
    await storeWithAlerts();
    const before = JSON.parse((await runCli(['alerts', '--db', db, '--json'])).stdout.toString());
    const r = await runCli([
      'rules',
      'test',
      builtinDir,
      '--db',
      db,
      '--since',
      new Date(T0 - 1000).toISOString(),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout.toString());
    expect(result.commands).toBe(3);
    const matched = result.rules
      .filter((x: { matches: number }) => x.matches > 0)
      .map((x: { title: string }) => x.title);
    expect(matched.sort()).toEqual([
      'Password hash files read or copied',
      'Shell history disabled or cleared',
    ]);
    const after = JSON.parse((await runCli(['alerts', '--db', db, '--json'])).stdout.toString());
    expect(after).toEqual(before);
  });

  it('alerts lists newest first, filters, and ack records who did it', async () => {
    await storeWithAlerts();
    const list = JSON.parse((await runCli(['alerts', '--db', db, '--json'])).stdout.toString());
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      status: 'open',
      actor: 'kim',
      sessionId: 'kim-1',
      link: expect.stringMatching(/^\/sessions\/kim-1\?/),
    });
    const ack = await runCli(['alerts', 'ack', String(list[0].id), '--db', db, '--reason', 'known drill']);
    expect(ack.stdout.toString()).toBe('1 alert acknowledged\n');
    const open = JSON.parse(
      (await runCli(['alerts', '--db', db, '--json', '--status', 'open'])).stdout.toString(),
    );
    expect(open.map((a: { id: number }) => a.id)).toEqual([list[1].id]);
    const table = (await runCli(['alerts', '--db', db])).stdout.toString();
    expect(table).toMatch(/acknowledged/);
    expect(table).toMatch(/2 alerts\n$/);
    const trail = JSON.parse((await runCli(['access-log', '--db', db, '--json'])).stdout.toString());
    expect(JSON.stringify(trail)).toContain('alert_ack');
    expect((await runCli(['alerts', 'ack', 'x', '--db', db])).code).toBe(2);
    expect((await runCli(['alerts', '--status', 'nope', '--db', db])).code).toBe(2);
  });

  it('alerts retry sends dead deliveries again: by id or --all, recorded in the access trail', async () => {
    const store = await openWritable(db);
    await sessionWithCommands(store, 'kim-1', ['id', 'history -c', 'cat /etc/shadow']);
    const channels = [
      {
        type: 'webhook',
        name: 'hook',
        url: 'http://127.0.0.1:1/',
        secret: 'a-webhook-secret-of-some-length',
      },
    ];
    await createDetectPass({
      detection: detection(),
      alerts: alerts({ channels: channels.map((c) => ({ ...c, minLevel: 'low' })) }),
      now: () => T0 + 60_000,
    }).run({ ...quiet, store, log: () => {} });
    const due = await store.outbox.due(T0 + 60_000, 10);
    expect(due).toHaveLength(2);
    for (const d of due) await store.outbox.markFailed(d.delivery.deliveryId, 'HTTP 503', null);
    await store.close();
    const [first, second] = due.map((d) => d.delivery.deliveryId);
    expect((await runCli(['alerts', 'retry', '--db', db])).code).toBe(2);
    expect((await runCli(['alerts', 'retry', 'x1', '--db', db])).code).toBe(2);
    const one = await runCli(['alerts', 'retry', String(first), '--db', db]);
    expect(one.code, one.stderr.toString()).toBe(0);
    expect(one.stdout.toString()).toContain('1 dead delivery queued again');
    const all = await runCli(['alerts', 'retry', '--all', '--db', db]);
    expect(all.stdout.toString()).toContain('1 dead delivery queued again');
    const reopened = await openWritable(db);
    try {
      expect((await reopened.outbox.list({ status: 'dead' })).items).toEqual([]);
      expect((await reopened.outbox.list({ status: 'pending' })).items.map((d) => d.attempts)).toEqual([
        0, 0,
      ]);
      const trail = await reopened.accessTrail.list({ action: 'delivery_retry' });
      expect(trail.items.map((e) => [e.subject, e.actor]).sort()).toEqual(
        [String(first), String(second)].sort().map((id) => [id, 'cli']),
      );
    } finally {
      await reopened.close();
    }
  });
});
