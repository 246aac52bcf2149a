/**
 * Limits the API keeps: a session's commands come in pages of 10,000 with a cursor for the rest,
 * and request bodies over 64 KB are refused (413) before anything reads them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/api/security.ts';
import { extracted, putCommands } from '../store/helpers.ts';
import { type Harness, makeHarness, T0 } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
  const many = Array.from({ length: 10_050 }, (_, i) => extracted(i, `echo ${i}`, { at: T0 + i * 1000 }));
  const lease = await h.store.lease.acquire('limits-test');
  await putCommands(h.store, 'bob-2', many);
  await lease.release();
}, 60_000);
afterAll(() => h.close());

describe('limits', () => {
  it("pages a session's commands past 10,000 with commandsCursor", async () => {
    const first = (await (await h.get('/api/sessions/bob-2', 'auditor')).json()) as {
      commands: { text: string }[];
      commandsNextCursor: string | null;
    };
    expect(first.commands).toHaveLength(10_000);
    expect(first.commandsNextCursor).not.toBeNull();
    const rest = (await (
      await h.get(`/api/sessions/bob-2?commandsCursor=${first.commandsNextCursor}`, 'auditor')
    ).json()) as typeof first;
    expect(rest.commands.map((c) => c.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `echo ${10_000 + i}`),
    );
    expect(rest.commandsNextCursor).toBeNull();
  });

  it('refuses a request body over the limit with 413', async () => {
    const res = await h.app.request('/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: `token=${'x'.repeat(MAX_BODY_BYTES + 1)}`,
    });
    expect(res.status).toBe(413);
  });
});
