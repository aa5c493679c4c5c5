// consents: remembered consent per user, client and server, bound to the consented scope set.
import type { Consent } from '../../../../lib/db/schema';

export async function findConsent(
  db: D1Database,
  userId: string,
  clientId: string,
  serverId: string,
): Promise<Consent | undefined> {
  const row = await db
    .prepare(
      `SELECT user_id, client_id, server_id, scope, created_at FROM consents
       WHERE user_id = ? AND client_id = ? AND server_id = ?`,
    )
    .bind(userId, clientId, serverId)
    .first<{
      user_id: string;
      client_id: string;
      server_id: string;
      scope: string;
      created_at: number;
    }>();
  return row
    ? {
        userId: row.user_id,
        clientId: row.client_id,
        serverId: row.server_id,
        scope: row.scope,
        createdAt: row.created_at,
      }
    : undefined;
}

export function upsertConsentStatement(db: D1Database, c: Consent): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO consents (user_id, client_id, server_id, scope, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, client_id, server_id) DO UPDATE SET scope = excluded.scope,
         created_at = excluded.created_at`,
    )
    .bind(c.userId, c.clientId, c.serverId, c.scope, c.createdAt);
}

export function deleteConsentStatement(
  db: D1Database,
  userId: string,
  clientId: string,
  serverId: string,
): D1PreparedStatement {
  return db
    .prepare('DELETE FROM consents WHERE user_id = ? AND client_id = ? AND server_id = ?')
    .bind(userId, clientId, serverId);
}
