/**
 * The labelled benign corpus of the detect-quality bench: everyday admin work by category
 * (packages, systemd, logs, git, containers, kubernetes, config edits, networking checks, sudo use,
 * files and processes, AWS CLI, builds, databases) and risky-but-legitimate admin commands, split
 * by what they look like (logging agents, firewall, deletes, downloads, secrets files, accounts,
 * scheduled jobs and units, containers, decoding). Each category has a quota of DISTINCT lines:
 * templates vary real names, paths, flags, counts and the odd typo, never a random suffix.
 *
 * These generators are separate from bench/gen/detect-benign.ts, which the detection speed bench's
 * load (detect-load.ts) still uses unchanged.
 */

import {
  account,
  aptPackages,
  branch,
  buckets,
  commitMessages,
  configFiles,
  containers,
  date,
  deployments,
  dirs,
  host,
  images,
  instanceId,
  ip,
  logFiles,
  namespaces,
  npmPackages,
  orgs,
  people,
  pipPackages,
  pod,
  port,
  projectFiles,
  regions,
  repos,
  rpmPackages,
  sha,
  stamp,
  timers,
  units,
  user,
  ver,
} from './detect-admin-vocab.ts';
import type { Template } from './detect-attacks.ts';
import { hex, type Rng } from './random.ts';

const sudo = (r: Rng) => (r.chance(0.75) ? 'sudo ' : '');
const pkgs = (r: Rng, list: readonly string[]) =>
  Array.from({ length: r.int(1, 4) }, () => r.pick(list))
    .filter((p, i, a) => a.indexOf(p) === i)
    .join(' ');
const n = (r: Rng) => r.pick([10, 20, 50, 100, 200, 500, 1000, r.int(5, 300)]);
const since = (r: Rng) =>
  r.pick([
    '"1 hour ago"',
    '"10 min ago"',
    'today',
    'yesterday',
    `"${date(r)} ${String(r.int(0, 23)).padStart(2, '0')}:00"`,
    '-1h',
    '"30 minutes ago"',
  ]);
const grepTerm = (r: Rng) =>
  r.pick([
    'error',
    'ERROR',
    'timeout',
    '502',
    '504',
    'WARN',
    'Connection refused',
    'OOM',
    'killed process',
    'upstream timed out',
    'Failed password',
    'Accepted publickey',
    'segfault',
    'No space left',
    'exception',
    'Traceback',
    'denied',
    'x-request-id',
    `"${r.int(200, 599)} "`,
    ip(r),
  ]);
/** A grep pattern as typed: quoted when it holds a space. */
const grepWord = (r: Rng) => {
  const w = grepTerm(r);
  return /\s/.test(w) && !w.startsWith('"') ? `"${w}"` : w;
};
const editor = (r: Rng) => r.pick(['vim', 'vi', 'nano', 'vim', 'sudoedit']);
const pid = (r: Rng) => r.int(300, 65000);
const region = (r: Rng) => r.pick(regions);
const ns = (r: Rng) => r.pick(namespaces);
const dep = (r: Rng) => r.pick(deployments);
const repoUrl = (r: Rng) =>
  r.chance(0.5)
    ? `git@github.com:${r.pick(orgs)}/${r.pick(repos)}.git`
    : `https://github.com/${r.pick(orgs)}/${r.pick(repos)}.git`;
/** Machines one logs in to or copies files to (not public web services). */
const sshHost = (r: Rng) =>
  r.chance(0.4)
    ? ip(r)
    : r.pick([
        'bastion.example.com',
        'db1.internal',
        'web1',
        'web2.prod.internal',
        'ip-10-0-3-17.ec2.internal',
        'build01',
        'backup.internal',
        'jump.corp.example.com',
      ]);
const ecr = (r: Rng) =>
  `${account(r)}.dkr.ecr.${region(r)}.amazonaws.com/${r.pick(['api', 'web', 'worker', 'payments'])}`;

export const packages: Template[] = [
  (r) => `${sudo(r)}apt-get install -y ${pkgs(r, aptPackages)}`,
  (r) => `${sudo(r)}apt install ${pkgs(r, aptPackages)}`,
  (r) => `${sudo(r)}apt-get install --no-install-recommends -y ${pkgs(r, aptPackages)}`,
  (r) => `${sudo(r)}apt-get remove ${r.pick(['', '-y ', '--purge '])}${r.pick(aptPackages)}`,
  (r) => `${sudo(r)}apt purge -y ${r.pick(aptPackages)} && ${sudo(r)}apt autoremove -y`,
  (r) => `apt-cache ${r.pick(['policy', 'show', 'depends', 'rdepends'])} ${r.pick(aptPackages)}`,
  (r) => `apt-cache search ${r.pick(['postgres', 'openjdk', 'python3-', 'php8', 'redis', 'exporter'])}`,
  (r) => `apt list --installed ${r.chance(0.5) ? '2>/dev/null ' : ''}| grep ${r.pick(aptPackages)}`,
  (r) =>
    r.pick(['sudo apt-get update', 'sudo apt update', 'sudo apt-get update -qq', 'apt list --upgradable']),
  (r) =>
    `${sudo(r)}apt ${r.pick(['update && sudo apt upgrade -y', 'full-upgrade -y', 'upgrade', 'update && sudo apt-get dist-upgrade -y'])}`,
  (r) => `${sudo(r)}apt-mark ${r.pick(['hold', 'unhold', 'showhold'])} ${r.pick(aptPackages)}`,
  (r) => `dpkg -l | grep -i ${r.pick(aptPackages)}`,
  (r) => `dpkg -L ${r.pick(aptPackages)}${r.chance(0.5) ? ' | head' : ''}`,
  (r) => `dpkg -S /usr/bin/${r.pick(['curl', 'python3', 'jq', 'git', 'psql', 'node', 'aws', 'rsync'])}`,
  (r) => `${sudo(r)}dpkg --configure -a`,
  (r) => `${sudo(r)}yum install -y ${pkgs(r, rpmPackages)}`,
  (r) => `${sudo(r)}dnf install -y ${pkgs(r, rpmPackages)}`,
  (r) => `${sudo(r)}dnf ${r.pick(['remove', 'erase'])} -y ${r.pick(rpmPackages)}`,
  (r) => `${r.pick(['yum', 'dnf'])} info ${r.pick(rpmPackages)}`,
  (r) => `${r.pick(['yum', 'dnf'])} list installed | grep ${r.pick(rpmPackages)}`,
  (r) =>
    `${sudo(r)}${r.pick(['yum', 'dnf'])} history ${r.pick(['', 'info last', `info ${r.int(2, 90)}`, 'list'])}`.trim(),
  (r) =>
    `${r.pick(['yum', 'dnf'])} provides '*/${r.pick(['semanage', 'dig', 'netstat', 'killall', 'htpasswd'])}'`,
  (r) =>
    `${sudo(r)}${r.pick(['yum', 'dnf'])} ${r.pick(['update -y', 'upgrade -y', 'check-update', 'makecache', 'clean all', 'update --security -y'])}`,
  (r) => `${sudo(r)}dnf update -y ${r.pick(rpmPackages)}`,
  (r) =>
    `${sudo(r)}dnf module ${r.pick(['list', 'enable nodejs:20 -y', 'reset nodejs -y', 'list postgresql'])}`,
  (r) => `rpm -qa | grep -i ${r.pick(rpmPackages)}`,
  (r) => `rpm -q${r.pick(['i', 'l', 'c'])} ${r.pick(rpmPackages)}`,
  (r) => `rpm -qf ${r.pick(['/usr/bin/aws', '/etc/chrony.conf', '/usr/sbin/sshd', '/usr/bin/python3'])}`,
  (r) =>
    `${sudo(r)}dnf config-manager --${r.pick(['set-enabled crb', 'add-repo https://download.docker.com/linux/centos/docker-ce.repo', 'set-disabled epel'])}`,
  (r) =>
    `${sudo(r)}amazon-linux-extras ${r.pick(['list', 'install -y nginx1', 'enable postgresql14', 'install -y epel'])}`,
  (r) => `snap ${r.pick(['list', 'info core22', 'refresh --list', 'changes'])}`,
  (r) =>
    `${sudo(r)}snap ${r.pick(['install', 'refresh'])} ${r.pick(['certbot --classic', 'aws-cli --classic', 'kubectl --classic', 'helm --classic', 'jq', 'yq', 'lxd'])}`,
  (r) =>
    `${r.pick(['pip', 'pip3', 'python3 -m pip'])} install ${r.chance(0.3) ? '--user ' : ''}${r.pick(pipPackages)}${r.chance(0.4) ? `==${ver(r)}` : ''}`,
  (r) => `${r.pick(['pip', 'pip3'])} install -U ${pkgs(r, pipPackages)}`,
  (r) =>
    `${r.pick(['pip', 'pip3'])} install -r ${r.pick(['requirements.txt', 'requirements-dev.txt', 'requirements/prod.txt'])}`,
  (r) =>
    `${r.pick(['pip', 'pip3'])} ${r.pick(['list --outdated', 'freeze > requirements.txt', 'list', 'check', 'show boto3', 'cache purge'])}`,
  (r) =>
    `${r.pick(['npm install', 'npm i', 'npm install --save-dev', 'yarn add', 'pnpm add'])} ${r.pick(npmPackages)}${r.chance(0.4) ? `@${ver(r)}` : ''}`,
  (r) => `${sudo(r)}npm install -g ${r.pick(npmPackages)}`,
  (r) =>
    `npm ${r.pick(['ls', 'outdated', 'audit', 'audit fix', 'dedupe', 'ls --depth=0', 'cache clean --force', 'prune'])}`,
  (r) => `gem ${r.pick(['list', 'install bundler', 'update --system', 'install rake'])}`,
  (r) => `bundle ${r.pick(['install', 'install --deployment', 'exec rake db:migrate', 'update'])}`,
  (r) =>
    `apk add --no-cache ${pkgs(r, ['curl', 'bash', 'jq', 'git', 'tzdata', 'ca-certificates', 'openssl', 'postgresql-client'])}`,
  (r) =>
    `${sudo(r)}zypper ${r.pick(['refresh', 'install -y', 'info', 'search'])} ${r.pick(['nginx', 'htop', 'git', 'jq'])}`,
  (r) => `${sudo(r)}apt-get install -y ${r.pick(aptPackages)}=${ver(r)}-${r.int(1, 4)}ubuntu${r.int(1, 3)}`,
  (r) =>
    `${sudo(r)}apt install -y ./${r.pick(['session-manager-plugin', 'amazon-cloudwatch-agent', 'mysql-apt-config_0.8.29-1_all', 'zoom_amd64'])}.deb`,
  (r) => `${sudo(r)}needrestart -r ${r.pick(['a', 'l'])}`,
  (r) => `${sudo(r)}unattended-upgrade ${r.pick(['--dry-run -d', '-v'])}`,
];

export const systemd: Template[] = [
  (r) =>
    `${sudo(r)}systemctl ${r.pick(['status', 'restart', 'reload', 'start', 'stop', 'enable', 'disable', 'is-active', 'is-enabled', 'is-failed', 'cat', 'try-restart', 'reload-or-restart'])} ${r.pick(units)}`,
  (r) => `${sudo(r)}systemctl ${r.pick(['status', 'restart'])} ${r.pick(units)} ${r.pick(units)}`,
  (r) =>
    `systemctl status ${r.pick(units)} --no-pager${r.chance(0.4) ? ` -l` : ''}${r.chance(0.4) ? ` -n ${n(r)}` : ''}`,
  (r) =>
    `systemctl show ${r.pick(units)} -p ${r.pick(['ActiveState', 'MainPID', 'ExecStart', 'Environment', 'MemoryCurrent', 'NRestarts', 'FragmentPath'])}`,
  (r) =>
    `systemctl list-units ${r.pick(['--type=service', '--type=service --state=running', '--state=failed', '--type=timer', '--all', "'nginx*'", '--type=mount'])}`,
  (r) =>
    `systemctl list-unit-files ${r.pick(['--type=service', '--state=enabled', '| grep enabled', '| grep -i docker'])}`,
  (r) => `systemctl list-timers${r.pick(['', ' --all', ` ${r.pick(timers)}`])}`,
  (r) => `${sudo(r)}systemctl ${r.pick(['daemon-reload', 'reset-failed', '--failed', 'list-jobs'])}`,
  (r) => `${sudo(r)}systemctl ${r.pick(['enable --now', 'restart', 'start', 'status'])} ${r.pick(timers)}`,
  (r) => `${sudo(r)}systemctl edit ${r.pick(units)}${r.chance(0.3) ? ' --full' : ''}`,
  (r) => `systemctl list-dependencies ${r.pick(units)}${r.chance(0.5) ? ' --reverse' : ''}`,
  (r) =>
    `${sudo(r)}service ${r.pick(['nginx', 'apache2', 'httpd', 'postgresql', 'mysql', 'redis-server', 'docker', 'cron', 'php8.2-fpm', 'memcached'])} ${r.pick(['status', 'restart', 'reload', 'start', 'stop'])}`,
  (r) =>
    `systemctl --user ${r.pick(['status', 'restart', 'list-units', 'daemon-reload'])}${r.chance(0.5) ? ` ${r.pick(['podman', 'syncthing', 'app'])}` : ''}`,
  (r) =>
    `systemd-analyze ${r.pick(['blame | head', 'critical-chain', 'verify /etc/systemd/system/app.service', 'calendar "*-*-* 02:00:00"', 'security nginx'])}`,
  (r) =>
    `${sudo(r)}${r.pick(['hostnamectl', 'timedatectl', 'localectl', 'loginctl list-sessions', 'timedatectl status', 'timedatectl set-ntp true', 'timedatectl set-timezone UTC', 'timedatectl set-timezone Europe/Berlin', `hostnamectl set-hostname web-0${r.int(1, 9)}`])}`,
  (r) =>
    `${sudo(r)}systemctl ${r.pick(['kill', 'kill -s HUP'])} ${r.pick(['nginx', 'gunicorn', 'app-worker', 'celery'])}`,
  (r) =>
    `${sudo(r)}systemctl ${r.pick(['mask', 'unmask'])} ${r.pick(['apt-daily.service', 'apt-daily-upgrade.timer', 'sleep.target', 'packagekit', 'ctrl-alt-del.target'])}`,
  (r) => `watch -n ${r.int(1, 5)} systemctl status ${r.pick(units)}`,
  (r) => `systemctl status ${r.pick(units)} | grep ${r.pick(['Active', 'Main PID', 'Memory', 'Loaded'])}`,
  (r) => `${sudo(r)}systemctl restart ${r.pick(units)} && ${sudo(r)}systemctl status ${r.pick(units)}`,
  (r) =>
    `${sudo(r)}systemctl ${r.pick(['reboot', 'poweroff', 'rescue', 'get-default', 'set-default multi-user.target'])}`,
  (r) => `${sudo(r)}shutdown -r ${r.pick(['now', '+5', '+10 "kernel update"', '02:00'])}`,
];

