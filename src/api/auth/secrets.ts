/**
 * Token and code secrets: 32 random bytes behind a recognisable prefix (so a leaked token is easy
 * to spot in logs, tickets and secret scanners), stored only as their SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TokenKind } from '../../store/index.ts';

const PREFIX: Record<TokenKind, string> = { api: 'sht_', browser: 'shb_', signin_code: 'shc_' };

/** A new secret of this kind, e.g. `sht_3q2+...` (base64url, 43 characters after the prefix). */
export function newSecret(kind: TokenKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

/** Lower-case hex SHA-256: what the store keeps and looks secrets up by. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A short public id for a credential (shown in `token list`, the access trail, logs). */
export function newTokenId(): string {
  return `tok_${randomBytes(6).toString('hex')}`;
}

/** Whether a string has the shape of one of our secrets (checked before any lookup). */
export function looksLikeSecret(value: string, kind: TokenKind): boolean {
  return value.startsWith(PREFIX[kind]) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(4));
}
