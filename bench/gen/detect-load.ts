/**
 * Load for the detection speed bench: 1,000,000 realistic command lines (benign admin work with
 * ~1% attack lines, each varied by paths, ids and pipelines so that >= 90% are distinct and no memo
 * cache can help), and Sigma-style process_creation / keyword rules generated in bulk on top of the
 * built-in pack and the SigmaHQ fixture.
 */
import { attackLines, benignLine } from './detect-corpus.ts';
import { hex, type Rng } from './random.ts';

const tails: ((r: Rng) => string)[] = [
  (r) => ` | grep -v ${hex(r, 6)}`,
  (r) => ` > /tmp/out-${hex(r, 8)}.txt`,
  (r) => ` 2>&1 | tee -a /var/tmp/run-${r.int(1, 99999)}.log`,
  (r) => ` | head -n ${r.int(1, 5000)}`,
  (r) => ` && echo done-${hex(r, 5)}`,
  (r) => ` || logger -t deploy failed-${r.int(1, 99999)}`,
];
const heads: ((r: Rng) => string)[] = [
  (r) => `cd /opt/app/releases/${hex(r, 10)} && `,
  (r) => `TRACE_ID=${hex(r, 16)} `,
  (r) => `sudo -u app${r.int(1, 40)} `,
  (_r) => `time `,
];

/** `count` lines; attack lines (from the corpus templates, fresh seed) are mixed in at ~1%. */
export function loadLines(rng: Rng, count: number): string[] {
  const attacks = attackLines(rng, 200).map((l) => l.text);
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.01)) {
      out[i] = rng.pick(attacks);
      continue;
    }
    let text = benignLine(rng).text;
    if (rng.chance(0.7)) text = rng.pick(heads)(rng) + text;
    if (rng.chance(0.9)) text += rng.pick(tails)(rng);
    out[i] = text;
  }
  return out;
}

const tools = [
  'curl',
  'wget',
  'python3',
  'perl',
  'nc',
  'socat',
  'openssl',
  'tar',
  'find',
  'chmod',
  'chattr',
  'setcap',
  'gcc',
  'ssh',
  'scp',
  'rsync',
  'dd',
  'mount',
  'kubectl',
  'docker',
  'aws',
  'git',
  'base64',
  'xxd',
  'crontab',
  'systemctl',
  'iptables',
  'useradd',
  'passwd',
  'tcpdump',
];
const flags = [
  '--insecure',
  '-k',
  '--no-check-certificate',
  '-e',
  '--exec',
  '+i',
  'cap_setuid',
  '--privileged',
  '--output',
  '-x',
  '-R 777',
  '--to-command',
  '--checkpoint-action',
  '-perm -4000',
  'ProxyCommand',
  'LocalCommand',
  'if=/dev/mem',
  '--bind',
  'create secret',
  'ssm start-session',
  'config --global',
  '-d',
  '-r',
  '-w',
  'enable',
];
const words = [
  'meterpreter',
  'mimikatz',
  'linpeas',
  'pspy',
  'chisel',
  'ligolo',
  'xmrig',
  'stratum+tcp',
  'kinsing',
  'kdevtmpfsi',
  'masscan',
  'zgrab',
  'hydra',
  'john',
  'hashcat',
  'LD_PRELOAD',
  '/etc/ld.so.preload',
  'insmod',
  'bpftrace',
  'polkit',
];

/** `count` generated rules in the shapes SigmaHQ's Linux rules use (endswith + contains, keywords). */
export function generatedRules(rng: Rng, count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const head = `title: Generated rule ${i}\nid: ${id}\nlevel: ${rng.pick(['low', 'medium', 'high'])}\nauthor: bench\n`;
    if (i % 4 === 3) {
      const kw = [
        rng.pick(words),
        `${rng.pick(words)}-${hex(rng, 4)}`,
        `${rng.pick(tools)} ${rng.pick(flags)} ${hex(rng, 3)}`,
      ];
      docs.push(
        `${head}logsource:\n  product: linux\ndetection:\n  keywords:\n${kw.map((k) => `    - '${k}'`).join('\n')}\n  condition: keywords\n`,
      );
    } else {
      const tool = rng.pick(tools);
      const contains = [rng.pick(flags), rng.pick(words), `${rng.pick(flags)} ${rng.pick(words)}`];
      const filter =
        i % 3 === 0
          ? `  filter:\n    CommandLine|contains: '${rng.pick(words)}'\n  condition: selection and not filter\n`
          : '  condition: selection\n';
      docs.push(
        `${head}logsource:\n  product: linux\n  category: process_creation\ndetection:\n  selection:\n    Image|endswith: '/${tool}'\n    CommandLine|contains${i % 5 === 0 ? '|all' : ''}:\n${contains.map((c) => `      - '${c}'`).join('\n')}\n${filter}`,
      );
    }
  }
  return docs.join('---\n');
}
