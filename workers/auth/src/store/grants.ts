// grants and refresh_tokens: one grant per authorization; its refresh tokens are one rotation
// family (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2). Every write that must be atomic is a statement
// list for one db.batch, guarded so that only the request that won the compare-and-set commits.
import type { Grant, RefreshToken, Server } from '../../../../lib/db/schema';
import type { Guard } from './oauth-audit';
import type { Role } from './orgs';
import { revocationStatement } from './token-revocations';

type GrantRow = {
  id: string;
  user_id: string | null;
  client_id: string;
  server_id: string;
  resource: string;
  scope: string;
  created_at: number;
  expires_at: number | null;
  last_token_at: number | null;
  last_refresh_at: number | null;
  revoked_at: number | null;
  revoked_reason: string | null;
};

type RefreshRow = {
  token_hash: string;
  grant_id: string;
  client_id: string;
  created_at: number;
  idle_expires_at: number;
  used_at: number | null;
  replaced_by: string | null;
  revoked_at: number | null;
};

function toGrant(r: GrantRow): Grant {
  return {
    id: r.id,
    userId: r.user_id,
    clientId: r.client_id,
    serverId: r.server_id,
    resource: r.resource,
    scope: r.scope,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastTokenAt: r.last_token_at,
    lastRefreshAt: r.last_refresh_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}

function toRefresh(r: RefreshRow): RefreshToken {
  return {
    tokenHash: r.token_hash,
    grantId: r.grant_id,
    clientId: r.client_id,
    createdAt: r.created_at,
    idleExpiresAt: r.idle_expires_at,
    usedAt: r.used_at,
    replacedBy: r.replaced_by,
    revokedAt: r.revoked_at,
  };
}

export async function findGrant(db: D1Database, id: string): Promise<Grant | undefined> {
  const row = await db.prepare('SELECT * FROM grants WHERE id = ?').bind(id).first<GrantRow>();
  return row ? toGrant(row) : undefined;
}

export async function findRefreshToken(
  db: D1Database,
  tokenHash: string,
): Promise<RefreshToken | undefined> {
  const row = await db
    .prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?')
    .bind(tokenHash)
    .first<RefreshRow>();
  return row ? toRefresh(row) : undefined;
}

/**
 * A refresh token with its grant, the grant's server and the user's current role in the server's
 * org (null: not a member), in one read (the refresh hot path).
 */
export async function findRefreshContext(
  db: D1Database,
  tokenHash: string,
): Promise<
  | { token: RefreshToken; grant: Grant | undefined; server: Server | undefined; role: Role | null }
  | undefined
> {
  const row = await db
    .prepare(
      `SELECT r.*, g.id AS g_id, g.user_id AS g_user_id, g.client_id AS g_client_id,
         g.server_id AS g_server_id, g.resource AS g_resource, g.scope AS g_scope,
         g.created_at AS g_created_at, g.expires_at AS g_expires_at,
         g.last_token_at AS g_last_token_at, g.last_refresh_at AS g_last_refresh_at,
         g.revoked_at AS g_revoked_at, g.revoked_reason AS g_revoked_reason,
         s.id AS s_id, s.org_id AS s_org_id, s.slug AS s_slug, s.name AS s_name,
         s.description AS s_description, s.visibility AS s_visibility,
         s.current_version AS s_current_version, s.created_by AS s_created_by,
         s.created_at AS s_created_at, s.updated_at AS s_updated_at, m.role AS member_role
       FROM refresh_tokens r
       LEFT JOIN grants g ON g.id = r.grant_id
       LEFT JOIN servers s ON s.id = g.server_id
       LEFT JOIN members m ON m.org_id = s.org_id AND m.user_id = g.user_id
       WHERE r.token_hash = ?`,
    )
    .bind(tokenHash)
    .first<RefreshRow & Record<string, unknown>>();
  if (!row) return undefined;
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
  const grant = row.g_id ? toGrant(pick('g_') as GrantRow) : undefined;
  const s = pick('s_') as Record<string, unknown>;
  const server: Server | undefined = row.s_id
    ? {
        id: s.id as string,
        orgId: s.org_id as string,
        slug: s.slug as string,
        name: s.name as string,
        description: (s.description as string | null) ?? null,
        visibility: s.visibility as Server['visibility'],
        currentVersion: (s.current_version as number | null) ?? null,
        createdBy: s.created_by as string,
        createdAt: s.created_at as number,
        updatedAt: s.updated_at as number,
      }
    : undefined;
  const role = (row.member_role as Role | null | undefined) ?? null;
  return { token: toRefresh(row), grant, server, role };
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

export function insertRefreshStatement(
  db: D1Database,
  t: Pick<RefreshToken, 'tokenHash' | 'grantId' | 'clientId' | 'createdAt' | 'idleExpiresAt'>,
  guard: Guard,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO refresh_tokens (token_hash, grant_id, client_id, created_at, idle_expires_at,
         used_at, replaced_by, revoked_at)
       SELECT ?, ?, ?, ?, ?, NULL, NULL, NULL WHERE EXISTS (${guard.sql})`,
    )
    .bind(t.tokenHash, t.grantId, t.clientId, t.createdAt, t.idleExpiresAt, ...guard.args);
}

/** Rotation's compare-and-set: only an unused, unrevoked, unexpired token in a live grant. */
export function rotateRefreshStatement(
  db: D1Database,
  oldHash: string,
  newHash: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE refresh_tokens SET used_at = ?, replaced_by = ?
       WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND idle_expires_at > ?
         AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
                     AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?))`,
    )
    .bind(now, newHash, oldHash, now, now);
}

/**
 * The grace path (docs/oauth.md "Refresh tokens"): the previous token is presented again soon
 * after its rotation and its successor was never used, so the response was probably lost. The
 * successor is replaced, keeping exactly one live token in the family. Compare-and-set on
 * `replaced_by`, so concurrent retries serialize.
 */
export function reRotateStatements(
  db: D1Database,
  oldHash: string,
  lostHash: string,
  newHash: string,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE refresh_tokens SET replaced_by = ?
         WHERE token_hash = ? AND replaced_by = ?
           AND EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = ?
                       AND s.used_at IS NULL AND s.revoked_at IS NULL)
           AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
                       AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?))`,
      )
      .bind(newHash, oldHash, lostHash, lostHash, now),
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND EXISTS
           (SELECT 1 FROM refresh_tokens o WHERE o.token_hash = ? AND o.replaced_by = ?)`,
      )
      .bind(now, lostHash, oldHash, newHash),
  ];
}

