/**
 * Benign templates for the detection corpus: everyday admin work (packages, systemd, logs, git,
 * containers, config edits, networking checks, sudo use), and risky-but-legitimate commands an
 * operator types on a normal day (restarting the agents, reading firewall rules, deleting build
 * trees, fetching the instance id from the metadata service) that a good rule must leave alone.
 */
import type { Template } from './detect-attacks.ts';
import { hex, type Rng } from './random.ts';

const svc = (r: Rng) =>
  r.pick([
    'nginx',
    'api',
    'worker',
    'postgresql',
    'redis',
    'docker',
    'sshd',
    'chronyd',
    'node_exporter',
    'crond',
  ]);
const pkg = (r: Rng) =>
  r.pick([
    'htop',
    'jq',
    'git',
    'vim',
    'nginx',
    'curl',
    'unzip',
    'tmux',
    'python3-pip',
    'nodejs',
    'awscli',
    'tree',
  ]);
const dir = (r: Rng) =>
  r.pick([
    '/var/log',
    '/etc/nginx',
    '/opt/app',
    '/srv/www',
    '/home/ec2-user',
    '/tmp',
    '/var/lib/docker',
    '~',
  ]);
const conf = (r: Rng) =>
  r.pick([
    '/etc/nginx/nginx.conf',
    '/etc/hosts',
    '/opt/app/config.yaml',
    '/etc/ssh/sshd_config',
    '/etc/fstab',
  ]);
const log = (r: Rng) =>
  r.pick(['/var/log/nginx/access.log', '/var/log/messages', '/var/log/syslog', '/opt/app/logs/app.log']);
const branch = (r: Rng) =>
  r.pick(['main', 'develop', `feature/${hex(r, 4)}`, `fix/ticket-${r.int(100, 9999)}`]);
const ver = (r: Rng) => `${r.int(1, 3)}.${r.int(0, 30)}.${r.int(0, 20)}`;
const host = (r: Rng) =>
  r.pick(['db1.internal', 'api.example.com', '10.0.1.15', 'github.com', 'google.com', 'localhost']);
const ctr = (r: Rng) => r.pick(['web', 'api', 'worker', 'redis', `app-${hex(r, 6)}`]);
const img = (r: Rng) => r.pick(['nginx:1.27', 'postgres:16', 'redis:7', 'node:20-alpine', `app:${ver(r)}`]);
const n = (r: Rng) => r.int(1, 500);

