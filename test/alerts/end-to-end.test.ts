/**
 * End to end: a recorded transcript with a risky command is imported with the real CLI; the
 * loopback receiver gets exactly one signed notification linking to that command in the replay,
 * and importing again (re-extraction included) sends nothing more.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDeepLink } from '../../src/api/deep-link.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli } from '../cli/cli-io.ts';
import { identities, startSession, terminateSession, trailFile } from '../ingest/records.ts';
import { receiver } from './support.ts';

const SESSION = 'carol-47b8ba9585124c2c0';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sessions', 'sudo-su-root');
const FIXTURE = join(FIXTURES, `${SESSION}.log`);

describe('import -> detect -> webhook', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('one notification for `tail -n 2 /etc/shadow`, linking to it; none more on re-import', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shelltrail-e2e-alerts-'));
    const evidence = join(dir, 'evidence');
    const day = join(evidence, 'AWSLogs', '111122223333', 'CloudTrail', 'ap-northeast-1', '2026', '11', '28');
    mkdirSync(day, { recursive: true });
    writeFileSync(
      join(day, '111122223333_CloudTrail_ap-northeast-1_20261128T1045Z_e2e.json.gz'),
      gzipSync(
        trailFile([
          startSession({
            sessionId: SESSION,
            identity: identities.sso('carol@example.com'),
            target: 'i-02de7c22c9d4bc2b2',
            time: '2026-11-28T10:44:54Z',
          }),
          terminateSession(SESSION, { time: '2026-11-28T10:45:00Z' }),
        ]),
      ),
    );
    mkdirSync(join(evidence, 'logs'));
    copyFileSync(FIXTURE, join(evidence, 'logs', `${SESSION}.log`));
    // The same session as CloudWatch recorded it: its events carry times, so the link has at=.
    copyFileSync(join(FIXTURES, 'cloudwatch.json'), join(evidence, 'logs', `${SESSION}.cloudwatch.json`));
    const hook = await receiver();
    try {
      const config = join(dir, 'shelltrail.yaml');
      writeFileSync(
        config,
        [
          'detection:',
          '  notifyMaxAgeMinutes: 100000000',
          'alerts:',
          '  baseUrl: https://audit.example.com',
          '  channels:',
          '    - name: soc',
          '      type: webhook',
          `      url: ${hook.url}`,
          '      secret: e2e-secret-0123456789',
          '      minLevel: medium',
        ].join('\n'),
      );
      const db = join(dir, 'store.db');
      const first = await runCli(['import', evidence, '--db', db, '--config', config, '--quiet']);
      // (The pack's size is the rule authors'; here: every rule loads and nothing else is said.)
      expect(first.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^detect: \d+ rules loaded, 0 skipped, 0 not applicable$/),
      ]);
      expect(first.code).toBe(0);
      expect(hook.received).toHaveLength(1);
      const { alert } = JSON.parse(hook.received[0]!.body);
      expect(alert).toMatchObject({
        sessionId: SESSION,
        target: 'i-02de7c22c9d4bc2b2',
        user: 'root',
        command: 'tail -n 2 /etc/shadow',
        rule: { title: 'Password hash files read or copied' },
      });
      expect(alert.link).toMatch(
        new RegExp(
          `^https://audit\\.example\\.com/sessions/${SESSION}\\?at=[0-9.]+&cmd=tail%20-n%202%20%2Fetc%2Fshadow$`,
        ),
      );
      // at= is the command's moment: seconds (tenths) from the session's start, and the page's
      // resolver lands on that command.
      const store = await openStore(db);
      try {
        const session = (await store.sessions.get(SESSION))!;
        const commands = (await store.commands.listForSession(SESSION)).items;
        const target = commands.find((c) => c.text === 'tail -n 2 /etc/shadow')!;
        expect(target.at).not.toBeNull();
        const link = new URL(alert.link);
        const at = Number(link.searchParams.get('at'));
        expect(at).toBe(Math.round((target.at! - session.startedAt!) / 100) / 10);
        expect(at).toBeGreaterThan(0);
        expect(alert.at).toBe(new Date(target.at!).toISOString());
        expect(commands[resolveDeepLink(session, commands, at, link.searchParams.get('cmd')!)]).toBe(target);
      } finally {
        await store.close();
      }
      const again = await runCli(['import', evidence, '--db', db, '--config', config, '--quiet']);
      expect(again.code).toBe(0);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });
});
