// Clients owned by an org (registered with an API key or a session, routes/register.ts): what
// client_credentials needs to know at token time, the org's list, and their revocation, which
// also ends their grants, refresh tokens and consents and appends `{clientId}` rules so that
// their access tokens stop at the runner (docs/oauth.md "Machine clients").
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  apiKeys,
  type Grant,
  grants,
  members,
  oauthClients,
  servers,
  users,
} from '../../../../lib/db/schema';
import { orm } from './orm';
import { prepared } from './prepared';
import type { AccessSubject } from './server-access';
import type { Role } from './orgs';
import { type RevocationReason, clientRevocationsStatement } from './token-revocations';
import { forgetCachedClients } from './client-cache';

export type MachineAccess = {
  /** The owner's role in the client's org now; undefined once they left it. */
  ownerRole: Role | undefined;
  /** Whether the API key that registered the client is still active (true without a key). */
  keyLive: boolean;
  /** The client's newest machine grant for the server, live or revoked. */
  grant: Grant | undefined;
  /** The server's visibility rule inputs, read now; undefined once it was deleted. */
  server: AccessSubject | undefined;
};

const machineAccessQuery = (o: DrizzleD1Database) => {
  const ownerRole = o
    .select({ role: members.role })
    .from(members)
    .where(
      and(
        eq(members.orgId, sql.placeholder('orgId')),
        eq(members.userId, sql.placeholder('userId')),
      ),
    );
  const keyLive = o
    .select({ live: sql`${apiKeys.revokedAt} IS NULL` })
    .from(apiKeys)
    .where(
      and(eq(apiKeys.id, sql.placeholder('apiKeyId')), eq(apiKeys.orgId, sql.placeholder('orgId'))),
    );
  const latestGrant = o
    .select({ id: grants.id })
    .from(grants)
    .where(
      and(
        eq(grants.serverId, sql.placeholder('serverId')),
        eq(grants.clientId, sql.placeholder('clientId')),
        isNull(grants.userId),
      ),
    )
    .orderBy(desc(grants.createdAt))
    .limit(1);
  // One row whatever exists: the two scalar subqueries beside the (left-joined) newest grant.
  return o
    .select({
      ownerRole: sql<Role | null>`${ownerRole}`,
      keyLive: sql<number | null>`${keyLive}`,
      grant: grants,
      visibility: servers.visibility,
      createdBy: servers.createdBy,
    })
    .from(sql`(SELECT 1) AS one`)
    .leftJoin(grants, eq(grants.id, sql`${latestGrant}`))
    .leftJoin(servers, eq(servers.id, sql.placeholder('serverId')))
    .prepare();
};

/**
 * Everything client_credentials checks, in one read: the owner's role, the key, the newest machine
 * grant and the server's visibility (the caller applies `mayUseServer` with the owner's role,
 * which is the role in the server's org because the client is bound to that org).
 */
export async function machineAccess(
  db: D1Database,
  client: { id: string; ownerOrgId: string; ownerUserId: string; ownerApiKeyId: string | null },
  serverId: string,
): Promise<MachineAccess> {
  const row = await prepared(db, machineAccessQuery).get({
    orgId: client.ownerOrgId,
    userId: client.ownerUserId,
    apiKeyId: client.ownerApiKeyId,
    clientId: client.id,
    serverId,
  });
  return {
    ownerRole: row?.ownerRole ?? undefined,
    keyLive: client.ownerApiKeyId === null || row?.keyLive === 1,
    grant: row?.grant ?? undefined,
    server:
      row?.visibility != null && row.createdBy != null
        ? { visibility: row.visibility, createdBy: row.createdBy }
        : undefined,
  };
}

export type OrgClient = {
  id: string;
  name: string | null;
  grantTypes: string[];
  tokenEndpointAuthMethod: string;
  owner: { id: string; email: string | null; name: string | null } | null;
  apiKey: { id: string; name: string | null; prefix: string | null } | null;
  createdAt: number;
  lastUsedAt: number | null;
};

const owner = alias(users, 'owner');

function selectOrgClients(db: D1Database) {
  return orm(db)
    .select({
      id: oauthClients.id,
      name: oauthClients.name,
      grantTypes: oauthClients.grantTypes,
      tokenEndpointAuthMethod: oauthClients.tokenEndpointAuthMethod,
      ownerUserId: oauthClients.ownerUserId,
      ownerEmail: owner.email,
      ownerName: owner.name,
      ownerApiKeyId: oauthClients.ownerApiKeyId,
      keyName: apiKeys.name,
      keyPrefix: apiKeys.prefix,
      createdAt: oauthClients.createdAt,
      lastUsedAt: oauthClients.lastUsedAt,
    })
    .from(oauthClients)
    .leftJoin(owner, eq(owner.id, oauthClients.ownerUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, oauthClients.ownerApiKeyId))
    .$dynamic();
}

