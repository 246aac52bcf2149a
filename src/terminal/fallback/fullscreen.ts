/**
 * Programs that draw on the alternate screen. While one of them runs, lines shaped like a prompt
 * on that screen are its content (`less notes.txt` of a file of prompts), not the shell's; the
 * alternate screen switched on by anything else (`printf '\033[?1049h'`) hides the shell's own
 * lines, and those are read raw. A name on this list is what the user ran, not proof: a session
 * that launches `less` and then types blind on its screen is the limit of what can be told.
 */
const FULL_SCREEN = new Set([
  'vi',
  'vim',
  'nvim',
  'view',
  'vimdiff',
  'rvim',
  'ex',
  'nano',
  'pico',
  'emacs',
  'mg',
  'joe',
  'micro',
  'less',
  'more',
  'most',
  'man',
  'info',
  'pager',
  'top',
  'htop',
  'atop',
  'btop',
  'iotop',
  'iftop',
  'nethogs',
  'glances',
  'nmon',
  'ncdu',
  'mc',
  'ranger',
  'tmux',
  'screen',
  'byobu',
  'watch',
  'tig',
  'lynx',
  'w3m',
  'links',
  'mutt',
  'alsamixer',
  'nmtui',
  'k9s',
  'journalctl',
  'systemctl',
  'git',
  'psql',
  'mysql',
  'sqlite3',
  'crontab',
  'visudo',
  'vipw',
  'vigr',
  'sudoedit',
  'dialog',
  'whiptail',
  'tail',
  'aws',
  'kubectl',
  'docker',
  'python',
  'python3',
  'ipython',
  'node',
  'irb',
  'bash',
  'sh',
  'dash',
]);

/** Prefixes that run the next word: `sudo vim`, `env TERM=x less`, `nice -n 5 top`, `time top`. */
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'time', 'command', 'exec', 'nohup', 'ionice', 'doas']);

/** Whether `command` (the line the shell received) starts a program that uses the alternate screen. */
export function runsFullScreenProgram(command: string | null | undefined): boolean {
  if (!command) return false;
  // Every command of a pipeline or list may take the terminal (`cat f | less`, `cd /x && vim y`).
  for (const part of command.split(/\|\||&&|[|;&]/)) {
    for (const word of part.trim().split(/\s+/)) {
      if (word === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word.startsWith('-')) continue;
      const name = word.slice(word.lastIndexOf('/') + 1);
      if (WRAPPERS.has(name)) continue;
      if (FULL_SCREEN.has(name)) return true;
      break;
    }
  }
  return false;
}