export function rotatedGuard(oldHash: string, newHash: string): Guard {
  return {
    sql: 'SELECT 1 FROM refresh_tokens WHERE token_hash = ? AND replaced_by = ?',
    args: [oldHash, newHash],
  };
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

export type ConnectedApp = Grant & {
  clientName: string | null;
  clientKind: string | null;
  serverSlug: string | null;
  serverName: string | null;
};

/** The user's live grants, newest first, with what the dashboard shows about each. */
export async function listUserGrants(
  db: D1Database,
  userId: string,
  now = Date.now(),
): Promise<ConnectedApp[]> {
  const { results } = await db
    .prepare(
      `SELECT g.*, c.name AS client_name, c.kind AS client_kind, s.slug AS server_slug,
         s.name AS server_name
       FROM grants g
       LEFT JOIN oauth_clients c ON c.id = g.client_id
       LEFT JOIN servers s ON s.id = g.server_id
       WHERE g.user_id = ? AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
       ORDER BY g.created_at DESC LIMIT 200`,
    )
    .bind(userId, now)
    .all<
      GrantRow & {
        client_name: string | null;
        client_kind: string | null;
        server_slug: string | null;
        server_name: string | null;
      }
    >();
  return results.map((r) => ({
    ...toGrant(r),
    clientName: r.client_name,
    clientKind: r.client_kind,
    serverSlug: r.server_slug,
    serverName: r.server_name,
  }));
}

export type ServerGrant = Grant & {
  clientName: string | null;
  clientKind: string | null;
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
  const { results } = await db
    .prepare(
      `SELECT g.*, c.name AS client_name, c.kind AS client_kind, u.email AS user_email,
         c.owner_user_id AS client_owner_id, o.email AS client_owner_email
       FROM grants g
       LEFT JOIN oauth_clients c ON c.id = g.client_id
       LEFT JOIN users u ON u.id = g.user_id
       LEFT JOIN users o ON o.id = c.owner_user_id
       WHERE g.server_id = ? AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
       ORDER BY g.created_at DESC LIMIT 500`,
    )
    .bind(serverId, now)
    .all<
      GrantRow & {
        client_name: string | null;
        client_kind: string | null;
        user_email: string | null;
        client_owner_id: string | null;
        client_owner_email: string | null;
      }
    >();
  return results.map((r) => ({
    ...toGrant(r),
    clientName: r.client_name,
    clientKind: r.client_kind,
    userEmail: r.user_email,
    clientOwnerId: r.client_owner_id,
    clientOwnerEmail: r.client_owner_email,
  }));
}

// ---- machine grants ----------------------------------------------------------------------------
// A client_credentials client's access to one server is a grant without a user (one per client
// and server): its tokens carry the grant id in `jti`, so revoking it reaches them like any
// grant, and the server's clients page lists it with its last token time.

/** The client's newest machine grant for the server, live or revoked. */
export async function findMachineGrant(
  db: D1Database,
  clientId: string,
  serverId: string,
): Promise<Grant | undefined> {
  const row = await db
    .prepare(
      `SELECT * FROM grants WHERE server_id = ? AND client_id = ? AND user_id IS NULL
       ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(serverId, clientId)
    .first<GrantRow>();
  return row ? toGrant(row) : undefined;
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
