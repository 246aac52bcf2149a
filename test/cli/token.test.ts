/**
 * `shelltrail token list [--json]`: every API token with its role and state, revoked ones
 * included, never a secret or its hash; `create` and `revoke` as the list sees them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-io.ts';
import { tempDir } from './store-setup.ts';

let work: ReturnType<typeof tempDir>;
let db: string;
const secrets: string[] = [];
beforeAll(async () => {
  work = tempDir();
  db = join(work.path, 'st.db');
  for (const [name, role] of [
    ['ci', 'auditor'],
    ['ops-kim', 'admin'],
    ['dash', 'viewer'],
  ]) {
    const r = await runCli(['token', 'create', '--role', role!, '--name', name!, '--json', '--db', db]);
    expect(r.code).toBe(0);
    secrets.push(JSON.parse(r.stdout.toString()).token);
  }
  expect((await runCli(['token', 'revoke', 'dash', '--db', db])).code).toBe(0);
});
afterAll(() => work.remove());

describe('shelltrail token list', () => {
  it('--json lists every API token, revoked ones with their time, and no secret or hash', async () => {
    const r = await runCli(['token', 'list', '--json', '--db', db]);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    const tokens = JSON.parse(out) as Record<string, unknown>[];
    expect(tokens.map((t) => [t.name, t.role, t.kind])).toEqual([
      ['ci', 'auditor', 'api'],
      ['ops-kim', 'admin', 'api'],
      ['dash', 'viewer', 'api'],
    ]);
    expect(tokens.map((t) => t.revokedAt === null)).toEqual([true, true, false]);
    for (const t of tokens) {
      expect(t.tokenId).toMatch(/^tok_/);
      expect(typeof t.createdAt).toBe('number');
      expect(t.lastUsedAt).toBeNull();
      expect(t).not.toHaveProperty('secretHash');
    }
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).not.toMatch(/[0-9a-f]{64}/);
  });

  it('prints a table: id, name, role, created and revoked', async () => {
    const r = await runCli(['token', 'list', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED \(UTC\)\s+REVOKED \(UTC\)$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^tok_\S+\s+ci\s+auditor\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(lines[3]).toMatch(/^tok_\S+\s+dash\s+viewer\s+\S+ \S+\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    for (const secret of secrets) expect(r.stdout.toString()).not.toContain(secret);
  });
});
