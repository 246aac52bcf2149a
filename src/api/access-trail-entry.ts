/**
 * Who is asking and from where, bound to one request, and the one way the role-scoped layers
 * (scoped-store.ts, scoped-alerts.ts, scoped-tokens.ts) write what that caller did to the access
 * trail, so every entry carries the same who, when and from where.
 */
import type { AccessEntry, Store } from '../store/index.ts';
import type { AuthContext } from './types.ts';

export interface Caller {
  auth: AuthContext;
  sourceIp: string | null;
  now: () => number;
}

export function appendToTrail(
  store: Store,
  caller: Caller,
  action: string,
  subject: string | null,
  detail: Record<string, unknown> | null,
): Promise<void> {
  const entry: AccessEntry = {
    at: caller.now(),
    action,
    actor: caller.auth.name,
    role: caller.auth.role,
    tokenId: caller.auth.tokenId,
    sourceIp: caller.sourceIp,
    subject,
    detail,
  };
  return store.accessTrail.append(entry);
}