export const logs: Template[] = [
  (r) => `${sudo(r)}tail -${r.pick(['f', 'F', `n ${n(r)}`, `n ${n(r)} -f`, `${n(r)}`])} ${r.pick(logFiles)}`,
  (r) =>
    `${sudo(r)}journalctl -u ${r.pick(units)} ${r.pick(['-f', `--since ${since(r)}`, `-n ${n(r)}`, '--no-pager -e', '-b', `--since ${since(r)} --no-pager`, '-o cat', '-p err', '-r'])}`,
  (r) =>
    `${sudo(r)}journalctl ${r.pick(['-p err -b', '-k', '-xe', '--disk-usage', '--list-boots', '-b -1 -e', '-f', `--since ${since(r)}`, '_COMM=sshd', '-u ssh --grep "Failed"', '-o json-pretty -n 5'])}`,
  (r) => `${sudo(r)}journalctl -u ${r.pick(units)} --since ${since(r)} | grep -i ${grepWord(r)}`,
  (r) =>
    `${sudo(r)}grep -${r.pick(['i', 'c', 'n', 'E', 'in', 'ic', 'v', 'rn', 'ri'])} ${grepWord(r)} ${r.pick(logFiles)}`,
  (r) => `grep ${grepWord(r)} ${r.pick(logFiles)} | tail -${n(r)}`,
  (r) => `${sudo(r)}grep -c ${grepWord(r)} ${r.pick(logFiles)}`,
  (r) => `${sudo(r)}less ${r.chance(0.3) ? '+F ' : ''}${r.pick(logFiles)}`,
  (r) =>
    `${sudo(r)}zcat ${r.pick(logFiles)}.${r.int(2, 14)}.gz | grep ${grepWord(r)}${r.chance(0.5) ? ' | wc -l' : ''}`,
  (r) => `${sudo(r)}zgrep -${r.pick(['i', 'c', 'h'])} ${grepWord(r)} ${r.pick(logFiles)}.*.gz`,
  (r) =>
    `${sudo(r)}awk '{print $${r.int(1, 12)}}' ${r.pick(logFiles)} | sort | uniq -c | sort -rn | head${r.chance(0.5) ? ` -${r.int(5, 50)}` : ''}`,
  (r) => `awk '$9 >= ${r.pick([400, 500])}' /var/log/nginx/access.log | tail -${n(r)}`,
  (r) => `cut -d' ' -f${r.int(1, 9)} ${r.pick(logFiles)} | sort | uniq -c | sort -rn | head`,
  (r) => `${sudo(r)}wc -l ${r.pick(logFiles)}`,
  (r) =>
    `ls -l${r.pick(['h', 'ht', 'tr', 'a'])} ${r.pick(['/var/log', '/var/log/nginx', '/var/log/amazon/ssm', '/opt/app/logs', '/var/log/journal', '/var/log/postgresql'])}`,
  (r) =>
    `${sudo(r)}du -sh /var/log/${r.pick(['*', 'journal', 'nginx', '*.gz', 'amazon'])}${r.chance(0.5) ? ' | sort -h' : ''}`,
  (r) =>
    `${sudo(r)}dmesg ${r.pick(['-T | tail -50', '-T | grep -i oom', '--level=err,warn', '-w', '| tail', '-T | grep -i nvme'])}`,
  (r) =>
    `${sudo(r)}last ${r.pick(['-n 20', '-a | head', 'reboot', '-x | head -30', `${r.pick(['ubuntu', 'ec2-user', 'deploy'])}`])}`,
  (r) =>
    `${sudo(r)}${r.pick(['lastlog | grep -v Never', 'lastb | head', 'who -b', 'w', 'utmpdump /var/log/wtmp | tail'])}`,
  (r) =>
    `${sudo(r)}logrotate -d /etc/logrotate.d/${r.pick(['nginx', 'app', 'rsyslog', 'syslog', 'apache2', 'postgresql-common'])}`,
  (r) => `${sudo(r)}logrotate -f /etc/logrotate.d/${r.pick(['nginx', 'app', 'apache2', 'haproxy'])}`,
  (r) =>
    `${sudo(r)}journalctl --vacuum-${r.pick(['size=500M', 'size=1G', 'size=200M', 'time=2weeks', 'time=30d', 'time=14d', 'time=7d', 'time=1month'])}`,
  (r) => `${sudo(r)}tail -f ${r.pick(logFiles)} | grep --line-buffered ${grepWord(r)}`,
  (r) => `${sudo(r)}multitail ${r.pick(logFiles)} ${r.pick(logFiles)}`,
  (r) =>
    `${sudo(r)}ausearch ${r.pick(['-m USER_LOGIN -ts today', '-k sshd_config', '-m AVC -ts recent', '--success no -ts yesterday', `-ua ${r.int(1000, 1010)}`])}`,
  (r) =>
    `${sudo(r)}aureport ${r.pick(['--summary', '-au', '--failed', '-x --summary', '--login -ts today'])}`,
  (r) =>
    `docker logs ${r.pick(['-f ', `--tail ${n(r)} `, `--since ${r.int(1, 59)}m `, '-f --tail 100 ', ''])}${r.pick(containers)}`,
  (r) =>
    `${sudo(r)}cat /var/log/${r.pick(['cloud-init-output.log', 'dpkg.log', 'apt/history.log', 'yum.log', 'boot.log'])} | ${r.pick(['less', 'tail -50', 'grep -i error', 'grep Install'])}`,
  (r) =>
    `${sudo(r)}grep "${r.pick(['Failed password', 'Invalid user', 'Accepted publickey', 'session opened'])}" /var/log/${r.pick(['auth.log', 'secure'])} | ${r.pick(['wc -l', 'tail', "awk '{print $11}' | sort | uniq -c | sort -rn | head"])}`,
  (r) =>
    `goaccess /var/log/nginx/access.log ${r.pick(['--log-format=COMBINED', '-o report.html --log-format=COMBINED', '-c'])}`,
];

export const git: Template[] = [
  (r) =>
    `git ${r.pick(['status', 'status -s', 'status -sb', 'pull', 'pull --rebase', 'fetch', 'fetch --all --prune', 'fetch origin', 'diff', 'diff --staged', 'diff --stat', 'stash', 'stash pop', 'stash list', 'branch -a', 'branch -vv', 'remote -v', 'log', 'push', 'push --tags', 'describe --tags'])}`,
  (r) =>
    `git log --oneline -${r.int(3, 50)}${r.chance(0.3) ? ' --graph' : ''}${r.chance(0.2) ? ' --all' : ''}`,
  (r) =>
    `git log --since="${r.int(1, 30)} days ago" --author=${r.pick(people)}${r.chance(0.4) ? ' --oneline' : ''}`,
  (r) => `git log -p -${r.int(1, 5)} -- ${r.pick(projectFiles)}`,
  (r) =>
    `git ${r.pick(['checkout', 'switch', 'checkout -b', 'switch -c', 'merge', 'rebase', 'branch -d', 'push origin', 'push -u origin', 'pull origin', 'log --oneline -10'])} ${branch(r)}`,
  (r) =>
    `git ${r.pick(['log --oneline', 'diff --stat', 'diff'])} ${r.pick(['main', 'origin/main'])}..${branch(r)}`,
  (r) =>
    `git add ${r.pick(['.', '-A', '-p', '-u', r.pick(projectFiles), `${r.pick(projectFiles)} ${r.pick(projectFiles)}`])}`,
  (r) =>
    `git commit ${r.pick(['-m', '-am', '-m', '-sm'])} "${r.pick(commitMessages)}${r.chance(0.4) ? ` (${r.pick(['OPS', 'PLAT', 'INC'])}-${r.int(10, 4999)})` : ''}"`,
  (r) => `git commit --amend ${r.pick(['--no-edit', `-m "${r.pick(commitMessages)}"`])}`,
  (r) =>
    `git ${r.pick(['show', 'revert', 'cherry-pick', 'show --stat', 'checkout', 'reset --soft', 'log -1'])} ${sha(r, r.pick([7, 8, 12, 40]))}`,
  (r) =>
    `git reset ${r.pick(['--hard origin/main', '--hard HEAD', `--soft HEAD~${r.int(1, 5)}`, `HEAD ${r.pick(projectFiles)}`, `--hard origin/${branch(r)}`])}`,
  (r) => `git ${r.pick(['rebase -i', 'diff', 'log --oneline', 'reset --soft'])} HEAD~${r.int(1, 12)}`,
  (r) =>
    `git clone ${r.chance(0.3) ? '--depth 1 ' : ''}${repoUrl(r)}${r.chance(0.3) ? ` ${r.pick(['/opt/app', '/srv/infra', 'src'])}` : ''}`,
  (r) => `git blame ${r.chance(0.3) ? `-L ${r.int(1, 200)},+${r.int(5, 40)} ` : ''}${r.pick(projectFiles)}`,
  (r) =>
    `git tag ${r.pick(['-a', '-s'])} v${ver(r)} -m "${r.pick(['release', 'Release', 'hotfix'])} ${ver(r)}"`,
  (r) =>
    `git ${r.pick(['tag -l', 'tag --sort=-v:refname | head', 'describe --tags --abbrev=0', `push origin v${ver(r)}`])}`,
  (r) =>
    `git ${r.pick(['clean -fd', 'clean -fdx', 'clean -n', 'gc', 'prune', 'fsck', 'count-objects -vH', 'reflog | head -20', 'shortlog -sn'])}`,
  (r) =>
    `git config ${r.pick(['--global', '--local', ''])} ${r.pick([`user.email "${r.pick(people)}@example.com"`, `user.name "${r.pick(people)}"`, 'pull.rebase true', 'core.editor vim', '--list', 'init.defaultBranch main', 'core.fileMode false', 'credential.helper store'])}`.replace(
      /\s+/g,
      ' ',
    ),
  (r) => `git submodule ${r.pick(['update --init --recursive', 'status', 'sync', 'foreach git pull'])}`,
  (r) =>
    `git remote ${r.pick([`add upstream ${repoUrl(r)}`, `set-url origin ${repoUrl(r)}`, 'prune origin', 'show origin'])}`,
  (r) =>
    `git ${r.pick(['stash push -m', 'stash save'])} "${r.pick(['wip', 'before rebase', 'local config', 'debug prints'])}"`,
  (r) =>
    `git ${r.pick(['lfs pull', 'lfs ls-files', 'worktree list', `worktree add ../hotfix ${branch(r)}`, 'bisect start', 'bisect good', 'bisect bad', 'bisect reset'])}`,
  (r) =>
    `git -C ${r.pick(['/opt/app', '/srv/infra', '~/dotfiles', '/etc/ansible'])} ${r.pick(['pull', 'status', 'log -1', 'fetch --all'])}`,
  (r) =>
    `git diff ${r.pick(['HEAD~1', 'origin/main', '--name-only', '--cached', 'HEAD'])} -- ${r.pick(projectFiles)}`,
  (r) =>
    `git grep -n ${r.pick(['TODO', 'password', 'FIXME', 'api_key', 'timeout', 'localhost'])}${r.chance(0.4) ? ' -- "*.py"' : ''}`,
  (r) =>
    `gh ${r.pick(['pr list', 'pr status', `pr checkout ${r.int(10, 900)}`, 'run list', 'run watch', 'pr create --fill', 'issue list --assignee @me', `repo clone ${r.pick(orgs)}/${r.pick(repos)}`])}`,
];

export const containersCat: Template[] = [
  (r) =>
    `${sudo(r)}docker ${r.pick(['ps', 'ps -a', 'ps -q', 'images', 'image ls', 'volume ls', 'network ls', 'system df', 'info', 'version', 'stats --no-stream', 'ps --format "{{.Names}}\\t{{.Status}}"', 'container ls -a', 'image prune -f', 'container prune -f', 'system prune -f', 'builder prune -f'])}`,
  (r) =>
    `docker ps ${r.pick(['-a', ''])} ${r.pick([`--filter name=${r.pick(containers)}`, `| grep ${r.pick(containers)}`, '--filter status=exited', '--format "table {{.Names}}\\t{{.Image}}\\t{{.Status}}"'])}`.replace(
      /\s+/g,
      ' ',
    ),
  (r) =>
    `${sudo(r)}docker ${r.pick(['restart', 'stop', 'start', 'rm', 'rm -f', 'kill', 'pause', 'unpause', 'top', 'port', 'inspect', 'stats'])} ${r.pick(containers)}`,
  (r) =>
    `docker exec -it ${r.pick(containers)} ${r.pick(['sh', 'bash', '/bin/sh', 'env', 'cat /etc/os-release', 'psql -U postgres', 'redis-cli', 'ls /app', 'nginx -t', 'python manage.py migrate', 'rails c', 'mysql -uroot -p'])}`,
  (r) =>
    `docker pull ${r.chance(0.3) ? `${ecr(r)}:${r.pick(['latest', `v${ver(r)}`, sha(r, 7)])}` : r.pick(images)}`,
  (r) =>
    `docker run -d --name ${r.pick(containers)} ${r.chance(0.7) ? `-p ${r.pick([80, 443, 3000, 5432, 6379, 8080, 9090])}:${r.pick([80, 3000, 5432, 6379, 8080, 9090])} ` : ''}${r.chance(0.4) ? `-e ${r.pick(['POSTGRES_PASSWORD=devpass', 'TZ=UTC', 'NODE_ENV=production', 'LOG_LEVEL=info'])} ` : ''}${r.chance(0.4) ? `-v ${r.pick(['pgdata:/var/lib/postgresql/data', './nginx.conf:/etc/nginx/nginx.conf:ro', '$(pwd)/data:/data', 'redis-data:/data', '/srv/app/config:/app/config:ro'])} ` : ''}${r.chance(0.3) ? '--restart unless-stopped ' : ''}${r.pick(images)}`,
  (r) =>
    `docker run --rm -it ${r.pick(images)} ${r.pick(['sh', 'bash', 'node -v', 'python3', 'psql --version', 'cat /etc/os-release'])}`,
  (r) =>
    `docker run --rm ${r.pick(['-v "$PWD":/src -w /src', '-v $(pwd):/app -w /app', '--network host', `-e AWS_REGION=${region(r)}`])} ${r.pick(images)} ${r.pick(['npm ci', 'go test ./...', 'pytest -q', 'make build', 'ls'])}`,
  (r) =>
    `docker build ${r.chance(0.3) ? '--no-cache ' : ''}${r.chance(0.3) ? `--build-arg VERSION=${ver(r)} ` : ''}-t ${r.chance(0.5) ? ecr(r) : r.pick(['api', 'web', 'worker', 'app'])}:${r.pick(['latest', 'dev', `v${ver(r)}`, sha(r, 7)])} ${r.pick(['.', '-f Dockerfile.prod .', '-f docker/Dockerfile .'])}`,
  (r) => `docker ${r.pick(['tag', 'push'])} ${ecr(r)}:${r.pick(['latest', `v${ver(r)}`, sha(r, 7)])}`,
  (r) =>
    `aws ecr get-login-password --region ${region(r)} | docker login --username AWS --password-stdin ${account(r)}.dkr.ecr.${region(r)}.amazonaws.com`,
  (r) =>
    `docker inspect ${r.pick(['--format', '-f'])} '${r.pick(['{{.State.Status}}', '{{.NetworkSettings.IPAddress}}', '{{json .Config.Env}}', '{{.RestartCount}}', '{{.State.Health.Status}}', '{{json .Mounts}}'])}' ${r.pick(containers)}`,
  (r) =>
    `docker ${r.pick(['compose', 'compose', 'compose -f docker-compose.prod.yml'])} ${r.pick(['up -d', 'down', 'ps', 'logs -f', 'pull', 'restart', 'build', 'up -d --build', 'config', 'top', 'down -v', 'stop', 'images'])}${r.chance(0.4) ? ` ${r.pick(['web', 'api', 'worker', 'db', 'redis', 'nginx'])}` : ''}`,
  (r) =>
    `docker-compose ${r.pick(['up -d', 'down', 'ps', 'logs --tail=100', 'restart', 'pull', 'exec web sh', 'exec db psql -U postgres'])}`,
  (r) =>
    `docker compose exec ${r.pick(['web', 'api', 'db', 'app'])} ${r.pick(['sh', 'bash', 'python manage.py shell', 'php artisan migrate', 'npm run migrate', 'psql -U app'])}`,
  (r) =>
    `docker cp ${r.pick(containers)}:${r.pick(['/app/logs/app.log', '/etc/nginx/nginx.conf', '/tmp/dump.sql', '/var/log/app.log'])} ${r.pick(['.', '/tmp/', './backup/'])}`,
  (r) =>
    `docker ${r.pick(['volume inspect', 'volume rm', 'network inspect', 'network rm'])} ${r.pick(['pgdata', 'redis-data', 'app_default', 'bridge', 'app_backend', 'grafana-storage'])}`,
  (r) => `docker ${r.pick(['rmi', 'image rm', 'history', 'image inspect'])} ${r.pick(images)}`,
  (r) => `docker events --since ${r.int(5, 120)}m${r.chance(0.4) ? ' --filter event=die' : ''}`,
  (r) => `docker logs ${r.pick(containers)} 2>&1 | grep -i ${grepWord(r)}`,
  (r) =>
    `podman ${r.pick(['ps', 'ps -a', 'images', `pull ${r.pick(images)}`, `logs ${r.pick(containers)}`, `run --rm -it ${r.pick(images)} sh`, `generate systemd --new --name ${r.pick(containers)}`])}`,
  (r) =>
    `${sudo(r)}crictl ${r.pick(['ps', 'pods', 'images', `logs ${hex(r, 12)}`, `inspect ${hex(r, 12)}`])}`,
  (r) =>
    `docker buildx ${r.pick(['ls', `build --platform linux/amd64,linux/arm64 -t ${ecr(r)}:v${ver(r)} --push .`, 'create --use'])}`,
  (r) => `docker system prune ${r.pick(['-af', '-f --volumes', '-a', '-f --filter "until=72h"'])}`,
];

