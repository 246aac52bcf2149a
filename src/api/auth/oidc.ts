/**
 * AWS ALB OIDC: behind an ALB with OIDC authentication, every request carries `x-amzn-oidc-data`,
 * an ES256 JWT signed by the ALB. We check its signature with the region's public key for its
 * `kid` (fetched once per kid and cached, or a configured key file), its expiry and, when
 * configured, its signer ARN; then map the email or a group to a role. Trusted only when
 * `server.oidc.enabled` is set: otherwise anyone could send the header.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerConfig } from '../../config.ts';
import type { Role } from '../../store/index.ts';

export interface OidcIdentity {
  email: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 1, auditor: 2, admin: 3 };
const MAX_HEADER_CHARS = 16_384;
const MAX_KEY_BYTES = 8192;

type OidcConfig = ServerConfig['oidc'];

export class OidcVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  private readonly fileKey: KeyObject | undefined;

  constructor(
    private readonly config: OidcConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.fileKey = config.keyFile ? createPublicKey(readFileSync(config.keyFile, 'utf8')) : undefined;
  }

  /** The identity in a valid header with a mapped role; undefined when invalid or unmapped. */
  async verify(header: string, now: number): Promise<OidcIdentity | undefined> {
    if (header.length > MAX_HEADER_CHARS) return undefined;
    const parts = header.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    let head: { alg?: string; kid?: string; signer?: string; exp?: number };
    let claims: Record<string, unknown>;
    try {
      head = JSON.parse(decode(h).toString('utf8'));
      claims = JSON.parse(decode(p).toString('utf8'));
    } catch {
      return undefined;
    }
    if (head.alg !== 'ES256' || typeof head.kid !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(head.kid))
      return undefined;
    if (this.config.signer && head.signer !== this.config.signer) return undefined;
    const exp = typeof claims.exp === 'number' ? claims.exp : head.exp;
    if (typeof exp !== 'number' || exp * 1000 <= now) return undefined;
    let key: KeyObject;
    try {
      key = await this.key(head.kid);
    } catch {
      return undefined;
    }
    const signed = Buffer.from(`${h.replace(/=+$/, '')}.${p.replace(/=+$/, '')}`);
    const alsoPadded = Buffer.from(`${h}.${p}`);
    const sig = decode(s);
    const ok = [signed, alsoPadded].some((data) =>
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig),
    );
    if (!ok) return undefined;
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    if (!email) return undefined;
    const role = this.roleFor(email, claims[this.config.groupsClaim]);
    return role ? { email, role } : undefined;
  }

  private roleFor(email: string, groups: unknown): Role | undefined {
    const found: Role[] = [];
    for (const [e, r] of Object.entries(this.config.emailRoles))
      if (e.toLowerCase() === email.toLowerCase()) found.push(r);
    const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : [];
    for (const g of list) {
      const r = typeof g === 'string' ? this.config.groupRoles[g.trim()] : undefined;
      if (r) found.push(r);
    }
    return found.sort((a, b) => RANK[b] - RANK[a])[0];
  }

  private key(kid: string): Promise<KeyObject> {
    if (this.fileKey) return Promise.resolve(this.fileKey);
    let key = this.keys.get(kid);
    if (!key) {
      key = this.fetchKey(kid);
      this.keys.set(kid, key);
      // A failed fetch is not cached: the next request tries again.
      key.catch(() => this.keys.delete(kid));
    }
    return key;
  }

  private async fetchKey(kid: string): Promise<KeyObject> {
    const template = this.config.keyUrl ?? 'https://public-keys.auth.elb.{region}.amazonaws.com/{kid}';
    const url = template
      .replace('{region}', this.config.region ?? '')
      .replace('{kid}', encodeURIComponent(kid));
    const res = await this.fetchImpl(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`key fetch failed: HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_KEY_BYTES) throw new Error('key too large');
    return createPublicKey(text);
  }
}

function decode(part: string): Buffer {
  return Buffer.from(part.replace(/=+$/, ''), 'base64url');
}
