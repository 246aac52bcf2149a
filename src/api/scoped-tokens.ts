/**
 * The role-scoped tokens part of the store (mounted into createScopedStore): API tokens are admins'
 * only. Making one returns its secret once (the store keeps only its SHA-256), as
 * `shelltrail token create` does, with the same checks on the name; making and revoking go to the
 * access trail (`token_create`, `token_revoke`) with who did it and from where.
 */
import { InvalidRequestError } from '../errors.ts';
import type { Role, Store, TokenRecord } from '../store/index.ts';
import { appendToTrail, type Caller } from './access-trail-entry.ts';
import { hashSecret, newSecret, newTokenId } from './auth/secrets.ts';
import { AccessDeniedError } from './errors.ts';

const ROLES: Role[] = ['viewer', 'auditor', 'admin'];

export function createScopedTokens(store: Store, caller: Caller) {
  function admin(): void {
    if (caller.auth.role !== 'admin')
      throw new AccessDeniedError('role_not_admin', 'only an admin manages tokens');
  }
  const trail = (action: string, subject: string, detail: Record<string, unknown>) =>
    appendToTrail(store, caller, action, subject, detail);
  return {
    tokens: {
      /** API tokens, oldest first, revoked ones included. */
      list(): Promise<TokenRecord[]> {
        admin();
        return store.tokens.list();
      },
      /**
       * A new API token; `token` is its secret, returned this once. Throws InvalidRequestError
       * (`bad_name`, `bad_role`, or the store's `name_taken`).
       */
      async create(input: { name: string; role: Role }): Promise<{ token: string; record: TokenRecord }> {
        admin();
        const name = input.name.trim();
        if (!name || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name))
          throw new InvalidRequestError('bad_name', 'a token name is 1 to 100 printable characters');
        if (!ROLES.includes(input.role))
          throw new InvalidRequestError('bad_role', `role: one of ${ROLES.join(', ')}`);
        const token = newSecret('api');
        const record = await store.tokens.create({
          tokenId: newTokenId(),
          kind: 'api',
          name,
          role: input.role,
          secretHash: hashSecret(token),
          createdAt: caller.now(),
          expiresAt: null,
          parentId: null,
          createdBy: caller.auth.name,
        });
        await trail('token_create', record.name, { role: record.role, tokenId: record.tokenId });
        return { token, record };
      },
      /** Revokes the active API token with this id (and the browser sign-ins made with it). */
      async revoke(tokenId: string): Promise<TokenRecord[]> {
        admin();
        // The store matches an id or a name: only an id of an active API token is taken here, so a
        // token named like another's id is never revoked by mistake.
        const active = (await store.tokens.list()).filter((t) => t.revokedAt === null);
        if (!active.some((t) => t.tokenId === tokenId) || active.some((t) => t.name === tokenId)) return [];
        const done = await store.tokens.revoke(tokenId, caller.now());
        for (const t of done) await trail('token_revoke', t.name, { tokenId: t.tokenId });
        return done;
      },
    },
  };
}