export const kubernetes: Template[] = [
  (r) =>
    `kubectl get ${r.pick(['pods', 'po', 'deploy', 'svc', 'ingress', 'nodes', 'ns', 'hpa', 'pvc', 'cm', 'events', 'jobs', 'cronjobs', 'sts', 'ds', 'endpoints', 'all', 'pods,svc'])}${r.pick([` -n ${ns(r)}`, ' -A', '', ` -n ${ns(r)} -o wide`, ' -o wide', ` -n ${ns(r)} -w`, ` -n ${ns(r)} --show-labels`])}`,
  (r) => `kubectl describe ${r.pick(['pod', 'po'])} ${pod(r)} -n ${ns(r)}`,
  (r) =>
    `kubectl describe ${r.pick(['deploy', 'svc', 'ingress', 'node', 'hpa'])} ${r.chance(0.7) ? dep(r) : `ip-10-0-${r.int(0, 9)}-${r.int(1, 254)}.ec2.internal`}${r.chance(0.6) ? ` -n ${ns(r)}` : ''}`,
  (r) =>
    `kubectl logs ${r.pick(['-f ', '--tail=100 ', '--previous ', '--since=1h ', '-f --tail=50 ', ''])}${r.chance(0.5) ? pod(r) : `deploy/${dep(r)}`} -n ${ns(r)}${r.chance(0.3) ? ` -c ${r.pick(['app', 'nginx', 'istio-proxy', 'init-db'])}` : ''}`,
  (r) =>
    `kubectl rollout ${r.pick(['status', 'restart', 'history', 'undo', 'pause', 'resume'])} deploy/${dep(r)} -n ${ns(r)}`,
  (r) => `kubectl scale deploy ${dep(r)} --replicas=${r.int(0, 12)} -n ${ns(r)}`,
  (r) =>
    `kubectl apply -f ${r.pick(['k8s/', 'deployment.yaml', `manifests/${dep(r)}.yaml`, 'ingress.yaml', 'https://raw.githubusercontent.com/kubernetes/dashboard/v2.7.0/aio/deploy/recommended.yaml', 'configmap.yaml', '-'])}${r.chance(0.4) ? ` -n ${ns(r)}` : ''}${r.chance(0.2) ? ' --dry-run=client' : ''}`,
  (r) =>
    `kubectl delete ${r.pick(['pod', 'job', 'pod --grace-period=0 --force'])} ${r.chance(0.7) ? pod(r) : `${dep(r)}-migrate-${hex(r, 5)}`} -n ${ns(r)}`,
  (r) =>
    `kubectl top ${r.pick(['pods', 'nodes', 'pods --containers', 'pods --sort-by=memory'])}${r.chance(0.5) ? ` -n ${ns(r)}` : ''}`,
  (r) =>
    `kubectl config ${r.pick(['get-contexts', 'current-context', 'view --minify', `use-context ${r.pick(['prod', 'staging', 'arn:aws:eks:us-east-1:123456789012:cluster/prod-eks', 'dev'])}`, `set-context --current --namespace=${ns(r)}`])}`,
  (r) =>
    `kubectl port-forward ${r.pick(['svc/', 'deploy/', 'pod/'])}${dep(r)} ${r.pick(['8080:80', '5432:5432', '9090:9090', '3000:3000', '6379:6379'])} -n ${ns(r)}`,
  (r) =>
    `kubectl exec -it ${pod(r)} -n ${ns(r)} -- ${r.pick(['sh', 'bash', 'env', 'cat /etc/resolv.conf', 'nslookup kubernetes.default', 'curl -s localhost:8080/health', 'python manage.py shell'])}`,
  (r) =>
    `kubectl ${r.pick(['cordon', 'uncordon', 'drain --ignore-daemonsets --delete-emptydir-data'])} ip-10-0-${r.int(0, 9)}-${r.int(1, 254)}.${region(r)}.compute.internal`,
  (r) => `kubectl get events -n ${ns(r)} --sort-by=.lastTimestamp${r.chance(0.4) ? ' | tail -20' : ''}`,
  (r) =>
    `kubectl get pods -n ${ns(r)} ${r.pick(['--field-selector=status.phase!=Running', `-l app=${dep(r)}`, "-o jsonpath='{.items[*].spec.containers[*].image}'", '--sort-by=.status.startTime', '| grep -v Running', '| grep CrashLoop'])}`,
  (r) =>
    `kubectl ${r.pick(['label', 'annotate'])} ${r.pick(['pod', 'deploy', 'ns', 'node'])} ${dep(r)} ${r.pick(['team=platform', 'env=staging', `owner=${r.pick(people)}`, 'kubernetes.io/change-cause="bump image"'])}${r.chance(0.3) ? ' --overwrite' : ''}`,
  (r) =>
    `kubectl create ${r.pick(['namespace', 'ns'])} ${r.pick([`feature-${r.int(100, 999)}`, 'sandbox', 'loadtest', `preview-${hex(r, 4)}`])}`,
  (r) =>
    `kubectl set image deploy/${dep(r)} ${r.pick(['app', 'api', 'web'])}=${ecr(r)}:v${ver(r)} -n ${ns(r)}`,
  (r) => {
    const d = dep(r);
    return `kubectl get ${r.pick(['deploy', 'cm', 'svc', 'ingress'])} ${d} -n ${ns(r)} -o yaml${r.chance(0.4) ? ` > /tmp/${d}.yaml` : ''}`;
  },
  (r) =>
    `kubectl ${r.pick(['api-resources', 'cluster-info', 'version --short', 'auth can-i create pods', `auth can-i "*" "*" -n ${ns(r)}`, 'get crd', 'explain deployment.spec.strategy'])}`,
  (r) =>
    `helm ${r.pick(['list -A', `list -n ${ns(r)}`, 'repo update', 'repo list', `history ${dep(r)} -n ${ns(r)}`, `rollback ${dep(r)} ${r.int(1, 30)} -n ${ns(r)}`, `get values ${dep(r)} -n ${ns(r)}`, `status ${dep(r)} -n ${ns(r)}`])}`,
  (r) =>
    `helm upgrade --install ${dep(r)} ${r.pick([`./charts/${dep(r)}`, 'bitnami/redis', 'prometheus-community/kube-prometheus-stack', 'ingress-nginx/ingress-nginx', 'jetstack/cert-manager'])} -n ${ns(r)} ${r.pick(['-f values.yaml', '-f values-prod.yaml --atomic', `--set image.tag=v${ver(r)}`, '--create-namespace', '--wait --timeout 5m'])}`,
  (r) =>
    `helm repo add ${r.pick(['bitnami https://charts.bitnami.com/bitnami', 'prometheus-community https://prometheus-community.github.io/helm-charts', 'ingress-nginx https://kubernetes.github.io/ingress-nginx', 'jetstack https://charts.jetstack.io', 'eks https://aws.github.io/eks-charts'])}`,
  (r) =>
    `aws eks ${r.pick(['update-kubeconfig --name', 'describe-cluster --name', 'list-nodegroups --cluster-name'])} ${r.pick(['prod-eks', 'staging', 'platform-1', 'dev-cluster'])} --region ${region(r)}`,
  (r) =>
    `${r.pick(['k9s', 'kubectx', 'kubens'])}${r.chance(0.5) ? ` ${r.pick(['prod', 'staging', ns(r)])}` : ''}`,
  (r) =>
    `eksctl ${r.pick(['get cluster', 'get nodegroup --cluster prod-eks', 'utils describe-stacks --cluster staging', `scale nodegroup --cluster prod-eks --name ng-1 --nodes ${r.int(2, 10)}`])}${r.chance(0.5) ? ` --region ${region(r)}` : ''}`,
];

export const configEdits: Template[] = [
  (r) =>
    `${r.chance(0.8) ? 'sudo ' : ''}${editor(r)} ${r.pick(configFiles)}`.replace('sudo sudoedit', 'sudoedit'),
  (r) => {
    const f = r.pick(configFiles);
    return `${sudo(r)}cp ${f} ${f}.${r.pick(['bak', 'orig', `bak.${stamp(r)}`, `${stamp(r)}`, 'dist'])}`;
  },
  (r) => {
    const f = r.pick(configFiles);
    return `diff -u ${f}.${r.pick(['bak', 'orig', 'dpkg-dist', 'rpmnew'])} ${f}`;
  },
  (r) =>
    `${sudo(r)}sed -i '${r.pick(['s/worker_connections 768/worker_connections 4096/', 's/worker_processes 1/worker_processes auto/', 's/keepalive_timeout 65/keepalive_timeout 30/', 's/client_max_body_size 1m/client_max_body_size 50m/'])}' /etc/nginx/nginx.conf`,
  (r) =>
    `${sudo(r)}sed -i '${r.pick(['s/^#\\?PasswordAuthentication.*/PasswordAuthentication no/', 's/^#\\?PermitRootLogin.*/PermitRootLogin no/', 's/^#\\?X11Forwarding.*/X11Forwarding no/', 's/^#\\?ClientAliveInterval.*/ClientAliveInterval 300/', 's/^#\\?MaxAuthTries.*/MaxAuthTries 3/'])}' /etc/ssh/sshd_config`,
  (r) =>
    `${sudo(r)}sed -i "${r.pick(['s/max_connections = 100/max_connections = 300/', "s/#listen_addresses = 'localhost'/listen_addresses = '*'/", 's/shared_buffers = 128MB/shared_buffers = 2GB/'])}" /etc/postgresql/16/main/postgresql.conf`,
  (r) =>
    `sed -i 's/${r.pick(['LOG_LEVEL=info/LOG_LEVEL=debug', 'WORKERS=2/WORKERS=8', 'DEBUG=true/DEBUG=false', `IMAGE_TAG=v1.2.3/IMAGE_TAG=v${ver(r)}`])}/' ${r.pick(['/opt/app/.env', '.env', '.env.production', 'deploy/app.env'])}`,
  (r) =>
    `${r.pick(['sudo nginx -t', 'sudo nginx -t && sudo systemctl reload nginx', 'sudo sshd -t', 'sudo apachectl configtest', 'sudo haproxy -c -f /etc/haproxy/haproxy.cfg', 'sudo visudo -c', 'sudo named-checkconf', 'promtool check config /etc/prometheus/prometheus.yml', 'sudo nginx -T | less', 'sudo postfix check', 'docker compose config -q', 'sudo chronyc sources -v', 'sudo sshd -T | grep -i passwordauth'])}`,
  (r) =>
    `echo '${r.pick(['vm.swappiness=10', 'net.core.somaxconn=4096', 'fs.file-max=2097152', 'net.ipv4.ip_forward=1', 'vm.max_map_count=262144', 'net.ipv4.tcp_tw_reuse=1'])}' | sudo tee -a ${r.pick(['/etc/sysctl.conf', '/etc/sysctl.d/99-custom.conf', '/etc/sysctl.d/60-app.conf'])}`,
  (r) =>
    `${sudo(r)}sysctl ${r.pick(['-p', '--system', '-a | grep somaxconn', 'net.ipv4.ip_forward', '-w vm.max_map_count=262144', 'vm.swappiness'])}`,
  (r) =>
    `echo "${ip(r)} ${r.pick(['db1', 'db1.internal', 'redis', 'api.local', 'registry.internal', 'git.internal'])}" | sudo tee -a /etc/hosts`,
  (r) =>
    `${sudo(r)}ln -s /etc/nginx/sites-available/${r.pick(['app', 'api.example.com', 'default', 'grafana', 'static'])} /etc/nginx/sites-enabled/`,
  (r) => `${sudo(r)}rm /etc/nginx/sites-enabled/${r.pick(['default', 'old-site', 'app.bak'])}`,
  (r) =>
    `${sudo(r)}tee /etc/nginx/conf.d/${r.pick(['app', 'gzip', 'proxy', 'status', 'ratelimit'])}.conf < ${r.pick(['./nginx/app.conf', 'deploy/nginx.conf', '/tmp/app.conf', 'conf/proxy.conf'])}`,
  (r) =>
    `${sudo(r)}cp ${r.pick(['deploy/nginx.conf', './nginx/app.conf', 'conf/haproxy.cfg', 'files/logrotate-app', 'config/daemon.json'])} ${r.pick(['/etc/nginx/conf.d/app.conf', '/etc/haproxy/haproxy.cfg', '/etc/logrotate.d/app', '/etc/docker/daemon.json'])}`,
  (r) => `cat ${r.pick(configFiles)}${r.chance(0.3) ? ` | grep -v '^#' | grep -v '^$'` : ''}`,
  (r) =>
    `grep -n ${r.pick(['listen', 'server_name', 'proxy_pass', 'Port', 'PermitRootLogin', 'max_connections', 'bind', 'maxmemory', 'UUID', 'nameserver'])} ${r.pick(configFiles)}`,
  (r) =>
    `${sudo(r)}${r.pick(['mount -a', 'update-grub', 'grub2-mkconfig -o /boot/grub2/grub.cfg', 'netplan try', 'netplan apply', 'update-ca-certificates', 'update-ca-trust', 'locale-gen en_US.UTF-8', 'dpkg-reconfigure tzdata', 'update-alternatives --config java', 'update-alternatives --config python3', 'restorecon -Rv /var/www/html', 'systemctl restart systemd-resolved', 'resolvectl flush-caches'])}`,
  (r) =>
    `${sudo(r)}setsebool -P ${r.pick(['httpd_can_network_connect', 'httpd_can_network_connect_db', 'nis_enabled'])} 1`,
  (r) => `${sudo(r)}semanage port -a -t http_port_t -p tcp ${r.pick([8080, 8443, 8000, 9000])}`,
  (r) =>
    `yq ${r.pick(["e '.image.tag'", "-i '.replicaCount = 3'", "e '.services.web.ports'", "'.spec.template.spec.containers[0].image'"])} ${r.pick(['values.yaml', 'docker-compose.yml', 'k8s/deployment.yaml', 'charts/api/values.yaml'])}`,
  (r) =>
    `jq ${r.pick(["'.log-driver'", "'.'", '\'.["log-opts"]\'', '-r .version', '.dependencies'])} ${r.pick(['/etc/docker/daemon.json', 'package.json', '/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json', 'config.json'])}`,
  (r) =>
    `${sudo(r)}chmod ${r.pick(['644', '640', '600', '755', 'g+w', 'o-r', '0440'])} ${r.pick(configFiles)}`,
  (r) =>
    `${sudo(r)}chown ${r.pick(['root:root', 'www-data:www-data', 'nginx:nginx', 'postgres:postgres', 'app:app', 'ec2-user:ec2-user'])} ${r.pick(configFiles)}`,
  (r) =>
    `${sudo(r)}crudini --set ${r.pick(['/etc/php/8.2/fpm/php.ini PHP memory_limit 512M', '/etc/grafana/grafana.ini server http_port 3001', '/etc/yum.repos.d/nginx.repo nginx enabled 1'])}`,
  (r) =>
    `envsubst < ${r.pick(['nginx.conf.tpl', 'config.tmpl.yaml', 'app.env.template'])} > ${r.pick(['nginx.conf', 'config.yaml', '.env'])}`,
  (r) =>
    `ansible ${r.pick(['all', 'web', 'db', 'prod'])} -i ${r.pick(['inventory/prod.ini', 'hosts', 'inventory/staging.yml'])} -m ${r.pick(['ping', 'setup', 'shell -a "uptime"', 'copy -a "src=motd dest=/etc/motd"', 'service -a "name=nginx state=restarted" -b'])}`,
];

