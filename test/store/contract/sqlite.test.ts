/** The store contract on the SQLite dialect (a temporary file per test). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/store/index.ts';
import { defineStoreContract } from './contract.ts';

defineStoreContract('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'shelltrail-contract-'));
    const path = join(dir, 'store.db');
    return {
      store: await openStore(path),
      reopen: () => openStore(path),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      tamper: {
        updateAccessTrail: async () => raw(path, "UPDATE access_trail SET actor = 'nobody'"),
        deleteAccessTrail: async () => raw(path, 'DELETE FROM access_trail'),
      },
    };
  },
});

/** One statement through a connection of its own, as a user with the file and the sqlite3 tool would. */
function raw(path: string, statement: string): void {
  const db = new Database(path);
  try {
    db.prepare(statement).run();
  } finally {
    db.close();
  }
}
