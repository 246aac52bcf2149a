/** Correlation evaluation in pure code: event_count, value_count, temporal, group-by; loader errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { correlate } from '../../src/alerts/correlation/evaluate.ts';
import { loadScheduledRules } from '../../src/alerts/correlation/rules.ts';
import { LOG_SOURCES, type LogEvent } from '../../src/alerts/correlation/sources.ts';

const RULES = `
title: any attempt
id: base_attempt
name: attempt
logsource: {product: shelltrail, service: attempts}
detection:
  sel:
    ErrorCode|contains: Denied
  condition: sel
---
title: any session
id: base_session
name: session
logsource: {product: shelltrail, service: sessions}
detection:
  sel:
    Kind: shell
  condition: sel
---
title: one actor probing many targets
id: vc
correlation:
  type: value_count
  rules: [attempt]
  group-by: [Actor]
  timespan: 1h
  condition: {field: Target, gte: 3}
level: high
---
title: denied then got in
id: tmp
correlation:
  type: temporal
  rules: [attempt, session]
  group-by: [Actor]
  timespan: 30m
level: high
---
title: broken
id: bad
correlation:
  type: ordered_temporal
  rules: [attempt]
  timespan: 1h
---
title: unknown base
id: bad2
correlation:
  type: event_count
  rules: [nope]
  timespan: 1h
  condition: {gte: 1}
`;

function attempt(actor: string, target: string): LogEvent {
  const fields = LOG_SOURCES.attempts as readonly string[];
  const values = fields.map(
    (f) => ({ ErrorCode: 'AccessDenied', Actor: actor, Target: target })[f as 'Actor'],
  );
  return { at: 1, values, sessionId: null };
}

function session(actor: string): LogEvent {
  const fields = LOG_SOURCES.sessions as readonly string[];
  const values = fields.map((f) => ({ Session: `${actor}-1`, Kind: 'shell', Actor: actor })[f as 'Actor']);
  return { at: 2, values, sessionId: `${actor}-1` };
}

describe('correlation', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  function load() {
    dir = mkdtempSync(join(tmpdir(), 'shelltrail-corr-'));
    writeFileSync(join(dir, 'rules.yml'), RULES);
    return loadScheduledRules({ builtin: false, dirs: [dir] });
  }

  it('loads what it supports and says why it skips the rest', () => {
    const { rules, skipped } = load();
    expect(rules.map((r) => r.id)).toEqual(['vc', 'tmp']);
    expect(skipped.map((s) => [s.id, s.reason])).toEqual([
      ['bad', 'correlation type "ordered_temporal" is not supported'],
      ['bad2', 'correlation names rule "nope", which is not loaded'],
    ]);
  });

  it('value_count counts distinct values per group; temporal needs every rule in the group', () => {
    const { rules } = load();
    const [vc, tmp] = rules;
    const attempts = [
      attempt('mallory', 'i-1'),
      attempt('mallory', 'i-2'),
      attempt('mallory', 'i-2'),
      attempt('mallory', 'i-3'),
      attempt('bob', 'i-1'),
      attempt('bob', 'i-1'),
      attempt('bob', 'i-1'),
    ].filter((e) => vc!.rules[0]!.test(e.values));
    expect(correlate(vc!, [attempts]).map((h) => [h.group, h.count])).toEqual([[{ Actor: 'mallory' }, 3]]);
    const sessions = [session('bob'), session('eve')];
    const hits = correlate(tmp!, [attempts, sessions]);
    expect(hits.map((h) => [h.group.Actor, h.sessionId])).toEqual([['bob', 'bob-1']]);
  });
});