export const networking: Template[] = [
  (r) => `ping -c ${r.int(1, 10)} ${host(r)}`,
  (r) => `ping ${host(r)}`,
  (r) =>
    `curl ${r.pick(['-I', '-sI', '-v', '-sS', '-s', '-k', '-L', '-sv', '-m 5 -s', '--head'])} ${r.pick(['https', 'http'])}://${host(r)}${r.pick(['/health', '/status', '/', '/healthz', '/api/v1/ping', '/metrics', ':8080/health', ':9100/metrics', '/readyz'])}`,
  (r) =>
    `curl -s -o /dev/null -w "${r.pick(['%{http_code}', '%{http_code} %{time_total}', '%{time_connect} %{time_starttransfer} %{time_total}\\n', '%{remote_ip}'])}" https://${host(r)}${r.pick(['/health', '/', '/login'])}`,
  (r) =>
    `curl -s localhost:${r.pick([3000, 8080, 9090, 9100, 8000, 5000, 15672])}${r.pick(['/health', '/metrics', '/status', '/', '/api/ready'])}${r.chance(0.3) ? ' | jq .' : r.chance(0.3) ? ' | head' : ''}`,
  (r) =>
    `curl ${r.pick(['-X POST', '-X PUT', '-XPOST'])} -H "Content-Type: application/json" -d '{"${r.pick(['name', 'id', 'enabled', 'replicas'])}": ${r.pick(['"test"', '1', 'true', String(r.int(1, 9))])}}' http://localhost:${r.pick([3000, 8080, 8000])}/api/${r.pick(['items', 'jobs', 'config', 'flags'])}`,
  (r) =>
    `curl -s https://${r.pick(['checkip.amazonaws.com', 'ifconfig.me', 'api.ipify.org', 'icanhazip.com'])}`,
  (r) =>
    `curl --resolve ${r.pick(['api.example.com', 'www.example.com'])}:443:${ip(r)} https://${r.pick(['api.example.com', 'www.example.com'])}/health`,
  (r) =>
    `dig ${r.pick(['+short ', '', '@8.8.8.8 ', '@169.254.169.253 ', '+trace ', 'MX ', 'TXT ', 'AAAA ', '-x '])}${r.pick(['api.example.com', 'example.com', 'db1.internal', 'google.com', 'github.com', ip(r), 'prod-rds.cluster-cxyz.us-east-1.rds.amazonaws.com'])}`,
  (r) =>
    `nslookup ${r.pick(['api.example.com', 'db1.internal', 'kubernetes.default', 'github.com', 'redis.cache.internal'])}${r.chance(0.3) ? ' 8.8.8.8' : ''}`,
  (r) => `host ${r.pick(['example.com', 'api.example.com', ip(r), 'mail.example.com'])}`,
  (r) => `nc -${r.pick(['zv', 'vz', 'zvw3', 'vz -w 2', 'z'])} ${host(r)} ${port(r)}`,
  (r) => `telnet ${host(r)} ${port(r)}`,
  (r) =>
    `${sudo(r)}ss -${r.pick(['tlnp', 'tunap', 's', 'tan', 'ltn', 'tnp', 'xl', 'o state established'])}${r.chance(0.4) ? ` | grep ${port(r)}` : ''}`,
  (r) =>
    `${sudo(r)}netstat -${r.pick(['tulpn', 'tlnp', 'an', 'rn', 's'])}${r.chance(0.4) ? ` | grep ${r.pick([`:${port(r)}`, 'LISTEN', 'ESTABLISHED'])}` : ''}`,
  (r) =>
    `ip ${r.pick(['a', 'addr', 'r', 'route', 'link show', 'addr show eth0', 'addr show ens5', '-br a', '-s link', 'neigh', 'route get 8.8.8.8', 'rule list', '-6 addr'])}`,
  (r) => `${r.pick(['traceroute', 'tracepath', 'mtr -rw', 'mtr -r -c 10'])} ${host(r)}`,
  (r) =>
    `${sudo(r)}tcpdump -i ${r.pick(['eth0', 'ens5', 'any', 'lo', 'docker0'])} -nn ${r.pick([`port ${port(r)}`, `host ${ip(r)}`, `tcp port ${port(r)} -c ${n(r)}`, `-w /tmp/cap-${stamp(r)}.pcap port ${port(r)}`, 'icmp', `'tcp[tcpflags] & tcp-syn != 0' -c 50`])}`,
  (r) => `iperf3 -${r.pick(['s', `c ${host(r)}`, `c ${host(r)} -t 30 -P 4`])}`,
  (r) =>
    `openssl s_client -connect ${r.pick(['api.example.com', 'www.example.com', 'smtp.gmail.com', host(r)])}:${r.pick([443, 8443, 465, 993])} ${r.pick(['-servername api.example.com', '-showcerts', '', '-tls1_2'])} </dev/null${r.chance(0.4) ? ' | openssl x509 -noout -dates' : ''}`,
  (r) =>
    `openssl x509 -in /etc/${r.pick(['ssl/certs/app.pem', 'nginx/ssl/api.crt', 'letsencrypt/live/api.example.com/fullchain.pem', 'pki/tls/certs/server.crt'])} -noout ${r.pick(['-dates', '-subject', '-text', '-issuer -subject', '-enddate'])}`,
  (r) =>
    `wget ${r.pick(['--spider', '-q --spider', '-S --spider'])} https://${host(r)}${r.pick(['/health', '/', '/index.html'])}`,
  (r) => `${sudo(r)}ethtool ${r.pick(['eth0', 'ens5', '-S eth0', '-i ens5', '-k eth0'])}`,
  (r) =>
    `${r.pick(['resolvectl status', 'resolvectl query api.example.com', 'cat /etc/resolv.conf', 'nmcli dev status', 'nmcli con show', 'arp -n', 'route -n', 'ip route show table all', 'hostname -I', 'networkctl status'])}`,
  (r) => `${sudo(r)}lsof -i${r.pick([`:${port(r)}`, ' -P -n', `TCP:${port(r)}`, ' -P -n | grep LISTEN'])}`,
  (r) =>
    `${sudo(r)}nmap ${r.pick(['-p', '-sT -p', '-Pn -p'])} ${r.pick(['22,80,443', '5432', '1-1024', '6379', '3306'])} ${r.pick(['10.0.1.0/24', host(r), 'localhost'])}`,
  (r) =>
    `ssh ${r.pick(['', '-v ', '-A ', '-J bastion.example.com ', `-p ${r.pick([22, 2222])} `, `-L ${r.pick(['5432:db1.internal:5432', '8080:localhost:8080', '6379:redis.cache.internal:6379'])} `])}${user(r)}@${sshHost(r)}`,
  (r) =>
    `scp ${r.pick(['report.csv', 'dump.sql.gz', 'app.tar.gz', 'nginx.conf', '-r ./dist', 'logs.tgz'])} ${user(r)}@${sshHost(r)}:${r.pick(['/tmp/', '~/', '/srv/www/', '/opt/app/'])}`,
  (r) =>
    `rsync -${r.pick(['avz', 'az', 'avzP', 'rlptD', 'avz --delete'])} ${r.pick(['./dist/', 'build/', '/var/www/html/', '/backup/', './'])} ${user(r)}@${sshHost(r)}:${r.pick(['/srv/www/', '/var/www/html/', '/backup/', '/opt/app/'])}`,
  (r) =>
    `aws ssm start-session --target ${instanceId(r)}${r.chance(0.4) ? ` --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["${r.pick([5432, 3306, 8080])}"],"localPortNumber":["${r.pick([5432, 3306, 8080])}"]}'` : ''}${r.chance(0.5) ? ` --region ${region(r)}` : ''}`,
];

export const sudoUse: Template[] = [
  (r) =>
    r.pick([
      'sudo -i',
      'sudo su -',
      'sudo su',
      'sudo -s',
      'sudo -l',
      'sudo -v',
      'sudo -k',
      'sudo whoami',
      'sudo !!',
      'sudo -E bash',
      'sudo id',
      'sudo -ll',
      'sudo bash',
    ])!,
  (r) =>
    `sudo su - ${r.pick(['postgres', 'app', 'deploy', 'jenkins', 'www-data', 'nginx', 'ec2-user', 'gitlab-runner'])}`,
  (r) =>
    `sudo -u ${r.pick(['postgres', 'app', 'deploy', 'www-data', 'jenkins', 'redis'])} ${r.pick(['psql', 'psql -c "\\l"', 'bash', '-i', 'whoami', 'git -C /srv/app pull', 'php artisan cache:clear', 'pg_dump appdb > /tmp/appdb.sql', 'ls -la ~', 'crontab -l', `createdb ${r.pick(['app', 'analytics', 'test'])}`])}`,
  (r) =>
    `sudo -u ${r.pick(['app', 'deploy'])} bash -c '${r.pick(['cd /opt/app && ./bin/migrate', 'source ~/.venv/bin/activate && pip list', 'cd /srv/api/current && bundle exec rake db:migrate', 'cd ~/app && git pull && npm ci'])}'`,
  (r) => `sudo -iu ${r.pick(['postgres', 'app', 'deploy'])}`,
  (r) =>
    `sudo ${r.pick(['ls -la', 'du -sh', 'find', 'ls'])} ${r.pick(['/root', '/var/lib/postgresql', '/var/lib/docker/volumes', '/etc/ssl/private', '/var/spool/cron', '/etc/sudoers.d', '/var/lib/mysql'])}`,
  (r) =>
    `sudo cat ${r.pick(['/etc/sudoers.d/90-cloud-init-users', '/var/log/auth.log', '/etc/ssl/private/README', '/root/.bash_profile', '/etc/ssh/sshd_config', '/var/lib/cloud/instance/user-data.txt'])}`,
  (r) =>
    `sudo -E ${r.pick(['env | grep -i proxy', 'npm install -g pm2', 'make install', './install.sh', 'python3 setup.py install'])}`,
  (r) => `sudo ${r.pick(['reboot', 'poweroff', 'shutdown -h now', 'init 6', 'halt'])}`,
  (r) =>
    `sudo ${r.pick(['chown', 'chown -R'])} ${r.pick(['app:app', 'www-data:www-data', `${r.pick(['ubuntu', 'ec2-user'])}:`, 'deploy:deploy', 'nginx:nginx'])} ${r.pick(dirs)}${r.chance(0.5) ? `/${r.pick(['releases', 'shared', 'uploads', 'cache', 'logs', 'current'])}` : ''}`,
  (r) =>
    `sudo ${r.pick(['mkdir -p', 'install -d -m 0755'])} ${r.pick(['/opt/app/shared/logs', `/srv/www/releases/${stamp(r)}`, '/var/lib/node_exporter/textfile', '/etc/app', '/data/postgres', '/mnt/efs/shared', '/var/log/app'])}`,
  (r) => `sudo ${r.pick(['vim', 'nano', 'less', 'cat', 'tail'])} ${r.pick(configFiles)}`,
  (r) =>
    `sudo ${r.pick([`lsof -p ${pid(r)}`, `strace -p ${pid(r)}`, `kill ${pid(r)}`, `kill -15 ${pid(r)}`, `renice -n 10 -p ${pid(r)}`, `py-spy top --pid ${pid(r)}`, `gdb -p ${pid(r)}`, `cat /proc/${pid(r)}/status`])}`,
  (r) =>
    `sudo mount ${r.pick(['-t nfs4 -o nfsvers=4.1 fs-0abc1234.efs.us-east-1.amazonaws.com:/ /mnt/efs', '/dev/nvme1n1 /data', '-o remount,rw /', '-a', '/dev/xvdf1 /mnt/restore'])}`,
  (r) =>
    `sudo ${r.pick(['umount', 'umount -l'])} ${r.pick(['/mnt/efs', '/data', '/mnt/restore', '/mnt/backup'])}`,
  (r) =>
    `sudo ${r.pick(['growpart /dev/nvme0n1 1', 'resize2fs /dev/nvme0n1p1', 'xfs_growfs -d /', 'lvextend -r -L +10G /dev/vg0/data', 'pvs', 'vgs', 'lvs', 'fdisk -l', 'parted -l', 'blkid', 'lsblk -f'])}`,
  (r) =>
    `sudo passwd ${r.pick(['', `-S ${r.pick(people)}`, `-l ${r.pick(people)}`, `-e ${r.pick(people)}`])}`.trim(),
  (r) =>
    `sudo ${r.pick(['chage -l', 'id', 'groups', 'getent passwd', 'lastlog -u'])} ${r.pick([...people, 'deploy', 'app'])}`,
  (r) =>
    `sudo ${r.pick(['fail2ban-client status', 'fail2ban-client status sshd', `fail2ban-client set sshd unbanip ${ip(r)}`, `faillock --user ${r.pick(people)}`, `faillock --user ${r.pick(people)} --reset`, `pam_tally2 -u ${r.pick(people)}`])}`,
  (r) =>
    `sudo ${r.pick(['certbot renew', 'certbot renew --dry-run', 'certbot certificates', 'certbot --nginx -d api.example.com', 'certbot certonly --standalone -d www.example.com', 'certbot delete --cert-name old.example.com'])}`,
  (r) =>
    `sudo docker ${r.pick(['ps', `logs -f ${r.pick(containers)}`, 'compose up -d', `restart ${r.pick(containers)}`, 'system df'])}`,
];

