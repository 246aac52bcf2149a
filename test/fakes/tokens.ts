/**
 * Opaque pagination tokens for the fakes. Real AWS tokens are opaque and only valid with the same
 * request parameters; these carry a cursor plus a hash of those parameters so a mismatch is detectable.
 */
import { createHash } from 'node:crypto';

const PREFIX = 'fake1.';

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function paramsHash(params: unknown): string {
  return createHash('sha256').update(stableStringify(params)).digest('hex').slice(0, 16);
}

/** Encodes `cursor` into a token bound to `params`. */
export function encodeToken(cursor: unknown, params: unknown): string {
  const json = JSON.stringify({ c: cursor, p: paramsHash(params) });
  return PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

/** Returns the cursor, or undefined when the token is malformed or was issued for other parameters. */
export function decodeToken<T>(token: string, params: unknown): T | undefined {
  if (!token.startsWith(PREFIX) || token.length > 4096) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as {
      c?: T;
      p?: string;
    };
    if (decoded.p !== paramsHash(params) || decoded.c === undefined) return undefined;
    return decoded.c;
  } catch {
    return undefined;
  }
}
