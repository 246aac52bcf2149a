/**
 * Credentials (store/index.ts TokenStore). User-owned writes: no writer lease is checked, so
 * `token create` and browser sign-ins work while an ingest writer holds it. Each write is one short
 * IMMEDIATE transaction; the busy timeout makes it wait out an ingest batch instead of failing.
 */
import { InvalidRequestError } from '../../errors.ts';
import type { NewToken, Role, TokenKind, TokenRecord } from '../index.ts';
import type { Conn } from './connection.ts';
import { statementCache } from './statements.ts';

interface TokenRow {
  tokenId: string;
  kind: string;
  name: string;
  role: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  parentId: string | null;
  createdBy: string;
  lastUsedAt: number | null;
}

/** Last use is recorded to this step: a write per credential per minute, not per request. */
export const LAST_USED_STEP = 60_000;

const COLUMNS = `t.token_id AS tokenId, t.kind, t.name, t.role, t.created_at AS createdAt,
  t.expires_at AS expiresAt, t.revoked_at AS revokedAt, t.parent_id AS parentId, t.created_by AS createdBy,
  t.last_used_at AS lastUsedAt`;

const statements = statementCache((conn) => ({
  insert: conn.sqlite.prepare(
    `INSERT INTO tokens (token_id, kind, name, role, secret_hash, created_at, expires_at, parent_id, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  activeName: conn.sqlite.prepare(
    "SELECT 1 FROM tokens WHERE kind = 'api' AND name = ? AND revoked_at IS NULL",
  ),
  // A credential is live when it and its parent (if any) are neither revoked nor expired.
  live: conn.sqlite.prepare(
    `SELECT ${COLUMNS} FROM tokens t LEFT JOIN tokens p ON p.token_id = t.parent_id
     WHERE t.secret_hash = ? AND t.kind != 'signin_code' AND t.revoked_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > ?)
       AND (t.parent_id IS NULL OR (p.revoked_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > ?)))`,
  ),
  code: conn.sqlite.prepare(
    `SELECT ${COLUMNS} FROM tokens t WHERE t.secret_hash = ? AND t.kind = 'signin_code'
       AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`,
  ),
  markUsed: conn.sqlite.prepare('UPDATE tokens SET revoked_at = ? WHERE token_id = ?'),
  touch: conn.sqlite.prepare(
    'UPDATE tokens SET last_used_at = ? WHERE token_id IN (?, ?) AND (last_used_at IS NULL OR last_used_at <= ?)',
  ),
  listApi: conn.sqlite.prepare(
    `SELECT ${COLUMNS} FROM tokens t WHERE t.kind = 'api' ORDER BY t.created_at, t.token_id`,
  ),
  matching: conn.sqlite.prepare(
    `SELECT ${COLUMNS} FROM tokens t WHERE t.revoked_at IS NULL
       AND ((t.kind = 'api' AND (t.token_id = ? OR t.name = ?)) OR (t.kind = 'browser' AND t.token_id = ?))`,
  ),
  revoke: conn.sqlite.prepare(
    'UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND (token_id = ? OR parent_id = ?)',
  ),
}));

function toRecord(row: TokenRow): TokenRecord {
  return { ...row, kind: row.kind as TokenKind, role: row.role as Role };
}

/** Stores a new credential; an active API token's name must be unique (revoke takes names). */
export function createToken(conn: Conn, token: NewToken): TokenRecord {
  const s = statements(conn);
  return conn.sqlite
    .transaction(() => {
      if (token.kind === 'api' && s.activeName.get(token.name))
        throw new InvalidRequestError('name_taken', `an active token is already named "${token.name}"`);
      s.insert.run(
        token.tokenId,
        token.kind,
        token.name,
        token.role,
        token.secretHash,
        token.createdAt,
        token.expiresAt,
        token.parentId,
        token.createdBy,
      );
      const { secretHash: _, ...record } = token;
      return { ...record, revokedAt: null, lastUsedAt: null };
    })
    .immediate();
}

export function authenticateToken(conn: Conn, secretHash: string, now: number): TokenRecord | undefined {
  const s = statements(conn);
  const row = s.live.get(secretHash, now, now) as TokenRow | undefined;
  if (!row) return undefined;
  // Checked before writing, so most requests write nothing (a write would wait for the ingest
  // writer); the condition in the UPDATE keeps two racing requests from moving it back.
  if (row.lastUsedAt === null || row.lastUsedAt <= now - LAST_USED_STEP)
    s.touch.run(now, row.tokenId, row.parentId ?? row.tokenId, now - LAST_USED_STEP);
  return toRecord(row);
}

/** Marks the code used (revoked_at) in the same transaction that found it live: it works once. */
export function redeemCode(conn: Conn, secretHash: string, now: number): TokenRecord | undefined {
  const s = statements(conn);
  return conn.sqlite
    .transaction(() => {
      const row = s.code.get(secretHash, now) as TokenRow | undefined;
      if (!row) return undefined;
      s.markUsed.run(now, row.tokenId);
      return toRecord(row);
    })
    .immediate();
}

export function listTokens(conn: Conn): TokenRecord[] {
  return (statements(conn).listApi.all() as TokenRow[]).map(toRecord);
}

/** Revokes the matching API tokens and the browser sign-ins made from them. */
export function revokeTokens(conn: Conn, idOrName: string, now: number): TokenRecord[] {
  const s = statements(conn);
  return conn.sqlite
    .transaction(() => {
      const rows = s.matching.all(idOrName, idOrName, idOrName) as TokenRow[];
      for (const row of rows) s.revoke.run(now, row.tokenId, row.tokenId);
      return rows.map((r) => toRecord({ ...r, revokedAt: now }));
    })
    .immediate();
}