export const filesSystem: Template[] = [
  (r) =>
    `ls ${r.pick(['-la', '-lh', '-ltr', '-al', '-lah', '-1', '-ld', '-lS', '-latr', ''])} ${r.pick(dirs)}`
      .replace(/\s+/g, ' ')
      .trim(),
  (r) =>
    `cd ${r.pick(dirs)}${r.chance(0.3) ? `/${r.pick(['releases', 'current', 'shared', 'logs', 'config', 'bin', 'scripts'])}` : ''}`,
  (r) =>
    r.pick([
      'pwd',
      'clear',
      'exit',
      'cd',
      'cd -',
      'ls',
      'll',
      'la',
      'history',
      'whoami',
      'id',
      'date',
      'date -u',
      'uptime',
      'w',
      'who',
      'free -m',
      'free -h',
      'df -h',
      'df -i',
      'df -hT',
      'nproc',
      'lscpu',
      'lsblk',
      'uname -a',
      'uname -r',
      'hostname',
      'hostname -f',
      'cat /etc/os-release',
      'top',
      'htop',
      'vmstat 1 5',
      'iostat -x 1 3',
      'mpstat -P ALL 1 3',
      'sar -u 1 5',
      'sar -r',
      'iotop -o',
      'pstree -p',
      'env',
      'printenv',
      'alias',
      'jobs',
      'fg',
      'bg',
      'echo $PATH',
      'echo $SHELL',
      'locale',
      'ulimit -a',
      'cat /proc/meminfo',
      'cat /proc/cpuinfo | grep "model name" | head -1',
      'lsmod',
      'cat /proc/loadavg',
      'tmux ls',
      'screen -ls',
      'crontab -l',
    ])!,
  (r) =>
    `du -${r.pick(['sh', 'h --max-depth=1', 'sh *', 'ah', 'shx'])} ${r.pick(dirs)}${r.chance(0.5) ? ` | sort -h${r.chance(0.5) ? ` | tail -${r.int(3, 20)}` : ''}` : ''}`,
  (r) =>
    `${sudo(r)}find ${r.pick(dirs)} ${r.pick(['-name', '-iname'])} "${r.pick(['*.log', '*.conf', '*.tmp', '*.py', '*.gz', '*.pem', '*.service', '*.yml', 'core.*', '*.jar', '*.sql'])}"${r.chance(0.4) ? ` -mtime +${r.int(1, 90)}` : ''}${r.chance(0.2) ? ' -ls' : ''}`,
  (r) =>
    `${sudo(r)}find ${r.pick(dirs)} -type f -size +${r.pick(['100M', '500M', '1G', '50M'])}${r.chance(0.5) ? ' -exec ls -lh {} \\;' : ''}`,
  (r) =>
    `find . -name "${r.pick(['*.pyc', '__pycache__', 'node_modules', '*.orig', '.DS_Store'])}" ${r.pick(['-delete', '-type d -prune', '-print', '-exec rm -rf {} +'])}`,
  (r) =>
    `ps ${r.pick(['aux', '-ef', 'auxf', 'aux --sort=-%mem', 'aux --sort=-%cpu', '-eo pid,ppid,cmd,%mem,%cpu --sort=-%mem'])} | ${r.pick([`grep ${r.pick(['nginx', 'java', 'python', 'node', 'gunicorn', 'postgres', 'docker', 'ssm', 'defunct', '[c]elery'])}`, `head -${r.int(5, 25)}`, 'less', 'wc -l'])}`,
  (r) =>
    `${r.pick(['pgrep -a', 'pgrep -f', 'pidof', 'pgrep -u app -a'])} ${r.pick(['nginx', 'java', 'gunicorn', 'node', 'python3', 'sidekiq', 'celery', 'php-fpm'])}`,
  (r) => `${sudo(r)}${r.pick(['kill', 'kill -9', 'kill -TERM', 'kill -15'])} ${pid(r)}`,
  (r) =>
    `${sudo(r)}${r.pick(['pkill -f', 'pkill', 'killall'])} ${r.pick(['gunicorn', 'node', 'celery', 'chrome', 'java', 'npm', 'python3 manage.py runserver', 'ffmpeg', 'rsync'])}`,
  (r) =>
    `tar ${r.pick(['czf', 'czvf', 'cJf', 'cf'])} ${r.pick(['/tmp/', '/backup/', '~/', ''])}${r.pick(['backup', 'logs', 'site', 'etc', 'release', 'configs'])}-${stamp(r)}.tar${r.pick(['.gz', '.xz', ''])} ${r.pick(['/etc/nginx', '/var/www/html', '/opt/app/config', 'logs/', 'dist/', '/srv/www', '/etc/letsencrypt'])}`,
  (r) =>
    `tar ${r.pick(['xzf', 'xzvf', 'xf', 'tzf', 'xJf', '-xzf'])} ${r.pick(['backup', 'release', 'node_exporter-1.8.2.linux-amd64', 'go1.22.5.linux-amd64', 'app', 'site'])}${r.chance(0.4) ? `-${stamp(r)}` : ''}.tar.gz${r.chance(0.3) ? ` -C ${r.pick(['/opt', '/usr/local', '/tmp', '/srv/www'])}` : ''}`,
  (r) =>
    `${r.pick(['zip -r', 'unzip', 'unzip -l', 'gzip', 'gunzip', 'zstd', 'xz -d', 'bzip2 -d', 'pigz'])} ${r.pick(['site.zip', 'dump.sql', 'dump.sql.gz', 'archive.zip', 'report.csv', 'logs.tar', 'awscliv2.zip'])}${r.chance(0.3) ? ` ${r.pick(['dist/', '-d /tmp/out'])}` : ''}`,
  (r) =>
    `${r.pick(['cp', 'cp -r', 'cp -a', 'mv', 'cp -p'])} ${r.pick(['config.yaml', 'app.conf', '.env.example', 'dist/', `releases/${stamp(r)}`, 'nginx.conf', 'dump.sql'])} ${r.pick(['config.yaml.bak', '.env', '/srv/www/', '/tmp/', 'current', '/backup/', '../'])}`,
  (r) =>
    `mkdir -p ${r.pick(['~/tmp', '/tmp/work', `releases/${stamp(r)}`, 'logs', `backup/${date(r)}`, '~/.config/systemd/user', '~/bin', 'dist'])}`,
  (r) =>
    `${r.pick(['touch', 'rm', 'rm -f', 'rm -i', 'unlink'])} ${r.pick(['notes.txt', 'test.txt', '/tmp/out.json', 'nohup.out', 'core', '.maintenance', 'app.pid', 'tmp.sql', '/tmp/cap.pcap'])}`,
  (r) =>
    `ln -sfn ${r.pick([`/opt/app/releases/${stamp(r)}`, `/srv/www/releases/${stamp(r)}`, '/usr/local/go/bin/go', '/opt/node-v20.15.0-linux-x64/bin/node'])} ${r.pick(['/opt/app/current', '/srv/www/current', '/usr/local/bin/go', '/usr/local/bin/node'])}`,
  (r) =>
    `chmod ${r.pick(['+x', '755', '644', 'u+x', '-R g+rw', '700'])} ${r.pick(['deploy.sh', 'scripts/*.sh', 'bin/run', 'backup.sh', '~/bin/*', 'storage/', 'install.sh'])}`,
  (r) =>
    `${r.pick(['head', 'tail', 'less', 'cat', 'wc -l', 'file', 'stat', 'md5sum', 'sha256sum', 'more', 'bat'])} ${r.pick(['README.md', 'output.log', 'report.csv', 'dump.sql', '/etc/os-release', 'nohup.out', 'data.json', 'package.json', 'CHANGELOG.md', 'app.tar.gz'])}`,
  (r) =>
    `${r.pick(['watch -n 1', 'watch -n 2', 'watch -d', 'watch -n 5'])} "${r.pick(['df -h', 'free -m', 'docker ps', 'ss -s', 'ls -l /tmp', 'kubectl get pods', 'cat /proc/loadavg', 'uptime', 'du -sh /var/log'])}"`,
  (r) =>
    `${r.pick(['tmux attach -t', 'tmux new -s', 'screen -r', 'screen -S'])} ${r.pick(['main', 'deploy', 'migration', 'work', 'debug', '0'])}`,
  (r) =>
    `history | ${r.pick([`grep ${r.pick(['docker', 'ssh', 'git', 'kubectl', 'aws', 'psql', 'rsync', 'systemctl'])}`, `tail -${r.int(10, 50)}`, 'less'])}`,
  (r) =>
    `${r.pick(['which', 'type', 'command -v', 'whereis'])} ${r.pick(['python3', 'node', 'aws', 'docker', 'kubectl', 'psql', 'java', 'go', 'terraform', 'pip3'])}`,
  (r) =>
    `export ${r.pick(['AWS_PROFILE=prod', 'AWS_PROFILE=staging', 'EDITOR=vim', 'NODE_ENV=production', 'PATH=$PATH:/usr/local/go/bin', 'KUBECONFIG=~/.kube/prod', `AWS_REGION=${region(r)}`, 'TERM=xterm-256color', 'LANG=C.UTF-8', 'GOPATH=$HOME/go', 'PGPASSWORD=$(cat ~/.pgpass-dev)', 'DOCKER_BUILDKIT=1'])}`,
  (r) =>
    `echo "${r.pick(['LOG_LEVEL=debug', 'WORKERS=4', 'FEATURE_X=true', 'REDIS_URL=redis://redis.cache.internal:6379/0', 'TZ=UTC'])}" >> ${r.pick(['/opt/app/.env', '.env', '.env.local'])}`,
  (r) =>
    `xargs ${r.pick(['-n1', '-I{}', '-P4 -n1'])} ${r.pick(['echo', 'ls -l', 'dig +short', 'kubectl delete pod -n staging'])} < ${r.pick(['hosts.txt', 'list.txt', 'pods.txt'])}`,
  (r) => {
    const v = r.pick(['h', 'host', 'i']);
    return `for ${v} in ${r.pick(['web1 web2 web3', '$(cat hosts.txt)', 'db1 db2', `$(seq 1 ${r.int(3, 20)})`])}; do ${r.pick([`ssh $${v} uptime`, `echo $${v}`, `ping -c1 $${v}`, 'curl -s localhost:8080/health', 'sleep 1'])}; done`;
  },
  (r) =>
    `${r.pick(['sort', 'sort -u', 'uniq -c', 'sort -t, -k2 -n'])} ${r.pick(['users.txt', 'ips.txt', 'report.csv', 'hosts.txt'])}${r.chance(0.4) ? ' | head' : ''}`,
  (r) =>
    `${r.pick(['nohup', 'timeout 300', 'time', 'nice -n 10'])} ${r.pick(['./backup.sh', 'python3 scripts/report.py', './migrate.sh', 'npm run build', 'rsync -a /data/ /backup/data/', 'pg_dump appdb > /backup/appdb.sql'])}${r.chance(0.3) ? ' &' : ''}`,
];

export const cloudAws: Template[] = [
  (r) =>
    `aws s3 ls${r.pick(['', ` s3://${r.pick(buckets)}/`, ` s3://${r.pick(buckets)}/${r.pick(['logs/', 'db/', 'releases/', `${date(r)}/`])}`, ` s3://${r.pick(buckets)} --recursive --human-readable --summarize`])}`,
  (r) =>
    `aws s3 cp ${r.pick(['backup.tgz', 'dump.sql.gz', 'report.csv', './dist/index.html', `/tmp/appdb-${stamp(r)}.sql.gz`])} s3://${r.pick(buckets)}/${r.pick(['', 'db/', 'tmp/', `releases/${ver(r)}/`])}`,
  (r) =>
    `aws s3 cp s3://${r.pick(buckets)}/${r.pick(['config/app.env', `releases/app-${ver(r)}.tar.gz`, `db/appdb-${stamp(r)}.sql.gz`, 'scripts/bootstrap.sh'])} ${r.pick(['.', '/tmp/', '/opt/app/'])}`,
  (r) =>
    `aws s3 sync ${r.pick(['./dist', './build', 'public/', '/var/www/html'])} s3://${r.pick(buckets)}/${r.pick(['', 'site/', 'static/'])}${r.chance(0.4) ? ' --delete' : ''}${r.chance(0.3) ? ' --exclude "*.map"' : ''}`,
  (r) =>
    `aws ec2 describe-instances ${r.pick([`--instance-ids ${instanceId(r)}`, '--filters "Name=tag:Name,Values=web-*"', '--filters Name=instance-state-name,Values=running', `--query "Reservations[].Instances[].[InstanceId,PrivateIpAddress,State.Name]" --output table`])}${r.chance(0.5) ? ` --region ${region(r)}` : ''}`,
  (r) =>
    `aws ec2 ${r.pick([`describe-security-groups --group-ids sg-0${hex(r, 16)}`, `describe-volumes --filters Name=attachment.instance-id,Values=${instanceId(r)}`, 'describe-images --owners self', `describe-subnets --filters Name=vpc-id,Values=vpc-0${hex(r, 16)}`, `reboot-instances --instance-ids ${instanceId(r)}`, `stop-instances --instance-ids ${instanceId(r)}`, `start-instances --instance-ids ${instanceId(r)}`, `create-snapshot --volume-id vol-0${hex(r, 16)} --description "pre-upgrade"`])}`,
  (r) =>
    `aws ssm ${r.pick(['describe-instance-information', 'list-commands --max-items 10', `get-parameter --name /${r.pick(['app', 'prod', 'staging'])}/${r.pick(['db/host', 'feature-flags', 'image-tag', 'api/url'])}`, `get-parameters-by-path --path /${r.pick(['app', 'prod'])}/ --recursive --query "Parameters[].Name"`, `send-command --document-name AWS-RunShellScript --targets Key=tag:Role,Values=${r.pick(['web', 'worker'])} --parameters commands="${r.pick(['uptime', 'df -h', 'sudo systemctl restart nginx'])}"`, `describe-sessions --state Active`])}${r.chance(0.4) ? ` --region ${region(r)}` : ''}`,
  (r) =>
    `aws logs ${r.pick(['tail', 'tail --follow', 'tail --since 1h', 'describe-log-streams --log-group-name'])} ${r.pick([`/aws/lambda/${r.pick(['ingest', 'resize-images', 'notify', 'cleanup'])}`, '/ecs/api', '/aws/eks/prod-eks/cluster', 'app-prod', '/aws/rds/instance/prod-db/postgresql'])}${r.chance(0.3) ? ' --filter-pattern ERROR' : ''}`,
  (r) =>
    `aws ${r.pick(['sts get-caller-identity', 'configure list', 'configure list-profiles', `sso login --profile ${r.pick(['prod', 'staging', 'dev'])}`, 'configure get region', 'iam list-roles --query "Roles[].RoleName"', 'iam get-user', 'organizations list-accounts'])}${r.chance(0.3) ? ` --profile ${r.pick(['prod', 'staging', 'dev', 'sandbox'])}` : ''}`,
  (r) =>
    `aws rds ${r.pick(['describe-db-instances', 'describe-db-clusters', 'describe-db-snapshots --db-instance-identifier prod-db', 'describe-events --duration 1440', `create-db-snapshot --db-instance-identifier prod-db --db-snapshot-identifier pre-migration-${stamp(r)}`])}${r.chance(0.4) ? ' --query "DBInstances[].DBInstanceStatus"' : ''}`,
  (r) =>
    `aws ecs ${r.pick(['list-services --cluster', 'list-tasks --cluster', 'describe-clusters --clusters'])} ${r.pick(['prod', 'staging', 'api-cluster'])}`,
  (r) =>
    `aws ecs update-service --cluster ${r.pick(['prod', 'staging'])} --service ${r.pick(['api', 'web', 'worker'])} ${r.pick(['--force-new-deployment', `--desired-count ${r.int(0, 10)}`])}`,
  (r) =>
    `aws ecr ${r.pick(['describe-repositories', `describe-images --repository-name ${r.pick(['api', 'web', 'worker'])}`, 'list-images --repository-name api --query "imageIds[].imageTag"', `batch-delete-image --repository-name api --image-ids imageTag=${sha(r, 7)}`])}`,
  (r) =>
    `aws lambda ${r.pick(['list-functions', `invoke --function-name ${r.pick(['ingest', 'notify', 'cleanup'])} out.json`, `get-function-configuration --function-name ${r.pick(['ingest', 'notify'])}`, 'update-function-code --function-name notify --zip-file fileb://function.zip'])}`,
  (r) =>
    `aws cloudwatch ${r.pick(['describe-alarms --state-value ALARM', `get-metric-statistics --namespace AWS/EC2 --metric-name CPUUtilization --dimensions Name=InstanceId,Value=${instanceId(r)} --start-time ${date(r)}T00:00:00Z --end-time ${date(r)}T23:59:59Z --period 3600 --statistics Average`, 'set-alarm-state --alarm-name api-5xx --state-value OK --state-reason "test"'])}`,
  (r) =>
    `aws ${r.pick(['autoscaling describe-auto-scaling-groups --auto-scaling-group-names', 'autoscaling start-instance-refresh --auto-scaling-group-name', 'elbv2 describe-target-groups --names', 'cloudformation describe-stacks --stack-name', 'cloudformation describe-stack-events --stack-name'])} ${r.pick(['web-asg', 'api-prod', 'worker-asg', 'network-stack', 'app-prod'])}`,
  (r) =>
    `aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:${region(r)}:${account(r)}:targetgroup/${r.pick(['api', 'web'])}-tg/${hex(r, 16)}`,
  (r) =>
    `aws route53 ${r.pick(['list-hosted-zones', `list-resource-record-sets --hosted-zone-id Z0${hex(r, 12).toUpperCase()}`])}`,
  (r) =>
    `aws ${r.pick([`sqs get-queue-attributes --queue-url https://sqs.${region(r)}.amazonaws.com/${account(r)}/jobs --attribute-names ApproximateNumberOfMessages`, 'sns list-topics', 'dynamodb list-tables', 'dynamodb describe-table --table-name sessions', 'kms list-aliases', 'acm list-certificates'])}`,
  (r) =>
    `terraform ${r.pick(['plan', 'init', 'fmt', 'validate', 'apply', 'plan -out tfplan', 'apply tfplan', 'state list', 'output', 'init -upgrade', 'workspace select prod', 'workspace list', 'providers', `plan -target=module.${r.pick(['vpc', 'rds', 'eks', 'alb'])}`])}`,
  (r) =>
    `${r.pick(['ec2-metadata -i', 'ec2-metadata -z', 'cloud-init status', 'cloud-init status --long', 'sudo cloud-init clean', 'cat /var/lib/cloud/instance/instance-id'])}`,
];