export const everyday: Template[] = [
  (r) => `sudo ${r.pick(['apt-get', 'apt'])} install -y ${pkg(r)}`,
  (r) => `sudo ${r.pick(['yum', 'dnf'])} install -y ${pkg(r)}`,
  (r) =>
    r.pick([
      'sudo apt-get update',
      'sudo apt update && sudo apt upgrade -y',
      'sudo yum update -y',
      'sudo dnf check-update',
    ]),
  (r) => `${r.pick(['apt list --installed', 'rpm -qa', 'dpkg -l'])} | grep ${pkg(r)}`,
  (_r) => `pip install -r requirements.txt`,
  (r) =>
    `${r.pick(['npm ci', 'npm install', 'npm run build', 'npm test', 'yarn install --frozen-lockfile'])}`,
  (r) => `sudo systemctl ${r.pick(['status', 'restart', 'reload', 'start', 'is-active'])} ${svc(r)}`,
  (r) => `systemctl list-units --type=service --state=${r.pick(['running', 'failed'])}`,
  (r) =>
    `sudo journalctl -u ${svc(r)} ${r.pick(['-f', '--since "1 hour ago"', `-n ${n(r)}`, '--no-pager -e'])}`,
  (r) => `tail -${r.pick(['f', `n ${n(r)}`, 'F'])} ${log(r)}`,
  (r) =>
    `grep -${r.pick(['i', 'c', 'n', 'E'])} "${r.pick(['error', 'timeout', '502', 'WARN', 'Connection refused'])}" ${log(r)}`,
  (r) => `less ${log(r)}`,
  (r) => `zcat ${log(r)}.${r.int(1, 9)}.gz | grep ${r.int(200, 599)} | wc -l`,
  (r) => `cd ${dir(r)}`,
  (r) => `ls -${r.pick(['la', 'lh', 'ltr', 'al'])} ${dir(r)}`,
  (_r) => `df -h`,
  (r) =>
    r.pick(['free -m', 'uptime', 'top -bn1 | head -20', 'w', 'who', 'id', 'hostname -f', 'date', 'uname -r']),
  (r) => `du -sh ${dir(r)}/* | sort -h | tail -${r.int(3, 20)}`,
  (r) => `ps aux | grep ${svc(r)}`,
  (r) => `git ${r.pick(['status', 'pull', 'fetch --all', 'log --oneline -20', 'diff', 'stash list'])}`,
  (r) => `git checkout ${branch(r)}`,
  (r) => `git commit -am "${r.pick(['fix config', 'bump version', 'update nginx timeouts'])} ${hex(r, 4)}"`,
  (r) => `git log --since="${r.int(1, 30)} days ago" --author=${r.pick(['alice', 'bob', 'carol'])}`,
  (r) => `docker ps ${r.pick(['', '-a', '--format "{{.Names}}"'])}`,
  (r) => `docker logs --tail ${n(r)} ${ctr(r)}`,
  (r) => `docker exec -it ${ctr(r)} ${r.pick(['sh', 'bash', 'env', 'cat /etc/os-release'])}`,
  (r) => `docker pull ${img(r)}`,
  (r) => `docker run -d --name ${ctr(r)} -p ${r.int(3000, 9000)}:${r.pick([80, 8080, 3000])} ${img(r)}`,
  (r) => `docker compose ${r.pick(['up -d', 'down', 'ps', 'logs -f', 'pull', 'restart'])}`,
  (r) =>
    `kubectl ${r.pick(['get pods', 'get pods -A', 'describe pod', 'logs -f', 'get nodes'])} ${r.chance(0.5) ? ctr(r) : ''}`.trim(),
  (r) => `sudo vim ${conf(r)}`,
  (r) => `sudo nano ${conf(r)}`,
  (r) => `sudo cp ${conf(r)} ${conf(r)}.bak.${r.int(20240101, 20261231)}`,
  (r) => `sudo sed -i 's/worker_connections ${n(r)}/worker_connections ${n(r)}/' /etc/nginx/nginx.conf`,
  (_r) => `sudo nginx -t && sudo systemctl reload nginx`,
  (r) => `cat ${conf(r)}`,
  (r) => `echo "${r.pick(['LOG_LEVEL=debug', 'WORKERS=4', 'FEATURE_X=true'])}" >> /opt/app/.env`,
  (r) => `ping -c ${r.int(1, 10)} ${host(r)}`,
  (r) =>
    `curl -${r.pick(['I', 's -o /dev/null -w "%{http_code}"', 'v', 'sS'])} https://${host(r)}/${r.pick(['health', 'status', ''])}`,
  (r) => `dig +short ${host(r)}`,
  (r) => `nc -zv ${host(r)} ${r.pick([22, 443, 5432, 6379, 3306])}`,
  (r) => `ss -${r.pick(['tlnp', 'tunap', 's'])}`,
  (r) => `traceroute ${host(r)}`,
  (r) => `ip ${r.pick(['a', 'r', 'link show', 'addr show eth0'])}`,
  (_r) => `sudo -i`,
  (r) => `sudo su - ${r.pick(['postgres', 'app', 'deploy'])}`,
  (r) => `sudo chown -R ${r.pick(['app:app', 'www-data:www-data', 'ec2-user'])} ${dir(r)}/${hex(r, 3)}`,
  (r) => `sudo chmod ${r.pick(['644', '755', '600', 'g+w'])} ${conf(r)}`,
  (r) => `find ${dir(r)} -name "*.${r.pick(['log', 'conf', 'tmp', 'py'])}" -mtime +${r.int(1, 60)}`,
  (r) => `tar czf /tmp/backup-${r.int(20240101, 20261231)}.tgz ${dir(r)}`,
  (r) =>
    `aws s3 ${r.pick(['ls', 'cp /tmp/backup.tgz', 'sync ./dist'])} s3://${r.pick(['backups', 'artifacts', 'logs'])}-${hex(r, 4)}/`,
  (r) =>
    `aws ${r.pick(['ec2 describe-instances', 'sts get-caller-identity', 'ssm get-parameter --name /app/db/host'])} --region ${r.pick(['us-east-1', 'eu-west-1'])}`,
  (r) =>
    `psql -h ${host(r)} -U ${r.pick(['app', 'postgres'])} -c "select count(*) from ${r.pick(['users', 'orders', 'jobs'])}"`,
  (r) => `redis-cli -h ${host(r)} ${r.pick(['info', 'ping', 'dbsize', 'monitor'])}`,
  (r) =>
    `python3 ${r.pick(['manage.py migrate', 'manage.py shell', '-m http.server 8000', 'scripts/report.py'])}`,
  (r) => `openssl x509 -in /etc/ssl/certs/${r.pick(['app', 'api'])}.pem -noout -dates`,
  (r) => `sudo certbot renew ${r.pick(['--dry-run', ''])}`.trim(),
  (r) => `history | grep ${r.pick(['docker', 'ssh', 'git', 'kubectl'])}`,
  (r) => `history | tail -${r.int(10, 50)}`,
  (r) =>
    `export ${r.pick(['AWS_PROFILE=prod', 'EDITOR=vim', 'NODE_ENV=production', 'PATH=$PATH:/usr/local/go/bin'])}`,
  (r) => `watch -n ${r.int(1, 10)} "${r.pick(['df -h', 'docker ps', 'ss -s'])}"`,
  (r) => `for i in $(seq 1 ${r.int(3, 20)}); do curl -s localhost:${r.int(3000, 9000)}/health; done`,
  (r) => `wc -l ${log(r)}`,
  (r) => `awk '{print $${r.int(1, 9)}}' ${log(r)} | sort | uniq -c | sort -rn | head`,
  (_r) => `crontab -l`,
  (_r) => `sudo ls /etc/cron.d`,
  (r) => `mkdir -p /opt/app/releases/${r.int(20240101, 20261231)}${hex(r, 3)}`,
  (r) => `rsync -avz ./dist/ deploy@${host(r)}:/srv/www/`,
  (r) =>
    `scp ${r.pick(['report.csv', 'dump.sql.gz', 'app.tar.gz'])} ${r.pick(['deploy', 'ec2-user'])}@${host(r)}:/tmp/`,
  (r) => `ssh ${r.pick(['deploy', 'ec2-user'])}@${host(r)}`,
  (r) => `make ${r.pick(['build', 'test', 'install', 'clean'])}`,
  (r) => `vmstat ${r.int(1, 5)} ${r.int(3, 10)}`,
  (r) => `iostat -x ${r.int(1, 5)}`,
  (r) => `sudo lsof -i :${r.pick([80, 443, 5432, 8080])}`,
  (r) => `env | grep -i ${r.pick(['proxy', 'node', 'java'])}`,
  (r) => `terraform ${r.pick(['plan', 'init', 'fmt', 'validate'])}`,
];

