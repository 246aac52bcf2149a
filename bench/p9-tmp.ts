import { openStore } from '../src/store/open.ts';
import { searchCommands } from '../src/store/search.ts';

const store = openStore('/work/main/bench/corpus/search/search.db', { readonly: true });
const qs: any[] = [
  { text: 'iptables -F', region: 'eu-west-1' },
  { text: 'sudo', actor: 'alice.ops0@example.com' },
  { text: 'docker', since: Date.parse('2025-06-01T00:00:00Z'), until: Date.parse('2025-06-02T00:00:00Z') },
  { text: 'rm -rf', target: 'i-01a1c76a105d2f443' },
  { text: '8080:80' },
];
for (const q of qs) {
  for (let i = 0; i < 3; i++) searchCommands(store, q);
  const ts: number[] = [];
  let r: any;
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    r = searchCommands(store, q);
    ts.push(performance.now() - s);
  }
  ts.sort((a, b) => a - b);
  console.log(JSON.stringify(q).slice(0, 60).padEnd(60), ts[10]!.toFixed(2), r.plan, r.total);
}