export const devBuild: Template[] = [
  (r) =>
    `${r.pick(['npm ci', 'npm install', 'npm run build', 'npm test', 'npm run lint', 'npm run dev', 'npm start', 'npm run migrate', 'yarn install --frozen-lockfile', 'yarn build', 'pnpm install', 'pnpm build', 'npx tsc --noEmit', 'npx prisma migrate deploy', 'node dist/index.js', 'pm2 restart all', 'pm2 logs', 'pm2 status', 'pm2 reload api'])}`,
  (r) =>
    `make ${r.pick(['build', 'test', 'install', 'clean', 'lint', 'deploy', 'release', 'docker', '-j4', 'check', 'all'])}`,
  (r) =>
    `${r.pick(['go build ./...', 'go test ./...', 'go mod tidy', 'go vet ./...', 'go run ./cmd/server', 'go build -o bin/server ./cmd/server', 'cargo build --release', 'cargo test', 'mvn clean package -DskipTests', 'mvn -q test', './gradlew build', './gradlew test --info', 'dotnet build', 'dotnet test'])}`,
  (r) =>
    `${r.pick(['python3 -m venv .venv', 'source .venv/bin/activate', '. venv/bin/activate', 'deactivate', 'pytest -x', 'pytest -q tests/', `python3 -m pytest -k ${r.pick(['auth', 'api', 'smoke'])}`, 'tox -e py312', 'ruff check .', 'black --check .', 'mypy src', 'poetry install', 'poetry run pytest', 'pipenv install', 'python3 manage.py migrate', 'python3 manage.py collectstatic --noinput', 'python3 manage.py createsuperuser', 'flask db upgrade', 'alembic upgrade head', 'celery -A app worker -l info'])}`,
  (r) =>
    `python3 ${r.pick(['scripts/report.py', 'manage.py shell', `-m http.server ${r.pick([8000, 8080, 9000])}`, 'scripts/cleanup_s3.py --dry-run', 'tools/rotate_logs.py', '-c "import ssl; print(ssl.OPENSSL_VERSION)"', '-m json.tool data.json', `scripts/backfill.py --since ${date(r)}`])}`,
  (r) =>
    `ansible-playbook -i ${r.pick(['inventory/prod.ini', 'inventory/staging.yml', 'hosts'])} ${r.pick(['site.yml', 'nginx.yml', 'deploy.yml', 'patch.yml', 'users.yml'])}${r.pick(['', ' --check', ' --diff', ` --limit ${r.pick(['web', 'db', 'web1'])}`, ' --tags nginx', ' -K'])}`,
  (r) =>
    `${r.pick(['./deploy.sh', './scripts/deploy.sh', 'bin/deploy', './release.sh'])} ${r.pick(['staging', 'prod', 'production', 'canary'])}${r.chance(0.4) ? ` ${r.pick([`v${ver(r)}`, sha(r, 7), '--dry-run'])}` : ''}`,
  (r) =>
    `${r.pick(['php artisan', 'php bin/console', 'bundle exec rails', 'bin/rails'])} ${r.pick(['migrate', 'cache:clear', 'queue:restart', 'db:migrate', 'c', 'assets:precompile', 'route:list', 'config:cache', 'doctrine:migrations:migrate'])}`,
  (r) =>
    `${r.pick(['packer build', 'packer validate'])} ${r.pick(['ami.pkr.hcl', 'base.json', 'templates/web.pkr.hcl'])}`,
  (r) =>
    `${r.pick(['java -jar', 'java -Xmx2g -jar'])} ${r.pick(['app.jar', `target/api-${ver(r)}.jar`, 'build/libs/service.jar'])}${r.chance(0.3) ? ' --spring.profiles.active=prod' : ''}`,
];

export const databases: Template[] = [
  (r) =>
    `psql -h ${r.pick(['localhost', 'db1.internal', 'prod-db.cxyz.us-east-1.rds.amazonaws.com', '127.0.0.1'])} -U ${r.pick(['app', 'postgres', 'readonly', 'admin'])} ${r.pick(['-d appdb', '-d analytics', ''])} ${r.pick(['', `-c "select count(*) from ${r.pick(['users', 'orders', 'jobs', 'events', 'sessions'])}"`, '-c "\\dt"', '-c "select now()"', '-c "SELECT pid, state, query FROM pg_stat_activity"', `-f migrations/${r.int(1, 90)}.sql`])}`
      .replace(/\s+/g, ' ')
      .trim(),
  (r) =>
    `${r.pick(['pg_dump', 'pg_dump -Fc', 'pg_dump --schema-only'])} ${r.pick(['-h db1.internal -U app', '-U postgres', ''])} ${r.pick(['appdb', 'analytics', 'keycloak'])} ${r.pick([`> /backup/appdb-${stamp(r)}.sql`, `| gzip > /tmp/db-${stamp(r)}.sql.gz`, '-f dump.dump'])}`.replace(
      /\s+/g,
      ' ',
    ),
  (r) =>
    r.chance(0.6)
      ? `${r.pick(['pg_restore -d appdb', 'pg_restore --clean -d appdb_restore', 'pg_restore -j 4 -d appdb'])} ${r.pick(['dump.dump', `/backup/appdb-${stamp(r)}.dump`, 'appdb.dump'])}`
      : `psql ${r.pick(['appdb', '-d appdb_restore', '-U app appdb'])} < ${r.pick(['schema.sql', `/backup/appdb-${stamp(r)}.sql`])}`,
  (r) =>
    `mysql -u ${r.pick(['root', 'app', 'admin'])} -p ${r.pick(['', '-h db1.internal ', '-h 127.0.0.1 '])}${r.pick(['', '-e "SHOW PROCESSLIST"', '-e "SHOW DATABASES"', '-e "SHOW SLAVE STATUS\\G"', 'appdb < schema.sql', '-e "SELECT COUNT(*) FROM orders"'])}`
      .replace(/\s+/g, ' ')
      .trim(),
  (r) => {
    const db = r.pick(['appdb', 'shop', 'wordpress']);
    return `mysqldump ${r.pick(['--single-transaction', '--single-transaction --routines', '-u root -p', '--no-data'])} ${db} | gzip > ${r.pick(['/backup/', '/tmp/'])}${db}-${stamp(r)}.sql.gz`;
  },
  (r) =>
    `redis-cli ${r.pick(['', '-h redis.cache.internal ', '-h 127.0.0.1 -p 6379 ', '-n 2 '])}${r.pick(['ping', 'info', 'info memory', 'info replication', 'dbsize', 'monitor', '--scan --pattern "session:*" | head', '--bigkeys', 'slowlog get 10', 'config get maxmemory', 'client list | wc -l', 'get feature:flags', 'ttl cache:home'])}`,
  (r) =>
    `${r.pick(['mongosh', 'mongosh --quiet --eval "db.stats()"', `mongodump --db app --out /backup/mongo-${stamp(r)}`, 'sqlite3 app.db ".tables"', 'sqlite3 /var/lib/grafana/grafana.db ".schema user"', 'cqlsh -e "describe keyspaces"'])}`,
  (r) =>
    `${sudo(r)}-u postgres ${r.pick(['psql', 'psql -c "\\du"', 'createuser --interactive', 'vacuumdb --all --analyze', 'pg_ctlcluster 16 main restart', 'psql -c "select pg_reload_conf()"', 'pg_basebackup -D /data/replica -Fp -Xs -P'])}`.replace(
      /^-u/,
      'sudo -u',
    ),
];

// --- risky-but-legitimate admin work: lines that look dangerous and are routine --------------

export const riskyAgents: Template[] = [
  (r) =>
    `sudo systemctl ${r.pick(['restart', 'status', 'reload', 'start', 'enable', 'is-active', 'try-restart'])} ${r.pick(['auditd', 'rsyslog', 'amazon-ssm-agent', 'amazon-cloudwatch-agent', 'syslog-ng', 'systemd-journald', 'snap.amazon-ssm-agent.amazon-ssm-agent'])}`,
  (r) =>
    `sudo service ${r.pick(['auditd', 'rsyslog', 'amazon-ssm-agent'])} ${r.pick(['restart', 'status', 'reload', 'condrestart'])}`,
  (r) =>
    `sudo auditctl ${r.pick(['-l', '-s', `-w /etc/${r.pick(['passwd', 'shadow', 'sudoers', 'ssh/sshd_config'])} -p wa -k ${r.pick(['identity', 'sudoers', 'sshd', 'passwd_changes'])}`, '-a always,exit -F arch=b64 -S execve -k exec', '-b 8192', '-R /etc/audit/rules.d/audit.rules'])}`,
  (r) =>
    `sudo ${r.pick(['augenrules --load', 'augenrules --check', 'auditctl -e 1', 'auditctl -e 2', 'aureport -k --summary', 'cat /etc/audit/rules.d/audit.rules', 'ls /etc/audit/rules.d/', 'vim /etc/audit/rules.d/audit.rules', 'vim /etc/audit/auditd.conf', 'rsyslogd -N1', 'rsyslogd -N1 -f /etc/rsyslog.d/50-default.conf', 'vim /etc/rsyslog.d/50-default.conf', 'cat /etc/rsyslog.conf'])}`,
  (r) =>
    `sudo ${r.pick(['/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl', 'amazon-cloudwatch-agent-ctl'])} -a ${r.pick(['status', 'fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json', 'fetch-config -m ec2 -s -c ssm:AmazonCloudWatch-linux', 'start', 'append-config -m ec2 -s -c file:/opt/aws/cw-extra.json'])}`,
  (r) => `sudo snap ${r.pick(['restart', 'services', 'info', 'logs'])} amazon-ssm-agent`,
  (r) =>
    `sudo ${r.pick([`journalctl -u amazon-ssm-agent -n ${n(r)}`, 'journalctl -u auditd --since today', 'journalctl -u rsyslog -f', 'tail -f /var/log/amazon/ssm/amazon-ssm-agent.log', `tail -n ${n(r)} /var/log/amazon/ssm/errors.log`, 'tail -f /var/log/audit/audit.log', 'ls -l /var/log/audit/', 'grep denied /var/log/audit/audit.log | tail'])}`,
  (r) =>
    `sudo kill -${r.pick(['HUP', 'USR1', '1'])} $(${r.pick(['pidof rsyslogd', 'cat /var/run/rsyslogd.pid', 'pidof auditd', 'pgrep -x rsyslogd'])})`,
  (r) =>
    `sudo ${r.pick(['pkill -HUP rsyslogd', 'killall -HUP rsyslogd', 'pkill -USR1 auditd', 'service auditd rotate', 'systemctl kill -s HUP rsyslog'])}`,
  (r) =>
    `sudo ${r.pick(['amazon-ssm-agent -version', 'ssm-cli get-diagnostics --output table', 'ssm-cli get-instance-information', 'yum update -y amazon-ssm-agent', 'snap refresh amazon-ssm-agent', 'dpkg -l | grep ssm-agent', 'systemctl cat amazon-ssm-agent'])}`,
  (r) =>
    `sudo ${r.pick(['logger -t test "syslog pipeline check"', `logger -p local0.info "deploy ${sha(r, 7)}"`, 'systemctl status systemd-journald', 'journalctl --verify', 'journalctl --rotate', 'journalctl --flush'])}`,
];

export const riskyFirewall: Template[] = [
  (r) =>
    `sudo iptables ${r.pick(['-L', '-L -n', '-L -n -v', '-nvL', '-S', '-L INPUT --line-numbers', '-L -n --line-numbers', '-t nat -L -n -v', '-t nat -S', '-L DOCKER-USER -n', '-t mangle -L'])}`,
  (r) =>
    `sudo iptables -${r.pick(['A', 'I'])} INPUT -p tcp ${r.pick(['--dport', '-m tcp --dport'])} ${port(r)} ${r.pick(['-j ACCEPT', `-s ${r.pick(['10.0.0.0/8', '172.31.0.0/16', `${ip(r)}/32`])} -j ACCEPT`, '-m conntrack --ctstate NEW -j ACCEPT', '-j DROP'])}`,
  (r) => `sudo iptables -D INPUT ${r.int(1, 20)}`,
  (r) =>
    `sudo ${r.pick(['iptables-save', 'iptables-save > /etc/iptables/rules.v4', 'iptables-restore < /etc/iptables/rules.v4', 'ip6tables -L -n', 'ip6tables-save', 'netfilter-persistent save', 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE', 'iptables -N LOGGING'])}`,
  (r) =>
    `sudo ufw ${r.pick(['status', 'status verbose', 'status numbered', `allow ${port(r)}/tcp`, 'allow OpenSSH', "allow 'Nginx Full'", `allow from ${r.pick(['10.0.0.0/8', '172.31.0.0/16', ip(r)])} to any port ${port(r)}`, `deny ${port(r)}`, 'limit ssh', 'enable', '--force enable', 'reload', `delete ${r.int(1, 12)}`, 'app list', 'show added', 'logging on'])}`,
  (r) =>
    `sudo firewall-cmd ${r.pick(['--list-all', '--state', '--reload', '--get-active-zones', '--list-services', '--list-ports', `--add-port=${port(r)}/tcp --permanent`, `--remove-port=${port(r)}/tcp --permanent`, '--add-service=https --permanent', `--zone=public --add-source=${r.pick(['10.0.0.0/8', ip(r)])} --permanent`, '--runtime-to-permanent', '--zone=public --list-all'])}`,
  (r) =>
    `sudo nft ${r.pick(['list ruleset', 'list tables', 'list table inet filter', 'list chain inet filter input', `add rule inet filter input tcp dport ${port(r)} accept`, '-f /etc/nftables.conf', '-c -f /etc/nftables.conf'])}`,
  (r) =>
    `sudo systemctl ${r.pick(['status', 'restart', 'reload', 'enable --now', 'start', 'is-active'])} ${r.pick(['firewalld', 'ufw', 'nftables', 'netfilter-persistent', 'iptables'])}`,
  (r) =>
    `aws ec2 ${r.pick(['authorize-security-group-ingress', 'revoke-security-group-ingress'])} --group-id sg-0${hex(r, 16)} --protocol tcp --port ${port(r)} --cidr ${r.pick(['10.0.0.0/16', `${ip(r)}/32`, '172.31.0.0/16'])}`,
];

