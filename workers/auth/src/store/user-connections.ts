// user_connections: each user's linked downstream accounts (docs/connections.md). The token pair
// arrives here already sealed (lib/connections/tokens.ts); reads for listings never select it.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Envelope } from '../../../../lib/crypto/envelope';
import { servers, type UserConnection, userConnections } from '../../../../lib/db/schema';
import { orm } from './orm';

export async function findServerUserConnections(
  db: D1Database,
  serverId: string,
  userId: string,
): Promise<Pick<UserConnection, 'id' | 'name' | 'status'>[]> {
  return orm(db)
    .select({ id: userConnections.id, name: userConnections.name, status: userConnections.status })
    .from(userConnections)
    .where(and(eq(userConnections.serverId, serverId), eq(userConnections.userId, userId)))
    .all();
}

export type LinkedConnection = {
  id: string;
  serverId: string;
  userId: string;
  name: string;
  scope: string | null;
  sealed: Envelope;
  accessExpiresAt: number | null;
  now: number;
};

/**
 * Stores a freshly linked pair. A first link is generation 1; relinking (reconnect) replaces the
 * pair, makes the row active again and bumps the generation, so a refresh that read the old pair
 * cannot overwrite the new one with its compare-and-set (schema.ts).
 */
export function linkConnectionStatement(db: D1Database, c: LinkedConnection): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO user_connections (id, server_id, user_id, name, status, status_reason, scope,
         ciphertext, iv, wrapped_key, key_version, generation, access_expires_at,
         last_refreshed_at, last_used_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'active', NULL, ?, ?, ?, ?, ?, 1, ?, NULL, NULL, ?, ?)
       ON CONFLICT (server_id, user_id, name) DO UPDATE SET status = 'active',
         status_reason = NULL, scope = excluded.scope, ciphertext = excluded.ciphertext,
         iv = excluded.iv, wrapped_key = excluded.wrapped_key, key_version = excluded.key_version,
         generation = user_connections.generation + 1,
         access_expires_at = excluded.access_expires_at, updated_at = excluded.updated_at`,
    )
    .bind(
      c.id,
      c.serverId,
      c.userId,
      c.name,
      c.scope,
      c.sealed.ciphertext,
      c.sealed.iv,
      c.sealed.wrappedKey,
      c.sealed.keyVersion,
      c.accessExpiresAt,
      c.now,
      c.now,
    );
}

export type MyConnectionRow = Omit<
  UserConnection,
  'ciphertext' | 'iv' | 'wrappedKey' | 'keyVersion'
> & { serverName: string; serverSlug: string };

/** The user's connections across servers, for GET /v1/me/connections (no token columns). */
export async function listUserConnections(
  db: D1Database,
  userId: string,
): Promise<MyConnectionRow[]> {
  return orm(db)
    .select({
      id: userConnections.id,
      serverId: userConnections.serverId,
      userId: userConnections.userId,
      name: userConnections.name,
      status: userConnections.status,
      statusReason: userConnections.statusReason,
      scope: userConnections.scope,
      generation: userConnections.generation,
      accessExpiresAt: userConnections.accessExpiresAt,
      lastRefreshedAt: userConnections.lastRefreshedAt,
      lastUsedAt: userConnections.lastUsedAt,
      createdAt: userConnections.createdAt,
      updatedAt: userConnections.updatedAt,
      serverName: servers.name,
      serverSlug: servers.slug,
    })
    .from(userConnections)
    .innerJoin(servers, eq(servers.id, userConnections.serverId))
    .where(eq(userConnections.userId, userId))
    .orderBy(asc(servers.name), asc(userConnections.name))
    .limit(500)
    .all();
}

/** One of the user's connections with its sealed pair (for revocation at the provider). */
export async function findUserConnection(
  db: D1Database,
  userId: string,
  id: string,
): Promise<UserConnection | undefined> {
  return orm(db)
    .select()
    .from(userConnections)
    .where(and(eq(userConnections.id, id), eq(userConnections.userId, userId)))
    .get();
}

export function deleteUserConnectionStatement(
  db: D1Database,
  userId: string,
  id: string,
): D1PreparedStatement {
  return db.prepare('DELETE FROM user_connections WHERE id = ? AND user_id = ?').bind(id, userId);
}

/** Lifecycle (issue 13): a user loses a server → their connections to it go. */
export function deleteServerUserConnectionsStatement(
  db: D1Database,
  serverId: string,
  userId: string,
): D1PreparedStatement {
  return db
    .prepare('DELETE FROM user_connections WHERE server_id = ? AND user_id = ?')
    .bind(serverId, userId);
}

/** Per connection name: users with a row, and how many of them must reconnect. */
export async function countServerConnections(
  db: D1Database,
  serverId: string,
): Promise<Map<string, { linkedUsers: number; needReconnect: number }>> {
  const rows = await orm(db)
    .select({
      name: userConnections.name,
      linkedUsers: sql<number>`count(*)`,
      needReconnect: sql<number>`sum(case when ${userConnections.status} = 'active' then 0 else 1 end)`,
    })
    .from(userConnections)
    .where(eq(userConnections.serverId, serverId))
    .groupBy(userConnections.name)
    .all();
  return new Map(
    rows.map((r) => [
      r.name,
      { linkedUsers: Number(r.linkedUsers), needReconnect: Number(r.needReconnect ?? 0) },
    ]),
  );
}
