import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { runCli } from './cli/cli-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'shelltrail-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every default when there is no file', () => {
    const config = loadConfig({ file: undefined, env: { SHELLTRAIL_CONFIG: undefined } });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.db).toBe('./data/shelltrail.db');
    expect(config.terminal).toEqual({ defaultCols: 80, defaultUser: 'ssm-user' });
  });

  it('reads the file and lets the environment and --db override it', () => {
    const path = file(
      'ok.yaml',
      'db: /var/lib/a.db\npollIntervalSeconds: 60\nsources:\n  localDirs: [/srv/x]\n',
    );
    expect(loadConfig({ file: path }).pollIntervalSeconds).toBe(60);
    const env = { SHELLTRAIL_DB: '/tmp/b.db', SHELLTRAIL_DEFAULT_COLS: '132' };
    const config = loadConfig({ file: path, env });
    expect(config.db).toBe('/tmp/b.db');
    expect(config.terminal.defaultCols).toBe(132);
    expect(config.sources.localDirs).toEqual(['/srv/x']);
    expect(loadConfig({ file: path, env, overrides: { db: '/tmp/c.db' } }).db).toBe('/tmp/c.db');
  });

  it('lists every wrong field at once, naming environment variables', () => {
    const path = file(
      'bad.yaml',
      [
        'pollIntervalSeconds: -1',
        'colour: blue',
        'sources:',
        '  cloudtrailS3:',
        '    - bucket: b',
        '      accounts: ["12"]',
        '      endpoint: not a url',
        '  cloudtrailLookup:',
        '    - requestsPerSecond: 5',
      ].join('\n'),
    );
    const issues = issuesOf(() => loadConfig({ file: path, env: { SHELLTRAIL_MAX_SESSION_HOURS: 'soon' } }));
    const paths = issues.map((i) => i.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'pollIntervalSeconds',
        '(top level)',
        'sources.cloudtrailS3.0.bucket',
        'sources.cloudtrailS3.0.accounts.0',
        'sources.cloudtrailS3.0.endpoint',
        'sources.cloudtrailLookup.0.region',
        'sources.cloudtrailLookup.0.requestsPerSecond',
        'sessions.maxDurationHours (from SHELLTRAIL_MAX_SESSION_HOURS)',
      ]),
    );
    expect(issues.length).toBeGreaterThanOrEqual(8);
  });

  it('a webhook channel without a secret is an error naming the channel (bodies always go out signed)', () => {
    const channel = (extra: string[]) =>
      file(
        `hook-${extra.length}.yaml`,
        [
          'alerts:',
          '  channels:',
          '    - name: soc-hook',
          '      type: webhook',
          '      url: https://soc.example/h',
          ...extra,
        ].join('\n'),
      );
    expect(issuesOf(() => loadConfig({ file: channel([]), env: {} }))).toEqual([
      'alerts.channels.0.secret: webhook channel "soc-hook" needs a secret (at least 16 characters): receivers verify X-Shelltrail-Signature with it',
    ]);
    const config = loadConfig({ file: channel(['      secret: at-least-16-characters']), env: {} });
    expect(config.alerts.channels[0]).toMatchObject({ name: 'soc-hook', secret: 'at-least-16-characters' });
    // Slack incoming webhooks have no signing secret of ours.
    expect(
      loadConfig({
        file: file(
          'slack.yaml',
          'alerts:\n  channels:\n    - {name: ops, type: slack, url: https://hooks.slack.com/x}',
        ),
        env: {},
      }).alerts.channels,
    ).toHaveLength(1);
  });

  it('rejects a missing named file and broken YAML with the file name', () => {
    expect(() => loadConfig({ file: join(dir, 'nope.yaml') })).toThrow(/nope\.yaml: config file not found/);
    expect(() => loadConfig({ file: file('broken.yaml', 'a: [1, 2') })).toThrow(
      /broken\.yaml: not valid YAML/,
    );
    expect(() => loadConfig({ file: file('list.yaml', '- 1\n- 2\n') })).toThrow(
      /top level must be a mapping/,
    );
  });
});

describe('the CLI on a bad config', () => {
  it('prints every wrong field and exits 2', async () => {
    const path = file('cli.yaml', 'pollIntervalSeconds: 0\nterminal:\n  defaultCols: 5\n');
    const { code, stderr: err } = await runCli(['sessions', '--config', path]);
    expect(code).toBe(2);
    expect(err).toContain('pollIntervalSeconds');
    expect(err).toContain('terminal.defaultCols');
  });
});
