/** The store contract on the SQLite dialect (a temporary file per test). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    };
  },
});
