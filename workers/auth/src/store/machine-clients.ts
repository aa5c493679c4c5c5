// Clients owned by an org (registered with an API key or a session, routes/register.ts): what
// client_credentials needs to know at token time, the org's list, and their revocation, which
// also ends their grants, refresh tokens and consents and appends `{clientId}` rules so that
// their access tokens stop at the runner (docs/oauth.md "Machine clients").
import type { Grant } from '../../../../lib/db/schema';
import type { Role } from './orgs';
import { type RevocationReason, clientRevocationsStatement } from './token-revocations';

export type MachineAccess = {
  /** The owner's role in the client's org now; undefined once they left it. */
  ownerRole: Role | undefined;
  /** Whether the API key that registered the client is still active (true without a key). */
  keyLive: boolean;
  /** The client's newest machine grant for the server, live or revoked. */
  grant: Grant | undefined;
};

/** Everything client_credentials checks besides the server's visibility rule, in one read. */
export async function machineAccess(
  db: D1Database,
  client: { id: string; ownerOrgId: string; ownerUserId: string; ownerApiKeyId: string | null },
  serverId: string,
): Promise<MachineAccess> {
  const row = await db
    .prepare(
      `SELECT (SELECT role FROM members WHERE org_id = ?1 AND user_id = ?2) AS owner_role,
         (SELECT revoked_at IS NULL FROM api_keys WHERE id = ?3 AND org_id = ?1) AS key_live,
         g.id, g.client_id, g.server_id, g.resource, g.scope, g.created_at, g.last_token_at,
         g.revoked_at, g.revoked_reason
       FROM (SELECT 1) AS one
       LEFT JOIN grants g ON g.id = (SELECT id FROM grants WHERE server_id = ?4 AND client_id = ?5
                                     AND user_id IS NULL ORDER BY created_at DESC LIMIT 1)`,
    )
    .bind(client.ownerOrgId, client.ownerUserId, client.ownerApiKeyId, serverId, client.id)
    .first<{
      owner_role: Role | null;
      key_live: number | null;
      id: string | null;
      client_id: string;
      server_id: string;
      resource: string;
      scope: string;
      created_at: number;
      last_token_at: number | null;
      revoked_at: number | null;
      revoked_reason: string | null;
    }>();
  return {
    ownerRole: row?.owner_role ?? undefined,
    keyLive: client.ownerApiKeyId === null || row?.key_live === 1,
    grant:
      row?.id != null
        ? {
            id: row.id,
            userId: null,
            clientId: row.client_id,
            serverId: row.server_id,
            resource: row.resource,
            scope: row.scope,
            createdAt: row.created_at,
            expiresAt: null,
            lastTokenAt: row.last_token_at,
            lastRefreshAt: null,
            revokedAt: row.revoked_at,
            revokedReason: row.revoked_reason,
          }
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

type OrgClientRow = {
  id: string;
  name: string | null;
  grant_types: string;
  token_endpoint_auth_method: string;
  owner_user_id: string | null;
  owner_email: string | null;
  owner_name: string | null;
  owner_api_key_id: string | null;
  key_name: string | null;
  key_prefix: string | null;
  created_at: number;
  last_used_at: number | null;
};

const SELECT_ORG_CLIENTS = `SELECT c.id, c.name, c.grant_types, c.token_endpoint_auth_method,
    c.owner_user_id, u.email AS owner_email, u.name AS owner_name, c.owner_api_key_id,
    k.name AS key_name, k.prefix AS key_prefix, c.created_at, c.last_used_at
  FROM oauth_clients c
  LEFT JOIN users u ON u.id = c.owner_user_id
  LEFT JOIN api_keys k ON k.id = c.owner_api_key_id`;

const toOrgClient = (r: OrgClientRow): OrgClient => ({
  id: r.id,
  name: r.name,
  grantTypes: JSON.parse(r.grant_types) as string[],
  tokenEndpointAuthMethod: r.token_endpoint_auth_method,
  owner: r.owner_user_id ? { id: r.owner_user_id, email: r.owner_email, name: r.owner_name } : null,
  apiKey: r.owner_api_key_id
    ? { id: r.owner_api_key_id, name: r.key_name, prefix: r.key_prefix }
    : null,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** The org's clients, newest first. */
export async function listOrgClients(db: D1Database, orgId: string): Promise<OrgClient[]> {
  const { results } = await db
    .prepare(
      `${SELECT_ORG_CLIENTS} WHERE c.owner_org_id = ? ORDER BY c.created_at DESC, c.id DESC
       LIMIT 500`,
    )
    .bind(orgId)
    .all<OrgClientRow>();
  return results.map(toOrgClient);
}

export async function findOrgClient(
  db: D1Database,
  orgId: string,
  id: string,
): Promise<OrgClient | undefined> {
  const row = await db
    .prepare(`${SELECT_ORG_CLIENTS} WHERE c.owner_org_id = ? AND c.id = ?`)
    .bind(orgId, id)
    .first<OrgClientRow>();
  return row ? toOrgClient(row) : undefined;
}

/** The ids of the clients an API key registered (for the audit event of its revocation). */
export async function clientIdsOfKey(
  db: D1Database,
  orgId: string,
  apiKeyId: string,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      'SELECT id FROM oauth_clients WHERE owner_org_id = ? AND owner_api_key_id = ? LIMIT 100',
    )
    .bind(orgId, apiKeyId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
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
 * auditIfChangedStatement may follow it.
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