export const riskyDeletes: Template[] = [
  (r) =>
    `rm -rf ${r.pick(['./build', 'build/', 'node_modules', 'dist', 'dist/', '.cache', 'target', '.venv', 'venv', '__pycache__', '.pytest_cache', 'coverage', '.next', '.terraform', 'vendor', 'tmp/*', 'out', '.gradle', 'bin/ obj/', './public/assets'])}`,
  (r) =>
    `rm -rf ${r.pick([`/tmp/build-${r.int(1000, 99999)}`, `/tmp/tmp.${hex(r, 10)}`, '~/.cache/pip', '~/.npm/_cacache', '~/tmp/*', `/tmp/${r.pick(['extract', 'work', 'out', `go-build${r.int(1000, 9999)}`])}`, '~/Downloads/*.zip', `/opt/app/releases/${stamp(r)}`])}`,
  (r) =>
    `sudo rm -rf ${r.pick(['/var/lib/apt/lists/*', '/var/cache/apt/archives/*.deb', '/var/cache/yum', '/var/cache/dnf', '/tmp/*', `/opt/app/releases/${stamp(r)}`, `/srv/www/releases/${stamp(r)}`, '/usr/local/go', '/opt/node-v18.20.4-linux-x64', '/etc/nginx/sites-enabled/default', '/var/lib/docker/tmp/*', '/root/.cache', `/opt/${r.pick(['old-agent', 'jdk-11', 'splunkforwarder-old'])}`, '/var/www/html/wp-content/cache/*'])}`,
  (r) =>
    `${sudo(r)}rm -f ${r.pick(['*.log', '/tmp/*.tmp', 'core.*', `/opt/app/logs/app.log.${r.int(1, 9)}`, '/var/log/nginx/*.gz', `/var/log/app/app-${date(r)}.log`, '/var/crash/*', 'nohup.out', '/var/run/app.pid', '/tmp/.X0-lock'])}`,
  (r) =>
    `${sudo(r)}find ${r.pick(['/var/log/app', '/opt/app/logs', '/tmp', '/backup', '/var/log/nginx', '/data/exports', '/var/log'])} ${r.pick(['-name "*.gz"', '-name "*.log.*"', '-type f', '-name "*.tmp"', '-name "*.sql.gz"'])} -mtime +${r.pick([7, 14, 30, 60, 90])} ${r.pick(['-delete', '-exec rm -f {} \\;', '-exec rm {} +', '-print -delete'])}`,
  (r) =>
    `${sudo(r)}truncate -s 0 ${r.pick(['/opt/app/logs/app.log', '/opt/app/logs/worker.log', '/var/log/nginx/access.log', '/home/ec2-user/app/nohup.out', `/var/lib/docker/containers/${hex(r, 12)}/${hex(r, 12)}-json.log`, '/var/log/app/debug.log'])}`,
  (r) =>
    `${sudo(r)}${r.pick(['docker system prune -af', 'docker volume prune -f', 'docker image prune -a -f', 'git clean -fdx', `kubectl delete ns feature-${r.int(100, 999)}`, 'apt-get clean', 'apt-get autoremove --purge -y', 'yum clean all', 'dnf clean all', 'journalctl --vacuum-size=500M', 'snap remove --purge lxd'])}`,
  (r) =>
    `${sudo(r)}dd if=/dev/zero of=${r.pick(['/swapfile', '/tmp/test.img', '/data/ddtest', '/mnt/efs/ddtest'])} bs=${r.pick(['1M', '1G', '4k', '64k'])} count=${r.pick([1, 8, 1024, 2048, 4096, 10000])}${r.chance(0.4) ? ' oflag=direct' : ''}${r.chance(0.3) ? ' status=progress' : ''}`,
  (r) =>
    `sudo ${r.pick(['mkswap /swapfile', 'swapon /swapfile', 'swapoff -a', 'fallocate -l 2G /swapfile', 'chmod 600 /swapfile'])}`,
  (r) =>
    `sudo ${r.pick(['mkfs -t xfs', 'mkfs.xfs', 'mkfs.ext4', 'mkfs -t ext4'])} /dev/${r.pick(['nvme1n1', 'nvme2n1', 'xvdf', 'xvdg', 'sdb'])}`,
  (r) =>
    `sudo dd if=${r.pick(['/dev/nvme0n1', '/dev/xvda', '/dev/sda'])} of=${r.pick(['/backup/disk.img', '/mnt/backup/root.img', '/dev/null'])} bs=${r.pick(['4M', '1M'])}${r.chance(0.5) ? ' status=progress' : ''}`,
  (r) => `rm -r ${r.pick(['old/', 'tmp/', `releases/${stamp(r)}`, `backup-${date(r)}`, 'logs/archive'])}`,
  (r) =>
    `${sudo(r)}shred -u ${r.pick(['/tmp/secret.env', 'old-key.pem', '/tmp/creds.csv', 'id_rsa.old', '~/Downloads/export.csv'])}`,
];

export const riskyDownloads: Template[] = [
  (r) =>
    `curl -${r.pick(['O', 'LO', 'fLO', 'sLO'])} https://${r.pick(['github.com/prometheus/node_exporter/releases/download/v1.8.2/node_exporter-1.8.2.linux-amd64.tar.gz', 'github.com/prometheus/prometheus/releases/download/v2.53.0/prometheus-2.53.0.linux-amd64.tar.gz', 'go.dev/dl/go1.22.5.linux-amd64.tar.gz', 'nodejs.org/dist/v20.15.0/node-v20.15.0-linux-x64.tar.xz', 'releases.hashicorp.com/terraform/1.9.2/terraform_1.9.2_linux_amd64.zip', 'github.com/cli/cli/releases/download/v2.52.0/gh_2.52.0_linux_amd64.tar.gz', 'dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl', 'get.helm.sh/helm-v3.15.2-linux-amd64.tar.gz', 'github.com/mikefarah/yq/releases/download/v4.44.2/yq_linux_amd64', 'archive.apache.org/dist/tomcat/tomcat-9/v9.0.90/bin/apache-tomcat-9.0.90.tar.gz', 'downloads.apache.org/kafka/3.7.0/kafka_2.13-3.7.0.tgz', 'github.com/grafana/loki/releases/download/v3.1.0/promtail-linux-amd64.zip'])}`,
  (r) =>
    `wget ${r.pick(['', '-q ', '-nc ', '-c '])}https://${r.pick(['github.com/prometheus/node_exporter/releases/download/v1.8.2/node_exporter-1.8.2.linux-amd64.tar.gz', 'go.dev/dl/go1.22.5.linux-amd64.tar.gz', 'releases.hashicorp.com/vault/1.17.2/vault_1.17.2_linux_amd64.zip', 'download.java.net/java/GA/jdk21.0.2/f2283984656d49e1b6d1ab29ca5c4b80/13/GPL/openjdk-21.0.2_linux-x64_bin.tar.gz', 'www.python.org/ftp/python/3.12.4/Python-3.12.4.tgz', 'dev.mysql.com/get/mysql-apt-config_0.8.29-1_all.deb', 'wordpress.org/latest.tar.gz', 'dlcdn.apache.org/maven/maven-3/3.9.8/binaries/apache-maven-3.9.8-bin.tar.gz'])}${r.chance(0.4) ? ` && tar xzf ${r.pick(['node_exporter-1.8.2.linux-amd64.tar.gz', 'go1.22.5.linux-amd64.tar.gz', 'latest.tar.gz'])}` : ''}`,
  (r) =>
    `curl ${r.pick(['"https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" -o "awscliv2.zip"', '"https://awscli.amazonaws.com/awscli-exe-linux-aarch64.zip" -o "awscliv2.zip"', '"https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb" -o "session-manager-plugin.deb"'])}`,
  (r) =>
    `${r.pick(['unzip awscliv2.zip && sudo ./aws/install', 'sudo ./aws/install --update', 'sudo dpkg -i session-manager-plugin.deb', 'sudo install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl', 'sudo tar -C /usr/local -xzf go1.22.5.linux-amd64.tar.gz', 'sudo mv node_exporter-1.8.2.linux-amd64/node_exporter /usr/local/bin/', 'chmod +x ./kubectl && sudo mv ./kubectl /usr/local/bin/', 'sha256sum -c kubectl.sha256', 'sudo sh get-docker.sh', 'sudo yum localinstall -y ./amazon-cloudwatch-agent.rpm'])}`,
  (r) =>
    `curl -fsSL ${r.pick(['https://get.docker.com -o get-docker.sh', 'https://download.docker.com/linux/ubuntu/gpg | sudo gpg --dearmor -o /etc/apt/keyrings/docker.gpg', 'https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | sudo gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg', 'https://apt.releases.hashicorp.com/gpg | sudo gpg --dearmor -o /usr/share/keyrings/hashicorp-archive-keyring.gpg', 'https://packages.grafana.com/gpg.key | sudo apt-key add -', 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key | sudo gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg'])}`,
  (r) =>
    `${r.pick(['curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -', 'curl -fsSL https://deb.nodesource.com/setup_22.x | sudo bash -', 'curl -sSL https://install.python-poetry.org | python3 -', "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh", 'curl -fsSL https://tailscale.com/install.sh | sh', 'curl -s https://packagecloud.io/install/repositories/github/git-lfs/script.deb.sh | sudo bash', 'curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash', 'curl -sfL https://get.k3s.io | sh -', 'wget -qO- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash'])}`,
  (r) =>
    `curl -s${r.pick(['', 'S'])} https://${r.pick(['api.github.com/repos/prometheus/node_exporter/releases/latest', 'dl.k8s.io/release/stable.txt', `raw.githubusercontent.com/${r.pick(orgs)}/${r.pick(repos)}/main/README.md`, 'checkip.amazonaws.com', 'ip-ranges.amazonaws.com/ip-ranges.json'])}${r.chance(0.5) ? ` | ${r.pick(['jq -r .tag_name', 'jq .', 'head', 'jq \'.prefixes[] | select(.region=="us-east-1")\' | head'])}` : ''}`,
  (r) => {
    const f = r.pick(['report.pdf', 'data.csv', 'backup.tar.gz', 'schema.sql', 'install.sh', 'dump.json']);
    return `curl -o ${r.pick(['/tmp/', './', '~/'])}${f} ${r.pick(['https://', 'http://'])}${r.pick(['files.example.com', 'artifacts.internal', 'nexus.internal:8081/repository/raw', 'jenkins.internal/job/build/lastSuccessfulBuild/artifact'])}/${f}`;
  },
  (r) => {
    const [key, then] = r.pick([
      ['bootstrap/install.sh', 'less /tmp/install.sh'],
      ['scripts/setup.sh', 'bash /tmp/setup.sh'],
      ['tools/agent.tar.gz', 'tar xzf /tmp/agent.tar.gz -C /opt'],
    ] as const);
    return `aws s3 cp s3://${r.pick(buckets)}/${key} /tmp/ && ${then}`;
  },
  (r) =>
    `${sudo(r)}${r.pick(['yum', 'dnf'])} install -y ${r.pick(['https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/linux_amd64/amazon-ssm-agent.rpm', 'https://dl.fedoraproject.org/pub/epel/epel-release-latest-9.noarch.rpm', 'https://dl.fedoraproject.org/pub/epel/epel-release-latest-8.noarch.rpm', 'https://s3.amazonaws.com/amazoncloudwatch-agent/amazon_linux/amd64/latest/amazon-cloudwatch-agent.rpm', 'https://dev.mysql.com/get/mysql80-community-release-el9-5.noarch.rpm', 'https://download.postgresql.org/pub/repos/yum/reporpms/EL-9-x86_64/pgdg-redhat-repo-latest.noarch.rpm'])}`,
  (r) =>
    `${r.pick(['pip install', 'pip3 install'])} ${r.pick([`git+https://github.com/${r.pick(orgs)}/${r.pick(['internal-tools', 'deploy-lib', 'ops-cli'])}.git@v${ver(r)}`, `--index-url https://nexus.internal/repository/pypi/simple ${r.pick(pipPackages)}`, '--extra-index-url https://download.pytorch.org/whl/cpu torch'])}`,
];

export const riskySecretsFiles: Template[] = [
  (r) =>
    `${r.pick(['cat', 'less', 'head', `grep ${r.pick(people)}`])} /etc/${r.pick(['passwd', 'group', 'hosts', 'login.defs', 'nsswitch.conf'])}`,
  (r) =>
    `${r.pick(['getent passwd', 'getent group', 'id', 'groups'])} ${r.pick([...people, 'deploy', 'app', 'docker', 'sudo', 'wheel'])}`,
  (r) =>
    `${sudo(r)}${r.pick(['ls -l', 'stat', 'ls -la', 'getfacl', 'lsattr'])} ${r.pick(['/etc/shadow', '/etc/gshadow', '/etc/passwd', '~/.aws', '~/.ssh', '~/.ssh/id_ed25519', '/etc/sudoers'])}`,
  (r) => `cat ~/.ssh/${r.pick(['id_rsa.pub', 'id_ed25519.pub', 'authorized_keys', 'config', 'known_hosts'])}`,
  (r) =>
    `ssh-keygen ${r.pick([`-t ed25519 -C "${r.pick(people)}@example.com"`, `-t rsa -b 4096 -C "deploy@${r.pick(['ci', 'jenkins', 'gitlab'])}"`, '-lf ~/.ssh/id_ed25519.pub', '-lf ~/.ssh/authorized_keys', `-R ${host(r)}`, '-y -f ~/.ssh/id_ed25519 > ~/.ssh/id_ed25519.pub', `-t ed25519 -f ~/.ssh/deploy_${r.pick(repos)} -N ""`])}`,
  (r) =>
    `${r.pick(['chmod 600', 'chmod 700', 'chmod 644', `chown -R ${r.pick(['ubuntu', 'ec2-user', 'deploy'])}:`])} ~/.ssh${r.pick(['', '/authorized_keys', '/id_ed25519', '/config', '/id_rsa'])}`,
  (r) => `ssh-add ${r.pick(['~/.ssh/id_ed25519', '-l', '-D', '~/.ssh/deploy_key'])}`,
  (r) =>
    `ssh -i ~/.ssh/${r.pick(['id_ed25519', 'deploy.pem', 'prod-key.pem', 'bastion_rsa', 'id_rsa'])} ${user(r)}@${sshHost(r)}`,
  (r) =>
    `scp -i ~/.ssh/${r.pick(['deploy.pem', 'prod-key.pem', 'id_ed25519', 'id_rsa'])} ${r.pick(['app.tar.gz', 'dump.sql.gz', 'nginx.conf', 'report.csv', '-r dist/'])} ${user(r)}@${sshHost(r)}:${r.pick(['/tmp/', '~/', '/srv/www/'])}`,
  (r) =>
    `rsync -avz -e "ssh -i ~/.ssh/${r.pick(['deploy.pem', 'id_ed25519', 'backup_key'])}" ${r.pick(['./dist/', '/backup/', 'build/'])} ${user(r)}@${sshHost(r)}:${r.pick(['/srv/www/', '/backup/', '/opt/app/'])}`,
  (r) => `ssh-copy-id ${r.pick(['', '-i ~/.ssh/id_ed25519.pub '])}${user(r)}@${sshHost(r)}`,
  (r) =>
    `aws configure ${r.pick(['list', 'list-profiles', 'get region', 'get region --profile prod', `set region ${region(r)}`, 'sso'])}`,
  (r) => `${r.pick(['cat', 'vim', 'less'])} ~/.aws/config`,
  (r) => `ls -la ~/.aws${r.chance(0.3) ? '/' : ''}`,
  (r) =>
    `curl -s${r.pick(['', 'f'])} http://169.254.169.254/latest/meta-data/${r.pick(['instance-id', 'placement/availability-zone', 'placement/region', 'local-ipv4', 'instance-type', 'hostname', 'ami-id', 'mac', 'public-ipv4', 'tags/instance/Name'])}`,
  (r) =>
    `TOKEN=$(curl -sX PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: ${r.pick([21600, 300, 60])}") && curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/${r.pick(['instance-id', 'placement/region', 'local-ipv4', 'instance-type', 'iam/info'])}`,
  (r) =>
    `aws ${r.pick([`secretsmanager get-secret-value --secret-id ${r.pick(['prod/db', 'staging/api-key', 'app/redis'])} --query SecretString --output text`, `ssm get-parameter --name /${r.pick(['prod', 'staging'])}/db/password --with-decryption --query Parameter.Value --output text`, `sts assume-role --role-arn arn:aws:iam::${account(r)}:role/${r.pick(['OpsAdmin', 'ReadOnly', 'Deploy'])} --role-session-name ${r.pick(people)}`])}`,
  (r) =>
    `kubectl get secret ${r.pick(['db-credentials', 'api-tls', 'regcred', 'grafana', 'app-env'])} -n ${ns(r)} ${r.pick(['-o yaml', "-o jsonpath='{.data.password}' | base64 -d", "-o jsonpath='{.data.admin-password}' | base64 --decode; echo", '-o json | jq .data'])}`,
  (r) =>
    `${r.pick([`vault kv get secret/${r.pick(['app', 'db', 'ci'])}`, 'vault login -method=oidc', 'vault status', 'vault token lookup'])}`,
  (r) =>
    `sudo ${r.pick(['ls -l /etc/ssl/private', 'openssl rsa -in /etc/ssl/private/app.key -check -noout', 'openssl req -new -key /etc/ssl/private/app.key -out app.csr', 'chmod 600 /etc/ssl/private/app.key', 'cat /etc/ssl/certs/app.pem'])}`,
  (r) =>
    `aws ec2-instance-connect send-ssh-public-key --instance-id ${instanceId(r)} --instance-os-user ${r.pick(['ec2-user', 'ubuntu'])} --ssh-public-key file://~/.ssh/id_ed25519.pub`,
];

