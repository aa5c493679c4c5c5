// consents: remembered consent per user, client and server, bound to the consented scope set.
import { and, eq } from 'drizzle-orm';
import { type Consent, consents } from '../../../../lib/db/schema';
import { orm } from './orm';

export async function findConsent(
  db: D1Database,
  userId: string,
  clientId: string,
  serverId: string,
): Promise<Consent | undefined> {
  return orm(db)
    .select()
    .from(consents)
    .where(
      and(
        eq(consents.userId, userId),
        eq(consents.clientId, clientId),
        eq(consents.serverId, serverId),
      ),
    )
    .get();
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
