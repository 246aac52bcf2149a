/**
 * The store contract: what every dialect of the store interface (src/store/index.ts) must do,
 * written against the interface only. `defineStoreContract` registers the suite for one dialect;
 * each test names the interface method it covers, and the last test fails when a method of the
 * dialect's store has no test naming it, so a method added to the interface cannot go untested.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.ts';
import { alertsContract } from './alerts.ts';
import { evidenceContract } from './evidence.ts';
import { queueAndFindingsContract } from './queue-findings.ts';
import { readsContract } from './reads.ts';
import { recordsContract } from './records.ts';
import { sessionFiltersContract } from './session-filters.ts';
import { sourcePollsContract } from './source-polls.ts';
import { tokensContract } from './tokens.ts';

export interface ContractHarness {
  /** A fresh, empty store (not holding the lease); `reopen` opens the same store again. */
  open(): Promise<{
    store: Store;
    reopen: () => Promise<Store>;
    cleanup: () => Promise<void>;
    /**
     * Changes to the access trail made around the interface, with the dialect's own client (what
     * anyone holding the database could try). The store must refuse them: each rejects.
     */
    tamper: { updateAccessTrail(): Promise<void>; deleteAccessTrail(): Promise<void> };
  }>;
}

/** The context each group of contract tests gets. */
export interface ContractContext {
  /** A fresh store that holds the writer lease. */
  store(): Store;
  /** Another connection to the same store (no lease). */
  reopen(): Promise<Store>;
  /** Declares the test it is called in as covering `method` (e.g. `sessions.list`). */
  covers(...methods: string[]): void;
  /** The harness's changes around the interface (ContractHarness `tamper`). */
  tamper(): Awaited<ReturnType<ContractHarness['open']>>['tamper'];
}

export function defineStoreContract(dialect: string, harness: ContractHarness): void {
  describe(`store contract: ${dialect}`, () => {
    const covered = new Set<string>();
    const extra: Store[] = [];
    let current: Awaited<ReturnType<ContractHarness['open']>> | undefined;
    beforeEach(async () => {
      current = await harness.open();
      await current.store.lease.acquire('contract');
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await current?.store.close();
      await current?.cleanup();
    });
    const ctx: ContractContext = {
      store: () => current!.store,
      reopen: async () => {
        const s = await current!.reopen();
        extra.push(s);
        return s;
      },
      covers: (...methods) => {
        for (const m of methods) covered.add(m);
      },
      tamper: () => current!.tamper,
    };
    evidenceContract(ctx);
    readsContract(ctx);
    sessionFiltersContract(ctx);
    queueAndFindingsContract(ctx);
    recordsContract(ctx);
    tokensContract(ctx);
    alertsContract(ctx);
    sourcePollsContract(ctx);

    it('covers every method of the interface', async () => {
      ctx.covers('close');
      const { store } = current!;
      const methods: string[] = [];
      for (const [group, value] of Object.entries(store)) {
        if (typeof value === 'function') methods.push(group);
        else if (value && typeof value === 'object')
          for (const [name, fn] of Object.entries(value))
            if (typeof fn === 'function') methods.push(`${group}.${name}`);
      }
      expect(methods.length).toBeGreaterThan(20);
      expect(methods.filter((m) => !covered.has(m))).toEqual([]);
    });
  });
}
