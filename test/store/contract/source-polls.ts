/** Contract: each source's poll outcomes, written by the worker under the lease and read for /metrics. */
import { expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/errors.ts';
import type { ContractContext } from './contract.ts';
import { T0 } from './fixtures.ts';

export function sourcePollsContract(ctx: ContractContext): void {
  it('source polls: the last success, the last failure and the failure count per source; a write under the lease', async () => {
    ctx.covers('evidence.recordPoll', 'stats.sourcePolls');
    const store = ctx.store();
    expect(await store.stats.sourcePolls()).toEqual([]);
    await store.evidence.recordPoll('s3:b', { at: T0 });
    await store.evidence.recordPoll('lookup:r', { at: T0, error: 'AccessDenied: not authorized' });
    await store.evidence.recordPoll('s3:b', { at: T0 + 1000 });
    await store.evidence.recordPoll('lookup:r', { at: T0 + 1000, error: 'Throttling: rate exceeded' });
    await store.evidence.recordPoll('s3:b', { at: T0 + 2000, error: 'x'.repeat(5000) });
    const [lookup, s3] = await store.stats.sourcePolls();
    expect(lookup).toEqual({
      sourceId: 'lookup:r',
      firstPolledAt: T0,
      lastSuccessAt: null,
      lastFailureAt: T0 + 1000,
      failures: 2,
      lastError: 'Throttling: rate exceeded',
    });
    expect(s3).toMatchObject({
      sourceId: 's3:b',
      firstPolledAt: T0,
      lastSuccessAt: T0 + 1000,
      lastFailureAt: T0 + 2000,
      failures: 1,
    });
    // Bounded: a hint for the operator, not a log.
    expect(s3!.lastError!.length).toBeLessThanOrEqual(300);
    // A later success keeps the count and the last error; another connection reads the same.
    await store.evidence.recordPoll('s3:b', { at: T0 + 3000 });
    const other = await ctx.reopen();
    expect((await other.stats.sourcePolls())[1]).toMatchObject({ lastSuccessAt: T0 + 3000, failures: 1 });
    await expect(other.evidence.recordPoll('s3:b', { at: T0 + 4000 })).rejects.toBeInstanceOf(LeaseLostError);
  });
}
