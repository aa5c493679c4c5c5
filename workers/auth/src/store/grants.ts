// grants: one grant per authorization of a client by a user for one server (or, without a user,
// a machine client's access to one server: machine-grants.ts). Its refresh tokens are one
// rotation family (refresh-tokens.ts); every write that must be atomic is a statement for one
// db.batch, guarded so that only the request that won the compare-and-set commits.
import { eq } from 'drizzle-orm';
import { type Grant, grants } from '../../../../lib/db/schema';
import type { Guard } from './audit';
import { orm } from './orm';
import { revocationStatement } from './token-revocations';

export async function findGrant(db: D1Database, id: string): Promise<Grant | undefined> {
  return orm(db).select().from(grants).where(eq(grants.id, id)).get();
}

export function insertGrantStatement(db: D1Database, g: Grant, guard: Guard): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO grants (id, user_id, client_id, server_id, resource, scope, created_at,
         expires_at, last_token_at, last_refresh_at, revoked_at, revoked_reason)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL WHERE EXISTS (${guard.sql})`,
    )
    .bind(
      g.id,
      g.userId,
      g.clientId,
      g.serverId,
      g.resource,
      g.scope,
      g.createdAt,
      g.expiresAt,
      g.lastTokenAt,
      ...guard.args,
    );
}

export function touchGrantStatement(
  db: D1Database,
  grantId: string,
  now: number,
  guard: Guard,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE grants SET last_token_at = ?, last_refresh_at = ? WHERE id = ? AND EXISTS (${guard.sql})`,
    )
    .bind(now, now, grantId, ...guard.args);
}

/**
 * Revokes a grant and every refresh token in its family (idempotent), and appends the `{grantId}`
 * rule that ends its access tokens at the runner (lib/tokens/revocation.ts). `ttlMs`: see
 * revocationTtlMs. Every path that sets `grants.revoked_at` for one grant goes through here.
 */
export function revokeGrantStatements(
  db: D1Database,
  grantId: string,
  reason: string,
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  return [
    revocationStatement(db, { grantId }, 'grant_revoked', now, ttlMs),
    db
      .prepare(
        'UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .bind(now, reason, grantId),
    db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL')
      .bind(now, grantId),
  ];
}