export const risky: Template[] = [
  (r) =>
    `sudo systemctl restart ${r.pick(['rsyslog', 'amazon-ssm-agent', 'auditd', 'amazon-cloudwatch-agent'])}`,
  (r) => `sudo systemctl status ${r.pick(['auditd', 'rsyslog', 'amazon-ssm-agent', 'firewalld'])}`,
  (r) => `sudo auditctl ${r.pick(['-l', '-s', '-w /etc/passwd -p wa -k passwd'])}`,
  (r) =>
    `sudo /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a ${r.pick(['status', 'fetch-config -m ec2 -c file:/opt/aws/cw.json -s'])}`,
  (r) => `sudo journalctl --vacuum-time=${r.pick(['7d', '2weeks', '30d', '14d'])}`,
  (r) =>
    `sudo iptables -${r.pick(['L -n -v', 'S', 'L INPUT --line-numbers', 'A INPUT -p tcp --dport 443 -j ACCEPT'])}`,
  (r) => `sudo ufw ${r.pick(['status verbose', 'allow 443/tcp', 'allow from 10.0.0.0/8', 'enable'])}`,
  (r) => `sudo ${r.pick(['nft list ruleset', 'firewall-cmd --list-all', 'firewall-cmd --reload'])}`,
  (r) =>
    `rm -rf ${r.pick(['./build', 'node_modules', 'dist', '.cache', `/tmp/build-${r.int(1000, 99999)}`, 'target'])}`,
  (r) => `sudo rm -rf /var/cache/${r.pick(['apt/archives/*.deb', 'yum', 'dnf'])}`,
  (r) => `rm -f ${r.pick(['*.log', '/tmp/*.tmp', 'core.*', `/opt/app/logs/app.log.${r.int(1, 9)}`])}`,
  (r) => `dd if=/dev/zero of=/tmp/test.img bs=1M count=${r.int(10, 1000)}`,
  (r) => `sudo mkfs -t ${r.pick(['xfs', 'ext4'])} /dev/nvme${r.int(1, 3)}n1`,
  (r) =>
    `curl -s http://169.254.169.254/latest/meta-data/${r.pick(['instance-id', 'placement/availability-zone', 'local-ipv4', 'instance-type'])}`,
  (r) => `ls -l ${r.pick(['/etc/shadow', '~/.aws', '~/.ssh'])}`,
  (r) =>
    `cat ${r.pick(['/etc/passwd', '/etc/group', '~/.ssh/id_rsa.pub', '~/.ssh/authorized_keys', '~/.aws/config'])}`,
  (r) => `ssh-keygen -t ed25519 -C "${r.pick(['alice', 'deploy'])}@${hex(r, 4)}"`,
  (r) => `chmod 600 ~/.ssh/${r.pick(['authorized_keys', 'id_ed25519', 'config'])}`,
  (_r) => `aws configure list`,
  (r) => `id ${r.pick(['deploy', 'app', 'ubuntu'])}; getent passwd ${r.pick(['deploy', 'app'])}`,
  (r) => `sudo ${r.pick(['visudo -c', 'visudo', 'ls /etc/sudoers.d', '-l'])}`,
  (r) =>
    `sudo useradd ${r.pick(['-r', '--system'])} -s ${r.pick(['/usr/sbin/nologin', '/bin/false'])} ${r.pick(['node_exporter', 'prometheus', 'app'])}`,
  (r) => `sudo passwd ${r.pick(['deploy', 'alice'])}`,
  (_r) => `sudo crontab -e`,
  (r) => `sudo systemctl enable --now ${svc(r)}`,
  (_r) => `sudo systemctl daemon-reload`,
  (r) => `sudo cp ./deploy/${r.pick(['app', 'worker'])}.service /etc/systemd/system/`,
  (_r) => `curl -fsSL https://get.docker.com -o get-docker.sh`,
  (r) =>
    `curl -LO https://github.com/${r.pick(['prometheus/node_exporter', 'cli/cli'])}/releases/download/v${ver(r)}/pkg.tar.gz`,
  (r) =>
    `wget https://${r.pick(['nodejs.org/dist', 'go.dev/dl'])}/v${ver(r)}/release.tar.gz && tar xzf release.tar.gz`,
  (r) => `base64 -d ${r.pick(['cert.b64', 'secret.txt', 'key.b64'])} > ${r.pick(['cert.pem', 'out.bin'])}`,
  (r) => `echo ${Buffer.from(`user${r.int(1, 99)}:pw`).toString('base64')} | base64 -d`,
  (_r) =>
    `sudo yum install -y https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/linux_amd64/amazon-ssm-agent.rpm`,
  (r) =>
    `sudo dnf install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-${r.pick([8, 9])}.noarch.rpm`,
  (r) => `sudo apt install -y ./${r.pick(['app', 'agent'])}_${ver(r)}_amd64.deb`,
  (r) =>
    `docker run --rm -it ${r.pick(['ubuntu:22.04', 'alpine', 'amazonlinux:2023'])} ${r.pick(['bash', 'sh'])}`,
  (r) =>
    `docker run --rm -v $(pwd):/work -w /work ${r.pick(['node:20', 'golang:1.22'])} ${r.pick(['npm test', 'go build ./...'])}`,
  (_r) => `docker run --rm --privileged multiarch/qemu-user-static --reset -p yes`,
  (r) => `kubectl exec -it ${ctr(r)} -- ${r.pick(['sh', 'bash'])}`,
  (r) =>
    `sudo tail -n ${n(r)} ${r.pick(['/var/log/auth.log', '/var/log/secure', '/var/log/audit/audit.log'])}`,
  (r) => `sudo kill -HUP $(pidof ${r.pick(['nginx', 'rsyslogd'])})`,
  (r) => `sudo truncate -s 0 /opt/app/logs/${r.pick(['app', 'worker'])}.log`,
  (r) => `nc -l ${r.int(8000, 9999)}`,
  (_r) => `echo $HISTFILE`,
];
