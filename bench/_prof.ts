import Database from 'better-sqlite3';
const db = new Database('bench/corpus/search/search.db', { readonly: true });
db.pragma('cache_size = -65536');
const t=(label: string, f: ()=>unknown, n=15)=>{f(); const ts:number[]=[]; let r:unknown; for(let i=0;i<n;i++){const s=performance.now(); r=f(); ts.push(performance.now()-s);} ts.sort((a,b)=>a-b); console.log(label.padEnd(40), ts[Math.floor(n/2)]!.toFixed(2),'ms', JSON.stringify(r).slice(0,120));};
for (const q of ['sudo su -', '8080:80', "-F: '{print $1}'", 'rm -rf /tmp', '/etc/nginx/conf.d', 'base64 -d', 'nc -e /bin/sh']) {
  const m = `"${q.replaceAll('"','""')}"`;
  t(`fts rowids ${q}`, ()=>db.prepare(`select rowid from commands_fts where commands_fts match ? limit 10000`).pluck().all(m).length);
  t(`fts count ${q}`, ()=>db.prepare(`select count(*) from commands_fts where commands_fts match ?`).pluck().get(m));
  const ids = db.prepare(`select rowid from commands_fts where commands_fts match ? limit 10000`).pluck().all(m);
  t(`  join at ${q}`, ()=>db.prepare(`select c.id, c.at from json_each(?) j cross join commands c on c.id=j.value`).raw().all(JSON.stringify(ids)).length);
  t(`  join at+like ${q}`, ()=>db.prepare(`select c.id, c.at from json_each(?) j cross join commands c on c.id=j.value where c.text like ?`).raw().all(JSON.stringify(ids), `%${q}%`).length);
}
