/**
 * `shelltrail <command>`: picks the command module and runs it. No logic lives here: each command
 * parses its own flags (src/cli/<name>.ts) and calls into the library; whatever it throws goes
 * through the one error path (./errors.ts).
 *
 * Start-up time matters (scripts and scheduled jobs run the CLI many times): this module and what it
 * imports statically stay small, and each command module is imported only when that command runs,
 * so `--help`, `--version` and read commands never load the AWS SDK, the terminal emulator, the web
 * server or the detection engine. Keep new imports here to node: built-ins and small helpers.
 */

import { readFileSync } from 'node:fs';
import { visible } from '../util/visible.ts';
import type { CommandContext, CommandRun } from './context.ts';
import { reportError } from './errors.ts';

interface CommandEntry {
  summary: string;
  usage: string;
  load: () => Promise<{ run: CommandRun }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  ingest: {
    summary: 'run the configured sources (poll forever, or once with --once)',
    usage: 'ingest [--once] [--interval <seconds>] [--quiet]',
    load: () => import('./ingest.ts'),
  },
  import: {
    summary: 'import a local folder: trail copies, lookup-events / describe-sessions output, session logs',
    usage: 'import <dir> [--quiet]',
    load: () => import('./import.ts'),
  },
  sessions: {
    summary: 'list sessions',
    usage:
      'sessions [--json] [--actor A] [--target T] [--account N] [--region R] [--kind K] [--principal ARN] [--coverage C] [--text T] [--alerts open|any] [--alert-level L] [--since T] [--until T] [--limit N]',
    load: () => import('./sessions.ts'),
  },
  attempts: {
    summary: 'list denied or failed StartSession attempts',
    usage:
      'attempts [--json] [--actor A] [--target T] [--account N] [--region R] [--since T] [--until T] [--limit N]',
    load: () => import('./attempts.ts'),
  },
  findings: {
    summary: 'list audit findings: missing and partial transcripts, integrity problems',
    usage: 'findings [--json] [--kind missing|partial|integrity]...',
    load: () => import('./findings.ts'),
  },
  quarantine: {
    summary: 'list evidence items set aside as unusable, with the reason',
    usage: 'quarantine [--json] [--source <sourceId>]',
    load: () => import('./quarantine.ts'),
  },
  transcript: {
    summary: "print a session's stored transcript",
    usage: 'transcript <sessionId> [--raw|--text] [--source s3|cloudwatch]',
    load: () => import('./transcript.ts'),
  },
  commands: {
    summary: 'extract the commands from a transcript file (no store needed)',
    usage: 'commands <file> [--json] [--cols N] [--user U]',
    load: () => import('./commands.ts'),
  },
  search: {
    summary: 'search every command ever run (literal, case-insensitive substring)',
    usage:
      'search "<query>" [--json] [--actor A] [--principal ARN] [--target T] [--account N] [--region R] ' +
      '[--user U] [--kind K] [--session ID] [--since T] [--until T] [--limit N] [--offset N]',
    load: () => import('./search.ts'),
  },
  serve: {
    summary: 'serve the web UI and API (and run ingest in the same process unless --no-ingest)',
    usage: 'serve [--host 127.0.0.1] [--port 8080] [--no-ingest] [--read-workers N]',
    load: () => import('./serve.ts'),
  },
  token: {
    summary: 'create, list or revoke API tokens (viewer, auditor, admin)',
    usage:
      'token create --role viewer|auditor|admin --name N [--json] | token list [--json] | token revoke <id|name>',
    load: () => import('./token.ts'),
  },
  'access-log': {
    summary: 'the access trail: replays, downloads, exports, searches, sign-ins, token changes',
    usage: 'access-log [--json] [--limit N]',
    load: () => import('./access-log.ts'),
  },
  detect: {
    summary: 'evaluate NDJSON command lines against the rules, without a store',
    usage: 'detect [--rules DIR]... [--no-builtin] [FILE]',
    load: () => import('./detect.ts'),
  },
  rules: {
    summary: 'list, check, backtest, enable or disable detection rules',
    usage:
      'rules [list] [--json] | rules check <path> | rules test <path> [--since 30d] [--json] | rules enable|disable <id>',
    load: () => import('./rules.ts'),
  },
  alerts: {
    summary: 'list alerts raised by rules; acknowledge or resolve them',
    usage:
      'alerts [--json] [--status S]... [--level L] [--rule ID] [--session ID] [--limit N] | alerts ack|resolve|reopen <id>... [--reason R] | alerts retry --all|<delivery id>...',
    load: () => import('./alerts.ts'),
  },
  demo: {
    summary: 'build a realistic demo dataset, import it, show what shelltrail finds and serve the UI over it',
    usage: 'demo [--dir <folder>] [--seed N] [--port N] [--no-serve]',
    load: () => import('./demo.ts'),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'shelltrail: session audit for AWS Systems Manager Session Manager',
    '',
    'Usage: shelltrail <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command accepts --db <file> (or SHELLTRAIL_DB; default ./data/shelltrail.db)',
    'and --config <file> (or SHELLTRAIL_CONFIG; default ./shelltrail.yaml).',
    "Run 'shelltrail <command> --help' for a command's options.",
  ].join('\n');
}

/** The package's version, read from package.json (two levels up from src/cli/ and from dist/cli/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[], io: Partial<Omit<CommandContext, 'argv'>> = {}): Promise<number> {
  const ctx: Omit<CommandContext, 'argv'> = {
    env: io.env ?? process.env,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    ctx.stdout.write(`shelltrail ${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    ctx.stderr.write(`shelltrail: unknown command "${visible(name)}" (see 'shelltrail --help')\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(`Usage: shelltrail ${entry.usage}\n\n${entry.summary}\n`);
    return 0;
  }
  try {
    const command = await entry.load();
    return await command.run({ ...ctx, argv: rest });
  } catch (err) {
    return reportError(ctx.stderr, name, err, ctx.env);
  }
}
