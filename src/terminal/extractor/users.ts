/**
 * Effective-user tracking: which commands start a new interactive shell (and as whom) and which
 * leave one. Purely lexical: `sudo -u bob ls` runs one command as bob but does not change who
 * types the next line, so it is not a shell switch.
 */

export interface ShellSwitch {
  /** User of the new shell; null = same user as now. */
  user: string | null;
}

const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'fish', 'ash', 'tcsh', 'csh']);

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

function baseName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/** An interactive shell invocation: no `-c`, no script argument. */
function isInteractiveShell(args: string[]): boolean {
  const [cmd, ...rest] = args;
  if (!cmd || !SHELLS.has(baseName(cmd))) return false;
  return rest.every((a) => a.startsWith('-') && a !== '-c');
}

/** Whether this executed command starts a nested interactive shell, and as whom. */
export function shellSwitch(text: string): ShellSwitch | null {
  if (text.includes('\n')) return null;
  let w = words(text.replace(/[;&|].*$/, ''));
  if (w[0] === 'exec') w = w.slice(1);
  if (w.length === 0) return null;
  if (isInteractiveShell(w)) return { user: null };
  if (baseName(w[0]!) === 'su') return suSwitch(w.slice(1));
  if (baseName(w[0]!) === 'sudo') return sudoSwitch(w.slice(1));
  return null;
}

function suSwitch(args: string[]): ShellSwitch | null {
  let user = 'root';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '--command' || a.startsWith('--command=')) return null;
    if (a === '-s' || a === '--shell' || a === '-g' || a === '-G' || a === '-w') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) {
      user = a;
      if (args.length > i + 1) return null; // `su bob -c cmd` style arguments after the user
      break;
    }
  }
  return { user };
}

function sudoSwitch(args: string[]): ShellSwitch | null {
  let user = 'root';
  let login = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-u' || a === '--user') {
      user = args[++i] ?? user;
    } else if (a.startsWith('--user=')) user = a.slice(7);
    else if (/^-[A-Za-z]*u$/.test(a)) {
      if (/[is]/.test(a)) login = true;
      user = args[++i] ?? user;
    } else if (/^-[A-Za-z]+$/.test(a)) {
      if (/[is]/.test(a)) login = true;
      if (/[gCDhprTU]/.test(a.slice(-1))) i++;
    } else if (a === '--login' || a === '--shell') login = true;
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  const rest = args.slice(i);
  if (rest.length === 0) return login ? { user } : null;
  if (login) return null; // `sudo -i cmd` runs one command
  if (baseName(rest[0]!) === 'su') {
    const inner = suSwitch(rest.slice(1));
    return inner;
  }
  if (isInteractiveShell(rest)) return { user };
  return null;
}

/** `exit`, `exit 0`, `logout`: leaves the current shell. */
export function isShellExit(text: string): boolean {
  return /^\s*(?:exit|logout)(?:\s+-?\d+)?\s*$/.test(text);
}
