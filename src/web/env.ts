/**
 * What the pages read from the request context: the signed-in caller and the role-scoped store the
 * API's middleware puts there (`c.get('auth')`, `c.get('store')`). Pages never import the store:
 * these are the methods they call, so any role-scoped layer with these shapes fits.
 */
import type { AlertRecord, AlertStatus, Store } from '../store/index.ts';

export type Role = 'viewer' | 'auditor' | 'admin';

export interface WebAuth {
  role: Role;
  name: string;
  tokenId: string | null;
}

/** The part of the (role-scoped) store the pages use. */
export interface WebStore {
  sessions: Pick<Store['sessions'], 'list' | 'get' | 'listAttempts'>;
  transcripts: Pick<Store['transcripts'], 'list'>;
  commands: Pick<Store['commands'], 'listForSession' | 'searchWithCount'>;
  findings: Pick<Store['findings'], 'list'>;
  evidence: Pick<Store['evidence'], 'sessionEvents'>;
  stats: Pick<Store['stats'], 'overview'>;
  timelines: Pick<Store['timelines'], 'list'>;
  accessTrail: Pick<Store['accessTrail'], 'list'>;
  alerts: Pick<Store['alerts'], 'list' | 'get' | 'countBySession'> & {
    setStatus(ids: number[], status: AlertStatus, reason: string | null): Promise<AlertRecord[]>;
  };
}

export interface WebEnv {
  Variables: {
    auth: WebAuth;
    store: WebStore;
  };
}

/** Whether this role may see command text, transcripts and casts. */
export function seesContent(auth: WebAuth | undefined): boolean {
  return auth?.role === 'auditor' || auth?.role === 'admin';
}
