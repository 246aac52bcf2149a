import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import type { ExtractedCommand } from '../../src/terminal/types.ts';
import { settings, startEvent, tempDir, writeStore } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  work = tempDir('shelltrail-cli-search-');
  db = join(work.path, 'store.db');
  await writeStore(db, async (store) => {
    await store.evidence.writeBatch(
      {
        sourceId: 'test',
        ctEvents: [
          startEvent('alice-0abc', 0, {
            region: 'eu-west-1',
            target: 'i-0aaa',
            principalArn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
            principalType: 'AssumedRole',
            actor: 'alice',
          }),
          startEvent('bob-0def', 0, {
            region: 'us-east-1',
            target: 'i-0bbb',
            principalArn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob',
            principalType: 'AssumedRole',
            actor: 'bob',
          }),
        ],
      },
      settings,
    );
    const base = {
      atPrecision: 'second' as const,
      cwd: '/root',
      exitCode: 0,
      fidelity: 'exact' as const,
      output: null,
    };
    const put = (sessionId: string, commands: ExtractedCommand[]) =>
      store.extractQueue.complete(sessionId, { commands, cols: null, colsSource: null, extractorVersion: 1 });
    await put('alice-0abc', [
      {
        ...base,
        seq: 0,
        text: 'sudo cat /etc/shadow',
        user: 'ssm-user',
        executed: true,
        at: Date.UTC(2025, 2, 1, 9),
      },
      {
        ...base,
        seq: 1,
        text: 'echo \x1b]0;pwned\x07 /etc/shadow',
        user: 'root',
        executed: false,
        at: Date.UTC(2025, 2, 1, 10),
      },
    ]);
    await put('bob-0def', [
      { ...base, seq: 0, text: 'id', user: 'root', executed: true, at: Date.UTC(2025, 2, 2, 8) },
      // Common enough that a page fills before the index runs out (walk.ts): its total needs a count.
      ...Array.from({ length: 400 }, (_, i) => ({
        ...base,
        seq: i + 1,
        text: `uptime --pretty ${i}`,
        user: 'root',
        executed: true,
        at: Date.UTC(2025, 2, 2, 9) + i * 1000,
      })),
    ]);
  });
});
afterAll(() => work.remove());

async function run(args: string[], tty = false) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await main(['search', ...args, '--db', db], { env: {}, stdout, stderr });
  return { code, out, err };
}

describe('shelltrail search', () => {
  it('prints aligned columns naming session, actor, target, user, time and command', async () => {
    const { code, out } = await run(['/etc/shadow']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+SESSION\s+ACTOR\s+TARGET\s+USER\s+COMMAND$/);
    expect(lines[1]).toMatch(/^2025-03-01 10:00:00\s+alice-0abc\s+alice\s+i-0aaa\s+root\s+echo /);
    expect(lines[1]).toContain('(aborted)');
    expect(lines[2]).toMatch(
      /^2025-03-01 09:00:00\s+alice-0abc\s+alice\s+i-0aaa\s+ssm-user\s+sudo cat \/etc\/shadow$/,
    );
    expect(lines[1]!.indexOf('echo')).toBe(lines[2]!.indexOf('sudo'));
    expect(lines.at(-1)).toBe('2 shown of 2 matches');
  });

  it('never writes control characters from command text, and colours matches only on a TTY', async () => {
    const plain = await run(['shadow']);
    expect(plain.out).not.toMatch(/\x1b/);
    expect(plain.out).toContain('echo \\x1b]0;pwned\\x07 /etc/shadow');
    const tty = await run(['shadow'], true);
    expect(tty.out).toContain('\x1b[1;31mshadow\x1b[0m');
    expect(tty.out).not.toContain('\x1b]0;');
  });

  it('joins several words into one phrase and applies filters', async () => {
    expect((await run(['cat', '/etc/shadow'])).out).toContain('1 shown of 1 match\n');
    const { out } = await run(['--actor', 'bob', '--user', 'root', 'id']);
    expect(out).toMatch(/bob-0def\s+bob\s+i-0bbb\s+root\s+id/);
    expect((await run(['shadow', '--region', 'us-east-1'])).out).toBe('no matches\n');
    expect((await run(['shadow', '--since', '2025-03-01T09:30:00Z'])).out).toContain('1 shown of 1 match');
  });

  it('adds the exact count when one page cannot know it', async () => {
    const text = await run(['uptime', '--limit', '3']);
    expect(text.out.trimEnd().split('\n').at(-1)).toBe('3 shown of 400 matches');
    const { out } = await run(['uptime --pretty', '--json', '--limit', '2', '--offset', '1']);
    const parsed = JSON.parse(out) as { total: number; totalExact: boolean; hits: { text: string }[] };
    expect(parsed).toMatchObject({ total: 400, totalExact: true });
    expect(parsed.hits.map((h) => h.text)).toEqual(['uptime --pretty 398', 'uptime --pretty 397']);
  });

  it('--json prints total and hits with ISO times', async () => {
    const { code, out } = await run(['SHADOW', '--json', '--limit', '1']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { total: number; totalExact: boolean; hits: Record<string, unknown>[] };
    expect(parsed.total).toBe(2);
    expect(parsed.totalExact).toBe(true);
    expect(parsed.hits).toHaveLength(1);
    expect(parsed.hits[0]).toMatchObject({
      sessionId: 'alice-0abc',
      actor: 'alice',
      target: 'i-0aaa',
      user: 'root',
      at: '2025-03-01T10:00:00.000Z',
      executed: false,
      snippet: 'echo \x1b]0;pwned\x07 /etc/«shadow»',
      accountId: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('rejects bad flag values with exit code 2', async () => {
    for (const args of [
      ['x', '--limit', '0'],
      ['x', '--limit', 'many'],
      ['x', '--kind', 'nope'],
      ['x', '--since', 'yesterday'],
    ]) {
      const { code, err } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      // One line naming the command and pointing at its usage (src/cli/errors.ts).
      expect(err).toMatch(/^shelltrail search: .+ \(see 'shelltrail search --help'\)\n$/);
    }
  });
});
