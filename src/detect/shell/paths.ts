/**
 * Where a bare command name lives on a typical Linux host, so `Image` is always an absolute path
 * (SigmaHQ's `Image|endswith: '/curl'` then matches a typed `curl`). A static table stands in for a
 * PATH search: shells and classic tools in /bin and /usr/sbin as Debian and Amazon Linux place them;
 * anything else defaults to /usr/bin/<name>.
 */

const inBin = [
  'sh',
  'bash',
  'dash',
  'ash',
  'ksh',
  'busybox',
  'cat',
  'chmod',
  'chown',
  'cp',
  'dd',
  'echo',
  'kill',
  'ln',
  'ls',
  'mkdir',
  'mknod',
  'mount',
  'mv',
  'rm',
  'sed',
  'tar',
  'umount',
  'uname',
];

const inUsrSbin = [
  'adduser',
  'addgroup',
  'auditctl',
  'auditd',
  'chkconfig',
  'chpasswd',
  'chroot',
  'deluser',
  'groupadd',
  'groupmod',
  'iptables',
  'iptables-legacy',
  'iptables-nft',
  'iptables-restore',
  'iptables-save',
  'ip6tables',
  'insmod',
  'mkfs',
  'mkfs.ext4',
  'mkfs.xfs',
  'modprobe',
  'nft',
  'rmmod',
  'service',
  'setenforce',
  'sshd',
  'sysctl',
  'tcpdump',
  'ufw',
  'update-rc.d',
  'useradd',
  'userdel',
  'usermod',
  'visudo',
  'wipefs',
  'firewalld',
  'reboot',
  'shutdown',
];

const table = new Map<string, string>([
  ...inBin.map((name) => [name, `/bin/${name}`] as const),
  ...inUsrSbin.map((name) => [name, `/usr/sbin/${name}`] as const),
]);

/**
 * The absolute image for argv[0]: absolute paths as given (duplicate slashes folded), relative
 * paths against `cwd` when known, bare names through the table.
 */
export function resolveImage(name: string, cwd?: string): string {
  // A computed name (`$(echo cm0= | base64 -d)`) cannot be resolved; keep it as typed.
  if (name.includes('$') || name.includes('`')) return name;
  if (name.startsWith('/')) return name.includes('//') ? name.replace(/\/{2,}/g, '/') : name;
  if (name.includes('/')) {
    if (!cwd?.startsWith('/')) return name;
    const joined = `${cwd.replace(/\/+$/, '')}/${name.replace(/^\.\//, '')}`;
    return joined.replace(/\/{2,}/g, '/');
  }
  return table.get(name) ?? `/usr/bin/${name}`;
}

/** The last path segment of an image (`/usr/bin/curl` -> `curl`). */
export function baseName(image: string): string {
  const slash = image.lastIndexOf('/');
  return slash < 0 ? image : image.slice(slash + 1);
}
