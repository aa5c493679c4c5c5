// auth_codes: single-use authorization codes, stored as SHA-256 hashes (OAuth 2.1 §4.1.2).
import { and, eq, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { type AuthCode, authCodes, members, type Server, servers } from '../../../../lib/db/schema';
import { orm } from './orm';
import type { Role } from './orgs';
import { prepared } from './prepared';
import { mayUseServerSql } from './server-access';

export function insertCodeStatement(db: D1Database, c: AuthCode): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO auth_codes (code_hash, client_id, user_id, server_id, redirect_uri,
         code_challenge, resource, scope, created_at, expires_at, used_at, grant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
    )
    .bind(
      c.codeHash,
      c.clientId,
      c.userId,
      c.serverId,
      c.redirectUri,
      c.codeChallenge,
      c.resource,
      c.scope,
      c.createdAt,
      c.expiresAt,
    );
}

export async function findCode(db: D1Database, codeHash: string): Promise<AuthCode | undefined> {
  return orm(db).select().from(authCodes).where(eq(authCodes.codeHash, codeHash)).get();
}

/**
 * A code with its server (undefined for the control plane, or once deleted) and the user's current
 * role in the server's org (null: not a member), in one read (the redemption hot path).
 */
export type CodeContext = { code: AuthCode; server: Server | undefined; role: Role | null };

const codeContextQuery = (o: DrizzleD1Database) =>
  o
    .select({ code: authCodes, server: servers, role: members.role })
    .from(authCodes)
    .leftJoin(servers, eq(servers.id, authCodes.serverId))
    .leftJoin(members, and(eq(members.orgId, servers.orgId), eq(members.userId, authCodes.userId)))
    .where(eq(authCodes.codeHash, sql.placeholder('codeHash')))
    .prepare();

export async function findCodeContext(
  db: D1Database,
  codeHash: string,
): Promise<CodeContext | undefined> {
  const row = await prepared(db, codeContextQuery).get({ codeHash });
  if (!row) return undefined;
  return { code: row.code, server: row.server ?? undefined, role: row.role ?? null };
}

/**
 * The compare-and-set that makes a code single use: marks it used and records the grant it
 * creates, only if it is still unused and unexpired and, with `requireAccess` (every hosted
 * server), its user may still use its server. Statements guarded by `codeRedeemedGuard` in the
 * same batch commit only when this one won.
 */
export function redeemCodeStatement(
  db: D1Database,
  codeHash: string,
  grantId: string,
  now: number,
  { requireAccess }: { requireAccess: boolean },
): D1PreparedStatement {
  const access = requireAccess
    ? `AND EXISTS (SELECT 1 FROM servers s WHERE s.id = auth_codes.server_id
         AND ${mayUseServerSql('auth_codes.user_id')})`
    : '';
  return db
    .prepare(
      `UPDATE auth_codes SET used_at = ?, grant_id = ?
       WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? ${access}`,
    )
    .bind(now, grantId, codeHash, now);
}

export function codeRedeemedGuard(codeHash: string, grantId: string) {
  return {
    sql: 'SELECT 1 FROM auth_codes WHERE code_hash = ? AND grant_id = ?',
    args: [codeHash, grantId],
  };
}

/** Codes are worthless after expiry; keep a day of used ones for reuse detection. */
export async function deleteStaleCodes(db: D1Database, now = Date.now()): Promise<number> {
  const r = await db
    .prepare('DELETE FROM auth_codes WHERE expires_at <= ?')
    .bind(now - 86_400_000)
    .run();
  return r.meta.changes;
}
