/**
 * Keeps the worker's writer lease alive: a timer renews it, and so do the worker's own calls
 * between batches and passes (a long synchronous batch can starve the timer). The first
 * LeaseLostError, from a renewal or from any write, is remembered and aborts `lostSignal`, so
 * sources and passes stop between items and the worker ends with that error.
 */
import { LeaseLostError } from '../errors.ts';
import type { WriterLease } from '../store/index.ts';
import { describeError } from './aws/retry.ts';

/** Renewal period: well inside the lease's lifetime, so one slow batch cannot let it lapse. */
const RENEW_EVERY_MS = 10_000;

/** The worker's handle on its lease. */
export interface LeaseKeeper {
  /** Aborts when the lease is lost, so sources and passes stop between items. */
  readonly lostSignal: AbortSignal;
  /** Runs a store call; a LeaseLostError it throws marks the lease lost (and is rethrown). */
  guard<T>(call: () => Promise<T>): Promise<T>;
  /** Renews when half the renewal period has passed since the last renewal. */
  renewIfDue(): Promise<void>;
  /** Throws the loss when the lease is lost (a source may have swallowed the write's error). */
  throwIfLost(cause?: unknown): void;
  /** Stops the timer and releases the lease if this worker still holds it. */
  stop(): Promise<void>;
}

/** @example const keeper = keepLease(await store.lease.acquire('import'), log); try { ... } finally { await keeper.stop(); } */
export function keepLease(lease: WriterLease, log: (line: string) => void): LeaseKeeper {
  const lost = new AbortController();
  let lostError: LeaseLostError | undefined;
  let lastRenew = Date.now();
  let renewing: Promise<void> | undefined;
  const markLost = (err: LeaseLostError) => {
    lostError ??= err;
    if (!lost.signal.aborted) lost.abort(err);
  };
  const renew = () => {
    renewing ??= lease
      .renew()
      .then(() => {
        lastRenew = Date.now();
      })
      .catch((err: unknown) => {
        if (err instanceof LeaseLostError) markLost(err);
        else log(`could not renew the writer lease: ${describeError(err)}`);
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };
  const timer = setInterval(renew, RENEW_EVERY_MS);
  timer.unref();
  return {
    lostSignal: lost.signal,
    async guard(call) {
      try {
        return await call();
      } catch (err) {
        if (err instanceof LeaseLostError) markLost(err);
        throw err;
      }
    },
    async renewIfDue() {
      if (Date.now() - lastRenew > RENEW_EVERY_MS / 2) await renew();
      if (lostError) throw lostError;
    },
    throwIfLost(cause) {
      if (cause instanceof LeaseLostError) markLost(cause);
      if (lostError) throw lostError;
    },
    async stop() {
      clearInterval(timer);
      await renewing;
      if (lostError) return; // another writer holds it now: nothing of ours to release
      try {
        await lease.release();
      } catch (err) {
        log(`could not release the writer lease: ${describeError(err)}`);
      }
    },
  };
}
