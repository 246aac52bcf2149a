/**
 * Commands that run another command: `sudo`, `env`, `nohup`, `busybox`, `timeout`, `nice`, `time`,
 * `exec`, `command`, `xargs`, `stdbuf`, `setsid`, `doas`, `ionice`. Each knows which of its options
 * take a value, so `sudo -u deploy -E rm -rf x` yields `rm -rf x` run as deploy.
 */

export interface Unwrapped {
  /** The wrapped command's argv (may be empty: `exec 3>file`, `env` alone). */
  argv: string[];
  /** Effective user when the wrapper changes it. */
  user?: string;
}

interface WrapperSpec {
  /** Short options that take a value (`-u root`, `-uroot`). */
  valued: string;
  /** Long options that take a value when written without `=`. */
  longValued?: string[];
  /** Leading positional arguments before the command (timeout's duration). */
  positionals?: number;
  /** NAME=value arguments are allowed before the command. */
  assignments?: boolean;
}

const specs: Record<string, WrapperSpec> = {
  sudo: {
    valued: 'ugpCDhrtTUR',
    longValued: ['--user', '--group', '--prompt', '--close-from', '--chdir', '--host', '--role', '--type'],
    assignments: true,
  },
  doas: { valued: 'uC' },
  env: { valued: 'uCS', longValued: ['--unset', '--chdir', '--split-string'], assignments: true },
  nohup: { valued: '' },
  setsid: { valued: '' },
  timeout: { valued: 'sk', longValued: ['--signal', '--kill-after'], positionals: 1 },
  nice: { valued: 'n', longValued: ['--adjustment'] },
  ionice: { valued: 'cnp', longValued: ['--class', '--classdata', '--pid'] },
  time: { valued: 'fo', longValued: ['--format', '--output'] },
  exec: { valued: 'a' },
  command: { valued: '' },
  xargs: {
    valued: 'IinPLldEsa',
    longValued: ['--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace', '--max-lines'],
  },
  stdbuf: { valued: 'ioe', longValued: ['--input', '--output', '--error'] },
  busybox: { valued: '' },
};

/** True when `name` (a basename) is a wrapper this module unwraps. */
export function isWrapper(name: string): boolean {
  return Object.hasOwn(specs, name);
}

/** The command a wrapper runs, or null when it runs none (`command -v x`, `sudo -l`, `xargs` alone). */
export function unwrap(name: string, argv: string[]): Unwrapped | null {
  const spec = specs[name];
  if (!spec) return null;
  let user: string | undefined = name === 'sudo' || name === 'doas' ? 'root' : undefined;
  let i = 1;
  let positionals = spec.positionals ?? 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
      const takesValue = spec.longValued?.includes(flag) ?? false;
      const value = inline ?? (takesValue ? argv[i + 1] : undefined);
      if (flag === '--user' && value) user = value;
      if (name === 'sudo' && (flag === '--list' || flag === '--validate' || flag === '--edit')) return null;
      i += takesValue && inline === undefined ? 2 : 1;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      if (name === 'command' && /[vV]/.test(arg)) return null;
      // Walk the flag cluster: the first valued flag takes the rest or the next argument.
      let consumed = 1;
      for (let k = 1; k < arg.length; k++) {
        const f = arg[k]!;
        if (name === 'sudo' && (f === 'l' || f === 'v' || f === 'e')) return null;
        if (!spec.valued.includes(f)) continue;
        const value = k + 1 < arg.length ? arg.slice(k + 1) : argv[i + 1];
        if (k + 1 >= arg.length) consumed = 2;
        if (f === 'u' && (name === 'sudo' || name === 'doas') && value) user = value;
        break;
      }
      i += consumed;
      continue;
    }
    if (positionals > 0) {
      positionals--;
      i++;
      continue;
    }
    break;
  }
  const rest = argv.slice(i);
  if (name === 'xargs' && rest.length === 0) return null;
  return user === undefined ? { argv: rest } : { argv: rest, user };
}