export const riskyAccounts: Template[] = [
  (r) =>
    `sudo useradd ${r.pick(['-r', '--system', '-r -M'])} -s ${r.pick(['/usr/sbin/nologin', '/bin/false', '/sbin/nologin'])} ${r.pick(['node_exporter', 'prometheus', 'app', 'grafana', 'promtail', 'minio', 'consul', 'vector', 'loki'])}`,
  (r) =>
    `sudo ${r.pick(['adduser --system --no-create-home --group', 'adduser --system --group --shell /usr/sbin/nologin'])} ${r.pick(['prometheus', 'app', 'alertmanager', 'etcd'])}`,
  (r) =>
    `sudo groupadd ${r.pick(['-r', '--system', ''])} ${r.pick(['app', 'deploy', 'prometheus', 'developers', 'sftpusers'])}`.replace(
      /\s+/g,
      ' ',
    ),
  (r) =>
    `sudo usermod -aG ${r.pick(['www-data', 'adm', 'systemd-journal', 'app', 'developers', 'video'])} ${r.pick(people)}`,
  (r) =>
    `sudo usermod ${r.pick(['-L', '-U', '-e 1', '-s /usr/sbin/nologin', `-c "${r.pick(['Alice Smith', 'Bob Jones'])}"`, `-d /home/${r.pick(people)} -m`])} ${r.pick(people)}`,
  (r) =>
    `sudo ${r.pick(['userdel', 'userdel -r', 'deluser', 'deluser --remove-home'])} ${r.pick(['olduser', 'contractor1', 'temp', 'test'])}`,
  (r) =>
    `${r.pick(['passwd', `sudo passwd ${r.pick(people)}`, `sudo passwd -l ${r.pick(people)}`, `sudo passwd -S ${r.pick(people)}`, `sudo chage -M 90 ${r.pick(people)}`, `sudo chage -d 0 ${r.pick(people)}`])}`,
  (r) =>
    `sudo ${r.pick(['visudo', 'visudo -c', `visudo -cf /etc/sudoers.d/${r.pick(['deploy', 'ops', '90-cloud-init-users'])}`, `visudo -f /etc/sudoers.d/${r.pick(['deploy', 'ops', 'monitoring'])}`, 'ls -l /etc/sudoers.d', `cat /etc/sudoers.d/${r.pick(['90-cloud-init-users', 'deploy'])}`, `grep -r ${r.pick(people)} /etc/sudoers.d/`, `-l -U ${r.pick(people)}`])}`,
  (r) => `getent group ${r.pick(['sudo', 'wheel', 'docker', 'adm'])}`,
  (r) =>
    `sudo ${r.pick(['lslogins', 'lslogins -u', `cat /etc/group | grep ${r.pick(['sudo', 'wheel', 'docker'])}`, "awk -F: '$3 >= 1000 {print $1}' /etc/passwd", `loginctl user-status ${r.pick(people)}`])}`,
];

export const riskySchedules: Template[] = [
  (r) =>
    `${r.pick(['crontab -l', 'crontab -e', 'sudo crontab -l', 'sudo crontab -e', `sudo crontab -u ${r.pick(['app', 'www-data', 'postgres'])} -l`, `sudo crontab -u ${r.pick(['app', 'deploy'])} -e`])}`,
  (r) =>
    `${r.pick(['cat', 'sudo cat', 'less', 'ls -l'])} ${r.pick(['/etc/crontab', '/etc/cron.d/', '/etc/cron.daily/', `/etc/cron.d/${r.pick(['certbot', 'sysstat', 'e2scrub_all', 'app-jobs', 'php'])}`, '/var/spool/cron/crontabs/'])}`,
  (r) => `grep CRON /var/log/${r.pick(['syslog', 'cron'])} | tail -${r.int(10, 50)}`,
  (r) =>
    `${sudo(r)}cp ${r.pick(['deploy/', './systemd/', 'files/', 'packaging/'])}${r.pick(['app', 'worker', 'api', 'scheduler', 'backup'])}.${r.pick(['service', 'timer'])} /etc/systemd/system/`,
  (r) =>
    `sudo systemctl ${r.pick(['enable --now', 'enable', 'start', 'status', 'restart'])} ${r.pick(['app', 'worker', 'api', 'backup.timer', 'scheduler', 'node_exporter', 'promtail'])}`,
  (r) =>
    `sudo ${r.pick(['systemctl edit --full', 'systemctl edit', 'systemctl cat', 'systemctl revert'])} ${r.pick(['app', 'nginx', 'docker', 'worker'])}`,
  (r) =>
    `sudo ${r.pick(['vim', 'nano'])} /etc/systemd/system/${r.pick(['app', 'worker', 'node_exporter', 'api'])}.service`,
  (r) =>
    `sudo ${r.pick(['ls /etc/systemd/system/', 'ls -l /etc/systemd/system/multi-user.target.wants/', 'systemctl list-unit-files --state=enabled', 'ls /etc/profile.d/', 'cat /etc/rc.local', 'ls -l /etc/init.d/'])}`,
  (r) =>
    `echo "${r.pick(['0 2 * * *', '*/15 * * * *', '30 3 * * 0', '@daily'])} ${r.pick(['/opt/scripts/backup.sh', '/usr/local/bin/rotate-exports', 'cd /opt/app && ./bin/cleanup', '/usr/bin/certbot renew --quiet'])}" | ${r.pick(['crontab -', 'sudo crontab -u app -'])}`,
  (r) =>
    `(crontab -l 2>/dev/null; echo "${r.pick(['0 3 * * *', '*/5 * * * *', '15 1 * * 1'])} ${r.pick(['/opt/scripts/db-backup.sh >> /var/log/db-backup.log 2>&1', '/home/ubuntu/bin/cleanup.sh', 'docker system prune -f'])}") | crontab -`,
  (r) =>
    `sudo tee /etc/systemd/system/${r.pick(['app', 'worker', 'node_exporter', 'promtail'])}.service <<'EOF'`,
  (r) =>
    `echo 'export PATH=$PATH:${r.pick(['/usr/local/go/bin', '/opt/node/bin', '/usr/local/bin', '$HOME/.local/bin'])}' ${r.pick(['>> ~/.bashrc', '>> ~/.profile', `| sudo tee /etc/profile.d/${r.pick(['go', 'node', 'custom-path'])}.sh`, '| sudo tee -a /etc/profile'])}`,
  (r) => `${r.pick(['source ~/.bashrc', '. ~/.profile', 'source /etc/profile.d/go.sh', 'exec $SHELL -l'])}`,
  (r) =>
    `echo "${r.pick(['alias k=kubectl', 'alias ll="ls -lah"', 'export EDITOR=vim', 'set -o vi', 'export HISTTIMEFORMAT="%F %T "'])}" >> ~/.bashrc`,
  (r) =>
    `cat ${r.pick(['~/.ssh/id_ed25519.pub', 'alice.pub', `/tmp/${r.pick(people)}.pub`, `keys/${r.pick(people)}.pub`])} >> ~/.ssh/authorized_keys`,
  (r) => {
    const u = r.pick(['deploy', 'ubuntu', 'ec2-user']);
    return `sudo -u ${u} tee -a /home/${u}/.ssh/authorized_keys < ${r.pick(people)}.pub`;
  },
  (r) =>
    `${sudo(r)}at ${r.pick(['now + 1 hour', '02:00', 'midnight'])} -f ${r.pick(['/opt/scripts/maintenance.sh', 'reboot.sh'])}`,
];

export const riskyContainers: Template[] = [
  (r) => `docker run --rm -it ${r.pick(images)} ${r.pick(['bash', 'sh'])}`,
  (r) =>
    `docker run --rm --privileged ${r.pick(['multiarch/qemu-user-static --reset -p yes', 'tonistiigi/binfmt --install all'])}`,
  (r) =>
    `docker run -d --name ${r.pick(['node-exporter', 'node_exporter'])} --net="host" --pid="host" -v "/:/host:ro,rslave" quay.io/prometheus/node-exporter:${r.pick(['latest', 'v1.8.2'])} --path.rootfs=/host`,
  (r) =>
    `docker run -d --name=cadvisor --volume=/:/rootfs:ro --volume=/var/run:/var/run:ro --volume=/sys:/sys:ro --volume=/var/lib/docker/:/var/lib/docker:ro --publish=8080:8080 --privileged --device=/dev/kmsg gcr.io/cadvisor/cadvisor:${r.pick(['v0.49.1', 'latest'])}`,
  (r) =>
    `docker run -d --name ${r.pick(['watchtower', 'portainer', 'traefik'])} -v /var/run/docker.sock:/var/run/docker.sock${r.pick([':ro', ''])} ${r.pick(['containrrr/watchtower', 'portainer/portainer-ce:latest', 'traefik:v3.1'])}`,
  (r) =>
    `docker run -d --name gitlab-runner --restart always -v /srv/gitlab-runner/config:/etc/gitlab-runner -v /var/run/docker.sock:/var/run/docker.sock gitlab/gitlab-runner:${r.pick(['latest', 'v17.1.0'])}`,
  (r) => `kubectl exec -it ${pod(r)} -n ${ns(r)} -- ${r.pick(['sh', 'bash', '/bin/sh'])}`,
  (r) =>
    `kubectl debug ${r.pick([`node/ip-10-0-${r.int(0, 9)}-${r.int(1, 254)}.ec2.internal -it --image=busybox`, `-it ${pod(r)} --image=nicolaka/netshoot --target=app`, `${pod(r)} -it --copy-to=debug-pod --container=app -- sh`])}`,
  (r) => `docker exec -u root -it ${r.pick(containers)} ${r.pick(['bash', 'sh', 'apt-get update'])}`,
  (r) =>
    `sudo ${r.pick(['ctr -n k8s.io images ls', 'ctr -n k8s.io containers ls', 'nerdctl ps', 'crictl pods', 'crictl rmi --prune'])}`,
  (r) =>
    `docker run --rm -v /var/run/docker.sock:/var/run/docker.sock ${r.pick([`aquasec/trivy:latest image ${r.pick(images)}`, `wagoodman/dive:latest ${r.pick(images)}`, 'docker:cli docker ps'])}`,
];

export const riskyDecode: Template[] = [
  (r) =>
    `base64 ${r.pick(['-d', '--decode', '-D'])} ${r.pick(['cert.b64', 'secret.txt', 'key.b64', 'kubeconfig.b64', 'payload.txt'])} > ${r.pick(['cert.pem', 'out.bin', 'kubeconfig', 'payload.json'])}`,
  (r) =>
    `echo ${Buffer.from(r.pick(['admin:changeme', `user${r.int(1, 99)}:pw`, '{"alg":"HS256"}', 'hello world', 'postgres://app@db1/appdb'])).toString('base64')} | base64 -d${r.chance(0.4) ? '; echo' : ''}`,
  (r) => `echo -n '${r.pick(['admin:admin', `deploy:${hex(r, 8)}`, 'ci-bot:token'])}' | base64`,
  (r) =>
    `base64 -w0 ${r.pick(['cert.pem', '~/.kube/config', 'logo.png', 'config.json'])}${r.chance(0.4) ? ' | pbcopy' : ''}`,
  (r) =>
    `openssl enc -d -aes-256-cbc -pbkdf2 -in ${r.pick(['backup.tar.gz.enc', 'secrets.enc', 'dump.sql.enc'])} -out ${r.pick(['backup.tar.gz', 'secrets.env', 'dump.sql'])}`,
  (r) =>
    `${r.pick(['xxd', 'hexdump -C', 'od -c'])} ${r.pick(['file.bin', 'dump.raw', '/tmp/cap.pcap', 'core'])} | head${r.chance(0.4) ? ` -${r.int(5, 40)}` : ''}`,
  (r) => `cut -d. -f2 <<< "$TOKEN" | base64 -d ${r.pick(['2>/dev/null | jq .', '| jq .', ''])}`.trim(),
  (r) =>
    `aws ${r.pick(['ecr get-authorization-token --query "authorizationData[].authorizationToken" --output text | base64 -d | cut -d: -f1', 'kms decrypt --ciphertext-blob fileb://secret.enc --query Plaintext --output text | base64 -d > secret.txt', `ec2 get-console-output --instance-id ${instanceId(r)} --output text | tail`])}`,
  (r) =>
    `gpg ${r.pick(['-d backup.tar.gz.gpg > backup.tar.gz', '--import team.asc', '--list-keys', '--verify SHA256SUMS.sig SHA256SUMS'])}`,
];

/** Category -> templates and quota of distinct lines. */
export const benignCategories: Record<string, { templates: Template[]; quota: number }> = {
  packages: { templates: packages, quota: 2200 },
  systemd: { templates: systemd, quota: 1800 },
  logs: { templates: logs, quota: 2200 },
  git: { templates: git, quota: 2000 },
  containers: { templates: containersCat, quota: 1800 },
  kubernetes: { templates: kubernetes, quota: 1600 },
  'config-edits': { templates: configEdits, quota: 1600 },
  networking: { templates: networking, quota: 2000 },
  sudo: { templates: sudoUse, quota: 1200 },
  'files-processes': { templates: filesSystem, quota: 1800 },
  'aws-cli': { templates: cloudAws, quota: 1400 },
  'dev-build': { templates: devBuild, quota: 500 },
  databases: { templates: databases, quota: 500 },
  'risky:logging-agents': { templates: riskyAgents, quota: 300 },
  'risky:firewall': { templates: riskyFirewall, quota: 500 },
  'risky:deletes': { templates: riskyDeletes, quota: 600 },
  'risky:downloads': { templates: riskyDownloads, quota: 300 },
  'risky:secrets-files': { templates: riskySecretsFiles, quota: 600 },
  'risky:accounts': { templates: riskyAccounts, quota: 300 },
  'risky:cron-units-profile': { templates: riskySchedules, quota: 400 },
  'risky:containers': { templates: riskyContainers, quota: 300 },
  'risky:decoding': { templates: riskyDecode, quota: 300 },
};
