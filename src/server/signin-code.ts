/** The one-time sign-in link `serve` and `demo` print: an admin code valid for a few minutes. */
import { hashSecret, newSecret, newTokenId } from '../api/auth/secrets.ts';
import type { Store } from '../store/index.ts';

export const SIGNIN_CODE_MINUTES = 15;

/** Makes a code and returns the link that signs in with it (`<url>/signin?code=...`). */
export async function signInLink(store: Store, baseUrl: string, now = Date.now()): Promise<string> {
  const code = newSecret('signin_code');
  await store.tokens.create({
    tokenId: newTokenId(),
    kind: 'signin_code',
    name: 'sign-in link',
    role: 'admin',
    secretHash: hashSecret(code),
    createdAt: now,
    expiresAt: now + SIGNIN_CODE_MINUTES * 60_000,
    parentId: null,
    createdBy: 'serve',
  });
  return `${baseUrl}/signin?code=${code}`;
}
