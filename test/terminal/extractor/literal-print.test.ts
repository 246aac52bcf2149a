import { describe, expect, it } from 'vitest';
import { printsOnlyItsText } from '../../../src/terminal/extractor/literal-print.ts';
import { extractFromCloudWatch } from '../../../src/terminal/index.ts';

const texts = (r: { commands: { text: string }[] }) => r.commands.map((c) => c.text);
const at = (lines: string[]) => lines.map((text, i) => ({ text, timestamp: 1000 * i }));

describe('printsOnlyItsText', () => {
  it('accepts printf/echo of literal, quoted arguments', () => {
    expect(printsOnlyItsText("printf 'root@h:~# id\\nuid=0(root)\\n'")).toBe(true);
    expect(printsOnlyItsText("printf '\\033[01;32muser@h\\033[00m:~$ sudo reboot\\n'")).toBe(true);
    expect(printsOnlyItsText('echo "hello world" plain\\;word')).toBe(true);
  });

  it('refuses anything that can print more than its text', () => {
    for (const command of [
      "printf 'x\\n'; cat fake",
      'echo $(cat fake)',
      'echo "$HOME"',
      'echo `id`',
      'echo *',
      'echo x > f',
      'echo x | tee f',
      "printf 'open",
      'cat notes.txt',
      'echo ~',
    ])
      expect(printsOnlyItsText(command), command).toBe(false);
  });
});

describe('CloudWatch form: a prompt line after a literal printf', () => {
  const host = 'ssm-user@ip-10-0-1-11:~$ ';
  it('keeps a real command whose output imitates other prompts (no colours left to verify it)', () => {
    const r = extractFromCloudWatch(
      at([
        `${host}printf 'root@ip-10-0-1-11:~# id\\nuid=0(root)\\n'`,
        'root@ip-10-0-1-11:~# id',
        'uid=0(root)',
        `${host}cat notes.txt`,
        '$ sudo systemctl restart nginx',
        '[root@ip-10-0-1-11 ~]# rm -rf /var/www',
        `${host}curl http://169.254.169.254/`,
        'sh-4.2$ cat /etc/shadow',
        `${host}id`,
        'uid=1001(ssm-user)',
        host,
      ]),
    );
    expect(texts(r)).toEqual(["printf 'root@ip-10-0-1-11:~# id\\nuid=0(root)\\n'", 'cat notes.txt', 'id']);
  });

  it('still takes a line as imitation after a command that can print anything', () => {
    const r = extractFromCloudWatch(
      at([
        `${host}cat fake`,
        `${host}sudo reboot`,
        '[root@ip-10-0-1-11 ~]# rm -rf /var/www',
        `${host}id`,
        'uid=1001(ssm-user)',
        host,
      ]),
    );
    expect(texts(r)).toEqual(['cat fake', 'id']);
  });
});
