/**
 * Another shelltrail process, for lease tests: the writer lease belongs to a process, so only a
 * second process can hold it against the test (a second store in the test's own process may take
 * it over). Run with `node --import tsx test/support/lease-holder.ts <hold|probe> <store path>`:
 * - hold: takes the lease, prints `held`, and releases it when stdin closes.
 * - probe: tries once without waiting; prints `free` (then releases) or `taken`.
 */
import { LeaseHeldError } from '../../src/errors.ts';
import { openStore } from '../../src/store/index.ts';

const [mode, path] = process.argv.slice(2);
if (!path || (mode !== 'hold' && mode !== 'probe')) {
  process.stderr.write('usage: lease-holder.ts <hold|probe> <store path>\n');
  process.exit(2);
}
const store = await openStore(path);
try {
  if (mode === 'hold') {
    const lease = await store.lease.acquire('shelltrail ingest (other process)');
    process.stdout.write('held\n');
    process.stdin.resume();
    await new Promise((resolve) => process.stdin.on('end', resolve));
    await lease.release();
  } else {
    try {
      const lease = await store.lease.acquire('probe', { waitMs: 0 });
      await lease.release();
      process.stdout.write('free\n');
    } catch (err) {
      if (!(err instanceof LeaseHeldError)) throw err;
      process.stdout.write('taken\n');
    }
  }
} finally {
  await store.close();
}
