// Listings of live grants with what the dashboard shows about each: a user's connected apps and
// a server's connected clients.
import { and, desc, eq, getTableColumns, gt, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { type Grant, grants, oauthClients, servers, users } from '../../../../lib/db/schema';
import { orm } from './orm';

/** Live: not revoked, and its refresh family not past its absolute lifetime. */
function live(now: number) {
  return and(isNull(grants.revokedAt), or(isNull(grants.expiresAt), gt(grants.expiresAt, now)));
}

/** A grant and its client's name and kind: the columns every listing starts from. */
type GrantWithClient = Grant & { clientName: string | null; clientKind: string | null };

const grantWithClient = {
  ...getTableColumns(grants),
  clientName: oauthClients.name,
  clientKind: oauthClients.kind,
};

export type ConnectedApp = GrantWithClient & {
  serverSlug: string | null;
  serverName: string | null;
};

/** The user's live grants, newest first, with what the dashboard shows about each. */
export async function listUserGrants(
  db: D1Database,
  userId: string,
  now = Date.now(),
): Promise<ConnectedApp[]> {
  return orm(db)
    .select({
      ...grantWithClient,
      serverSlug: servers.slug,
      serverName: servers.name,
    })
    .from(grants)
    .leftJoin(oauthClients, eq(oauthClients.id, grants.clientId))
    .leftJoin(servers, eq(servers.id, grants.serverId))
    .where(and(eq(grants.userId, userId), live(now)))
    .orderBy(desc(grants.createdAt))
    .limit(200)
    .all();
}

export type ServerGrant = GrantWithClient & {
  userEmail: string | null;
  /** For a machine grant: the account that registered the client. */
  clientOwnerId: string | null;
  clientOwnerEmail: string | null;
};

/**
 * A server's live grants across all users and machine clients, newest first (the server page's
 * connected clients).
 */
export async function listServerGrants(
  db: D1Database,
  serverId: string,
  now = Date.now(),
): Promise<ServerGrant[]> {
  const owner = alias(users, 'owner');
  return orm(db)
    .select({
      ...grantWithClient,
      userEmail: users.email,
      clientOwnerId: oauthClients.ownerUserId,
      clientOwnerEmail: owner.email,
    })
    .from(grants)
    .leftJoin(oauthClients, eq(oauthClients.id, grants.clientId))
    .leftJoin(users, eq(users.id, grants.userId))
    .leftJoin(owner, eq(owner.id, oauthClients.ownerUserId))
    .where(and(eq(grants.serverId, serverId), live(now)))
    .orderBy(desc(grants.createdAt))
    .limit(500)
    .all();
}
