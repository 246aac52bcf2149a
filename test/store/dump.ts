/**
 * A canonical dump of every table of a store: rows sorted, volatile columns dropped (the writer
 * lease, a finding's detection time). Two stores holding the same facts dump identically.
 */
import Database from 'better-sqlite3';

const VOLATILE: Record<string, string[]> = { findings: ['detected_at'] };
const SKIP_TABLES = new Set(['writer_lease']);

export function dumpStore(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string; sql: string | null }[];
    const virtual = tables.filter((t) => /CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      if (SKIP_TABLES.has(name) || name.startsWith('sqlite_')) continue;
      // FTS shadow tables store the same content in a layout that depends on insert batching.
      if (virtual.some((v) => name !== v && name.startsWith(`${v}_`))) continue;
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      out[name] = rows
        .map((r) => {
          for (const c of VOLATILE[name] ?? []) delete r[c];
          return JSON.stringify(r, (_, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
        })
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}
