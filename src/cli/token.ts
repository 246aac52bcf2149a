/**
 * `shelltrail token create --role viewer|auditor|admin --name N [--json]` prints a new API token
 * once (only its SHA-256 is stored); `token list`; `token revoke <id|name>`. Works while `serve`
 * or `ingest` runs: tokens are written without the writer lease.
 */
import { hashSecret, newSecret, newTokenId } from '../api/auth/secrets.ts';
import { UsageError } from '../errors.ts';
import type { Role } from '../store/index.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore, writeLine } from './context.ts';
import { writeJson } from './json-out.ts';
import { formatTable, shortTime } from './table.ts';

const ROLES: Role[] = ['viewer', 'auditor', 'admin'];

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    role: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [action, arg, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${visible(extra[0]!)}"`);
  const config = configFor(ctx, values);
  const now = Date.now();
  if (action === 'create') {
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role: expected one of ${ROLES.join(', ')}`);
    const name = values.name?.trim();
    if (!name || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name))
      throw new UsageError('--name: expected a name of 1 to 100 printable characters');
    const secret = newSecret('api');
    const record = await withStore(config, async (store) => {
      const made = await store.tokens.create({
        tokenId: newTokenId(),
        kind: 'api',
        name,
        role,
        secretHash: hashSecret(secret),
        createdAt: now,
        expiresAt: null,
        parentId: null,
        createdBy: 'cli',
      });
      await store.accessTrail.append(
        cliEntry(now, 'token_create', made.name, { role, tokenId: made.tokenId }),
      );
      return made;
    });
    if (values.json) writeJson(ctx.stdout, { token: secret, tokenId: record.tokenId, name, role }, null);
    else {
      writeLine(ctx.stdout, secret);
      writeLine(ctx.stderr, `token ${record.tokenId} (${role}) "${visible(name)}": shown once, store it now`);
    }
    return 0;
  }
  if (action === 'list') {
    const tokens = await withStore(config, (store) => store.tokens.list());
    if (values.json) {
      writeJson(ctx.stdout, tokens);
      return 0;
    }
    const rows = tokens.map((t) => [
      t.tokenId,
      t.name,
      t.role,
      shortTime(t.createdAt),
      shortTime(t.revokedAt),
    ]);
    for (const line of formatTable(['ID', 'NAME', 'ROLE', 'CREATED (UTC)', 'REVOKED (UTC)'], rows, 40))
      writeLine(ctx.stdout, line);
    return 0;
  }
  if (action === 'revoke') {
    if (!arg) throw new UsageError('token revoke: expected a token id or name');
    const revoked = await withStore(config, async (store) => {
      const done = await store.tokens.revoke(arg, now);
      for (const t of done)
        await store.accessTrail.append(cliEntry(now, 'token_revoke', t.name, { tokenId: t.tokenId }));
      return done;
    });
    if (revoked.length === 0) {
      writeLine(ctx.stderr, `shelltrail token: no active token "${visible(arg)}"`);
      return 1;
    }
    for (const t of revoked) writeLine(ctx.stdout, `revoked ${t.tokenId} "${visible(t.name)}"`);
    return 0;
  }
  throw new UsageError('expected create, list or revoke');
}

function cliEntry(at: number, action: string, subject: string, detail: Record<string, unknown>) {
  return { at, action, actor: 'cli', role: null, tokenId: null, sourceIp: null, subject, detail };
}
