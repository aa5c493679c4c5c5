// Machine grants: a client_credentials client's access to one server is a grant without a user
// (one per client and server). Its tokens carry the grant id in `jti`, so revoking it reaches them
// like any grant, and the server's clients page lists it with its last token time.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Grant, grants } from '../../../../lib/db/schema';
import { orm } from './orm';

/** The client's newest machine grant for the server, live or revoked. */
export async function findMachineGrant(
  db: D1Database,
  clientId: string,
  serverId: string,
): Promise<Grant | undefined> {
  return orm(db)
    .select()
    .from(grants)
    .where(and(eq(grants.serverId, serverId), eq(grants.clientId, clientId), isNull(grants.userId)))
    .orderBy(desc(grants.createdAt))
    .limit(1)
    .get();
}

/** Inserts the machine grant unless the client already has one for the server (races). */
export function insertMachineGrantStatement(
  db: D1Database,
  g: Pick<Grant, 'id' | 'clientId' | 'serverId' | 'resource' | 'scope' | 'createdAt'>,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO grants (id, user_id, client_id, server_id, resource, scope, created_at,
         expires_at, last_token_at, last_refresh_at, revoked_at, revoked_reason)
       SELECT ?1, NULL, ?2, ?3, ?4, ?5, ?6, NULL, ?6, NULL, NULL, NULL
       WHERE NOT EXISTS (SELECT 1 FROM grants WHERE server_id = ?3 AND client_id = ?2
                         AND user_id IS NULL)`,
    )
    .bind(g.id, g.clientId, g.serverId, g.resource, g.scope, g.createdAt);
}

/** Records a token of a live machine grant: its time and scope. */
export function touchMachineGrantStatement(
  db: D1Database,
  id: string,
  scope: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE grants SET last_token_at = ?, scope = ? WHERE id = ? AND user_id IS NULL
       AND revoked_at IS NULL`,
    )
    .bind(now, scope, id);
}
