/**
 * Variation helpers for the detection corpus: random hosts, ports and paths, and the obfuscations
 * people use to slip past naive string rules (`c''url`, `\rm`, `"/bin/"sh`, a base64-decoded command
 * name, wrappers such as sudo/env/nohup/timeout, or the whole line handed to `sh -c`).
 */
import type { Rng } from './random.ts';

const domains = [
  'evil.example',
  'cdn-update.net',
  'pastebin.com',
  'raw.githubusercontent.com',
  'transfer.sh',
  'files.catbox.moe',
  'update-check.io',
  'x7k2.duckdns.org',
  'ngrok-free.app',
  's3.amazonaws.com',
];
const scripts = ['i.sh', 'setup', 'x', 'install.sh', 'a', 'run', 'm.py', 'kworker', 'update', 'p.sh'];
const dropDirs = ['/tmp', '/dev/shm', '/var/tmp', '/tmp/.X11-unix', '/run/user/0', '/tmp/.cache'];
const dropNames = ['.x', 'kdevtmpfsi', 'x', '.s', 'systemd-helper', 'dbus-daemon', 'a.out', '.1', 'k'];
const ports = [4444, 443, 8080, 1337, 9001, 53, 80, 8443, 31337, 5555];

export function ip(rng: Rng): string {
  return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function port(rng: Rng): number {
  return rng.chance(0.6) ? rng.pick(ports) : rng.int(1025, 65000);
}

export function host(rng: Rng): string {
  return rng.chance(0.4) ? ip(rng) : rng.pick(domains);
}

export function url(rng: Rng): string {
  const scheme = rng.chance(0.6) ? 'http' : 'https';
  const p = rng.chance(0.3) ? `:${port(rng)}` : '';
  const dir = rng.chance(0.4) ? `/${rng.pick(['raw', 'd', 'static', 'x', 'pub'])}` : '';
  return `${scheme}://${host(rng)}${p}${dir}/${rng.pick(scripts)}`;
}

export function dropPath(rng: Rng): string {
  return `${rng.pick(dropDirs)}/${rng.pick(dropNames)}`;
}

export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** A command name, sometimes disguised the way an evasive operator would type it. */
export function cmd(rng: Rng, name: string, absolute = `/usr/bin/${name}`): string {
  const r = rng.next();
  if (r < 0.55 || name.length < 2) return name;
  if (r < 0.63) return `${name[0]}''${name.slice(1)}`;
  if (r < 0.7) return `${name.slice(0, 1)}"${name.slice(1, 2)}"${name.slice(2)}`;
  if (r < 0.77) return `\\${name}`;
  if (r < 0.85) return absolute;
  if (r < 0.9) {
    const slash = absolute.lastIndexOf('/');
    return `"${absolute.slice(0, slash + 1)}"${absolute.slice(slash + 1)}`;
  }
  if (r < 0.95) return `'${name}'`;
  return `$(echo ${b64(name)} | base64 -d)`;
}

/** Wraps a whole line: a privilege or process wrapper, or the line handed to a shell's -c. */
export function wrap(rng: Rng, line: string): string {
  const r = rng.next();
  if (r < 0.6) return line;
  if (r < 0.68) return `sudo ${line}`;
  if (r < 0.72) return `sudo -u root ${line}`;
  if (r < 0.76) return `env LANG=C ${line}`;
  if (r < 0.8) return `nohup ${line} >/dev/null 2>&1 &`;
  if (r < 0.84) return `timeout ${rng.int(5, 600)} ${line}`;
  if (r < 0.87) return `nice -n ${rng.int(1, 19)} ${line}`;
  if (!line.includes("'")) return `${rng.pick(['sh', 'bash', '/bin/sh', 'dash', 'zsh'])} -c '${line}'`;
  if (!/["$`\\]/.test(line)) return `bash -c "${line}"`;
  return `sudo -E ${line}`;
}
