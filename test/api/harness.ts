/**
 * A real store with a little hostile data, three tokens (one per role) and the app over it. The
 * data: alice's shell session with commands (one holding HTML and `<script>`), a CloudWatch
 * transcript, a non-interactive command session whose parameters carry a command, a denied attempt,
 * and an actor name with bidi overrides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../../src/api/app.ts';
import { hashSecret, newSecret, newTokenId } from '../../src/api/auth/secrets.ts';
import type { ApiDeps } from '../../src/api/types.ts';
import { type Config, configSchema } from '../../src/config.ts';
import { openStore, type Role, type Store } from '../../src/store/index.ts';
import {
  cwTranscript,
  deniedStart,
  HOUR,
  settings,
  startSession,
  T0,
  terminateSession,
} from '../store/contract/fixtures.ts';
import { extracted, putCommands } from '../store/helpers.ts';

export const ROLES: Role[] = ['viewer', 'auditor', 'admin'];
export const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
export const BIDI_ACTOR = 'eve\u202Egnp.exe\u202C';
export { HOUR, T0 };

export interface Harness {
  store: Store;
  app: ReturnType<typeof createApp>;
  tokens: Record<Role, string>;
  deps: ApiDeps;
  /** GET with the role's bearer token (or none). */
  get(path: string, role?: Role): Promise<Response>;
  close(): Promise<void>;
}

export async function makeHarness(
  options: { config?: Partial<Config['server']>; now?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-api-'));
  const store = await openStore(join(dir, 'store.db'));
  const lease = await store.lease.acquire('api-test');
  await seed(store);
  await lease.release();
  const now = options.now ?? T0 + 72 * HOUR;
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = await createToken(store, role, `${role}-1`, now);
  const config = configSchema.parse({ server: options.config ?? {} });
  const deps: ApiDeps = { store, config, now: () => now, log: pino({ level: 'silent' }) };
  const app = createApp(deps);
  return {
    store,
    app,
    tokens,
    deps,
    get: async (path, role) =>
      app.request(path, { headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} }),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createToken(store: Store, role: Role, name: string, now: number): Promise<string> {
  const secret = newSecret('api');
  await store.tokens.create({
    tokenId: newTokenId(),
    kind: 'api',
    name,
    role,
    secretHash: hashSecret(secret),
    createdAt: now,
    expiresAt: null,
    parentId: null,
    createdBy: 'test',
  });
  return secret;
}

async function seed(store: Store): Promise<void> {
  const cw = cwTranscript('alice-1', ['$ id', `$ echo '${HOSTILE}'`, HOSTILE], T0);
  await store.evidence.writeBatch(
    {
      sourceId: 'test',
      ctEvents: [
        startSession('alice-1', T0),
        terminateSession('alice-1', T0 + HOUR),
        startSession('bob-2', T0 + 2 * HOUR, {
          documentName: 'AWS-StartNonInteractiveCommand',
          parameters: JSON.stringify({ command: ['cat /etc/shadow'] }),
          raw: JSON.stringify({
            eventID: 'start-bob-2',
            requestParameters: { parameters: { command: ['cat /etc/shadow'] } },
          }),
        }),
        startSession('eve-3', T0 + 3 * HOUR, { actor: BIDI_ACTOR }),
        deniedStart('denied-1', 'alice', T0 + 30 * 60_000),
      ],
      transcripts: [cw.transcript],
      cwEvents: cw.events,
    },
    settings(),
  );
  await putCommands(store, 'alice-1', [
    extracted(0, 'id', { at: T0 + 1000 }),
    extracted(1, `echo '${HOSTILE}'`, { at: T0 + 2000 }),
    extracted(2, 'sudo iptables -F', { at: T0 + 3000 }),
  ]);
}
