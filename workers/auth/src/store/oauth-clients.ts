// oauth_clients: DCR registrations (id cl_…) and cached CIMD documents (id = the https URL).
import { eq, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { type OAuthClient, oauthClients } from '../../../../lib/db/schema';
import { prepared } from './prepared';

// Read by every code redemption and by each cache miss of the other grants (store/prepared.ts).
const clientRowQuery = (o: DrizzleD1Database) =>
  o
    .select()
    .from(oauthClients)
    .where(eq(oauthClients.id, sql.placeholder('id')))
    .prepare();

/** The row as stored, expired or not (CIMD callers decide whether to refetch). */
export async function findClientRow(db: D1Database, id: string): Promise<OAuthClient | undefined> {
  return prepared(db, clientRowQuery).get({ id });
}

/** A client that may be used now: expired DCR registrations count as gone. */
export async function findClient(
  db: D1Database,
  id: string,
  now = Date.now(),
): Promise<OAuthClient | undefined> {
  const c = await findClientRow(db, id);
  if (!c || (c.kind === 'dcr' && c.expiresAt !== null && c.expiresAt <= now)) return undefined;
  return c;
}

export function insertClientStatement(db: D1Database, c: OAuthClient): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO oauth_clients (id, kind, name, metadata, redirect_uris, token_endpoint_auth_method,
         grant_types, secret_hash, owner_user_id, owner_org_id, owner_api_key_id, created_at,
         last_used_at, expires_at, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, metadata = excluded.metadata,
         redirect_uris = excluded.redirect_uris,
         token_endpoint_auth_method = excluded.token_endpoint_auth_method,
         grant_types = excluded.grant_types, expires_at = excluded.expires_at,
         fetched_at = excluded.fetched_at
       WHERE oauth_clients.kind = 'cimd' AND excluded.kind = 'cimd'`,
    )
    .bind(
      c.id,
      c.kind,
      c.name,
      JSON.stringify(c.metadata),
      JSON.stringify(c.redirectUris),
      c.tokenEndpointAuthMethod,
      JSON.stringify(c.grantTypes),
      c.secretHash,
      c.ownerUserId,
      c.ownerOrgId,
      c.ownerApiKeyId,
      c.createdAt,
      c.lastUsedAt,
      c.expiresAt,
      c.fetchedAt,
    );
}

/**
 * A client that obtained a code or token is in use: a DCR registration then no longer expires
 * for being unused (docs/oauth.md "Client registration").
 */
export function markClientUsedStatement(
  db: D1Database,
  id: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE oauth_clients SET last_used_at = ?,
         expires_at = CASE WHEN kind = 'dcr' THEN NULL ELSE expires_at END
       WHERE id = ?`,
    )
    .bind(now, id);
}

/** Removes DCR registrations that expired unused; returns how many. */
export async function deleteExpiredClients(db: D1Database, now = Date.now()): Promise<number> {
  const r = await db
    .prepare(
      `DELETE FROM oauth_clients WHERE kind = 'dcr' AND expires_at IS NOT NULL AND expires_at <= ?`,
    )
    .bind(now)
    .run();
  return r.meta.changes;
}
