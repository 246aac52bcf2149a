import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { writeEvidenceDir } from './fixture-dir.ts';
import { tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'st.db');
  writeEvidenceDir(join(work.path, 'data'));
  expect((await runCli(['import', join(work.path, 'data'), '--db', db])).code).toBe(0);
});
afterAll(() => work.remove());

describe('shelltrail attempts', () => {
  it('lists denied StartSession calls as JSON', async () => {
    const r = await runCli(['attempts', '--json', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual([
      expect.objectContaining({
        at: '2026-11-24T07:00:00.000Z',
        errorCode: 'AccessDenied',
        actor: 'sato@example.com',
        target: 'i-0a1b2c3d4e5f60718',
        accountId: '111122223333',
      }),
    ]);
  });

  it('prints a table, and nothing for a filter that matches nothing', async () => {
    expect((await runCli(['attempts', '--db', db])).stdout.toString()).toMatch(
      /AccessDenied +sato@example.com/,
    );
    expect((await runCli(['attempts', '--actor', 'bob', '--db', db])).stdout.toString()).toBe(
      'no denied attempts\n',
    );
  });
});
