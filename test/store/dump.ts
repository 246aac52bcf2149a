/**
 * A canonical dump of every table of a store: rows sorted, volatile columns dropped (the writer
 * lease, when a finding or alert was detected or delivered). Two stores holding the same facts dump identically.
 */
import Database from 'better-sqlite3';

// When a pass ran (not what the evidence says) differs between a killed-and-restarted run and an
// uninterrupted one: detection and delivery times, and the order extraction stored texts in.
const VOLATILE: Record<string, string[]> = {
  findings: ['detected_at'],
  alerts: ['created_at', 'updated_at'],
  outbox: ['created_at', 'next_attempt_at', 'delivered_at'],
  // A distinct text's row id depends on which session's commands were stored first.
  command_texts: ['id'],
};
// How the runs' polls went (source_polls) is about the runs, like the lease, not about the evidence.
const SKIP_TABLES = new Set(['writer_lease', 'source_polls']);

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