/** A row of selectOrgClients, as drizzle infers it from the schema. */
type Selected = NonNullable<Awaited<ReturnType<ReturnType<typeof selectOrgClients>['get']>>>;

function toOrgClient(r: Selected): OrgClient {
  return {
    id: r.id,
    name: r.name,
    grantTypes: r.grantTypes,
    tokenEndpointAuthMethod: r.tokenEndpointAuthMethod,
    owner: r.ownerUserId ? { id: r.ownerUserId, email: r.ownerEmail, name: r.ownerName } : null,
    apiKey: r.ownerApiKeyId ? { id: r.ownerApiKeyId, name: r.keyName, prefix: r.keyPrefix } : null,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
  };
}

/** The org's clients, newest first. */
export async function listOrgClients(db: D1Database, orgId: string): Promise<OrgClient[]> {
  const rows = await selectOrgClients(db)
    .where(eq(oauthClients.ownerOrgId, orgId))
    .orderBy(desc(oauthClients.createdAt), desc(oauthClients.id))
    .limit(500)
    .all();
  return rows.map(toOrgClient);
}

export async function findOrgClient(
  db: D1Database,
  orgId: string,
  id: string,
): Promise<OrgClient | undefined> {
  const row = await selectOrgClients(db)
    .where(and(eq(oauthClients.ownerOrgId, orgId), eq(oauthClients.id, id)))
    .get();
  return row ? toOrgClient(row) : undefined;
}

/** The ids of the clients an API key registered (for the audit event of its revocation). */
export async function clientIdsOfKey(
  db: D1Database,
  orgId: string,
  apiKeyId: string,
): Promise<string[]> {
  const rows = await orm(db)
    .select({ id: oauthClients.id })
    .from(oauthClients)
    .where(and(eq(oauthClients.ownerOrgId, orgId), eq(oauthClients.ownerApiKeyId, apiKeyId)))
    .limit(100)
    .all();
  return rows.map((r) => r.id);
}

/**
 * Which clients a revocation removes. Each selector carries its own guard, so the statements can
 * sit in the batch of the change that causes them and act only if that change committed.
 */
export type ClientSelector =
  /** The clients a key registered, once the key is revoked. */
  | { orgId: string; apiKeyId: string }
  /** The clients a user registered for an org, once they are no longer a member of it. */
  | { orgId: string; ownerUserId: string }
  | { orgId: string; clientId: string };

function selectorSql(s: ClientSelector): { sql: string; args: string[] } {
  if ('apiKeyId' in s) {
    return {
      sql: `owner_org_id = ? AND owner_api_key_id = ? AND EXISTS (SELECT 1 FROM api_keys k
              WHERE k.id = oauth_clients.owner_api_key_id AND k.revoked_at IS NOT NULL)`,
      args: [s.orgId, s.apiKeyId],
    };
  }
  if ('ownerUserId' in s) {
    return {
      sql: `owner_org_id = ? AND owner_user_id = ? AND NOT EXISTS (SELECT 1 FROM members m
              WHERE m.org_id = oauth_clients.owner_org_id AND m.user_id = oauth_clients.owner_user_id)`,
      args: [s.orgId, s.ownerUserId],
    };
  }
  return { sql: 'owner_org_id = ? AND id = ?', args: [s.orgId, s.clientId] };
}

/**
 * Revokes the selected clients, in this order: a `{clientId}` rule each (their access tokens stop
 * at the runner), their grants and refresh tokens, their consents, and the clients themselves
 * (they can no longer authenticate). The last statement is the DELETE, so an
 * `auditStatement(…, 'changed')` may follow it.
 */
export function revokeClientsStatements(
  db: D1Database,
  selector: ClientSelector,
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  const { sql, args } = selectorSql(selector);
  const ids = `SELECT id FROM oauth_clients WHERE ${sql}`;
  forgetCachedClients();
  return [
    clientRevocationsStatement(db, { sql, args }, reason, now, ttlMs),
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND client_id IN (${ids})`,
      )
      .bind(now, ...args),
    db
      .prepare(
        `UPDATE grants SET revoked_at = ?, revoked_reason = ?
         WHERE revoked_at IS NULL AND client_id IN (${ids})`,
      )
      .bind(now, reason, ...args),
    db.prepare(`DELETE FROM consents WHERE client_id IN (${ids})`).bind(...args),
    db.prepare(`DELETE FROM oauth_clients WHERE ${sql}`).bind(...args),
  ];
}
