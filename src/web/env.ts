/**
 * What the pages read from the request context: the signed-in caller and the role-scoped store the
 * API's middleware puts there (`c.get('auth')`, `c.get('store')`). Pages never import the store:
 * these are the methods they call, so any role-scoped layer with these shapes fits.
 */
import type {
  AlertRecord,
  AlertStatus,
  Delivery,
  DeliveryStatus,
  NewSuppression,
  Page,
  PageRequest,
  RuleState,
  Store,
  Suppression,
  TokenRecord,
} from '../store/index.ts';

export type Role = 'viewer' | 'auditor' | 'admin';

export interface WebAuth {
  role: Role;
  name: string;
  tokenId: string | null;
}

/** The part of the (role-scoped) store the pages use. */
export interface WebStore {
  sessions: Pick<Store['sessions'], 'list' | 'count' | 'get' | 'listAttempts'>;
  transcripts: Pick<Store['transcripts'], 'list'>;
  commands: Pick<Store['commands'], 'listForSession' | 'searchWithCount'>;
  findings: Pick<Store['findings'], 'list'>;
  evidence: Pick<Store['evidence'], 'sessionEvents'>;
  stats: Pick<Store['stats'], 'overview'>;
  timelines: Pick<Store['timelines'], 'list'>;
  accessTrail: Pick<Store['accessTrail'], 'list'> & {
    /** Appends what the caller just did (searches, as the API records them); who, when and from where filled in. */
    record(action: string, subject: string | null, detail?: Record<string, unknown> | null): Promise<void>;
  };
  alerts: Pick<Store['alerts'], 'list' | 'get' | 'countBySession' | 'countByRule'> & {
    setStatus(ids: number[], status: AlertStatus, reason: string | null): Promise<AlertRecord[]>;
  };
  // The role-scoped layer fills in who and when, checks the role and writes the access trail.
  suppressions: {
    list(options?: { activeAt?: number }): Promise<Suppression[]>;
    create(s: Omit<NewSuppression, 'createdAt' | 'createdBy'>): Promise<Suppression>;
    remove(id: number): Promise<boolean>;
  };
  ruleStates: {
    list(): Promise<RuleState[]>;
    setEnabled(ruleId: string, enabled: boolean): Promise<RuleState>;
  };
  /** API tokens (admins; the layer refuses anyone else): the secret of a new one is returned once. */
  tokens: {
    list(): Promise<TokenRecord[]>;
    create(input: { name: string; role: Role }): Promise<{ token: string; record: TokenRecord }>;
    revoke(tokenId: string): Promise<TokenRecord[]>;
  };
  deliveries: {
    list(
      filters?: { status?: DeliveryStatus; alertId?: number },
      page?: PageRequest,
    ): Promise<Page<Delivery>>;
    /** Dead deliveries pending again with a fresh series of attempts; the ones that were dead. */
    retryDead(ids: number[] | 'all'): Promise<Delivery[]>;
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
