// auth_codes: single-use authorization codes, stored as SHA-256 hashes (OAuth 2.1 §4.1.2).
import { eq } from 'drizzle-orm';
import { type AuthCode, authCodes } from '../../../../lib/db/schema';
import { orm } from './orm';
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
