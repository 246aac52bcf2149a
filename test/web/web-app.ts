/**
 * The web tests' app: the real one (`createApp` with the web routes mounted, as `serve` builds it)
 * over the test store, with one API token per role registered in that store. Fixed token values
 * so the tests can name them; they are stored hashed like any other.
 */
import pino from 'pino';
import { createApp } from '../../src/api/app.ts';
import { hashSecret } from '../../src/api/auth/secrets.ts';
import type { AppEnv } from '../../src/api/types.ts';
import { type Config, configSchema } from '../../src/config.ts';
import type { Role, Store } from '../../src/store/index.ts';
import { createWebRoutes } from '../../src/web/index.ts';

export const TOKENS: Record<Role, string> = {
  viewer: `sht_${'v'.repeat(43)}`,
  auditor: `sht_${'a'.repeat(43)}`,
  admin: `sht_${'d'.repeat(43)}`,
};

/**
 * The real app over `store` (opened writable: sign-ins and the access trail are written), with the
 * default configuration or `config` (rule directories, channels), given to the API and the pages alike.
 */
export async function webApp(
  store: Store,
  config: Config = configSchema.parse({}),
): Promise<ReturnType<typeof createApp>> {
  const known = new Set((await store.tokens.list()).map((t) => t.name));
  for (const role of Object.keys(TOKENS) as Role[]) {
    if (known.has(`web-test-${role}`)) continue;
    await store.tokens.create({
      tokenId: `tok_web_${role}`,
      kind: 'api',
      name: `web-test-${role}`,
      role,
      secretHash: hashSecret(TOKENS[role]),
      createdAt: Date.now(),
      expiresAt: null,
      parentId: null,
      createdBy: 'test',
    });
  }
  return createApp({
    store,
    config,
    now: Date.now,
    log: pino({ level: 'silent' }),
    webRoutes: createWebRoutes<AppEnv>({ config }),
  });
}
