// client_health (docs/storage.md): the AS's half of each (server, client) row. Token issuance
// writes it with a statement that joins the grant's own db.batch, so /token gets no extra round
// trip; a guarded batch writes it only if its compare-and-set won. The runner writes the rest
// (workers/runner/src/store/client-health.ts).
import type { Guard } from '../../../../lib/db/audit';

export type TokenEvent = 'authorization_code' | 'refresh_token' | 'client_credentials';

export function tokenIssuedStatement(
  db: D1Database,
  e: { serverId: string; clientId: string; event: TokenEvent; now: number },
  guard?: Guard,
): D1PreparedStatement {
  const refresh = e.event === 'refresh_token' ? 1 : 0;
  const authorization = e.event === 'authorization_code' ? 1 : 0;
  return db
    .prepare(
      `INSERT INTO client_health (server_id, client_id, first_token_at, last_token_at,
         last_refresh_at, refresh_count, authorization_count, recent_401_count)
       SELECT ?1, ?2, ?3, ?3, CASE WHEN ?4 = 1 THEN ?3 END, ?4, ?5, 0
       WHERE ${guard ? `EXISTS (${guard.sql})` : '1'}
       ON CONFLICT (server_id, client_id) DO UPDATE SET
         first_token_at = coalesce(first_token_at, excluded.first_token_at),
         last_token_at = excluded.last_token_at,
         last_refresh_at = coalesce(excluded.last_refresh_at, last_refresh_at),
         refresh_count = refresh_count + excluded.refresh_count,
         authorization_count = authorization_count + excluded.authorization_count`,
    )
    .bind(e.serverId, e.clientId, e.now, refresh, authorization, ...(guard?.args ?? []));
}

/** A client of the server with its health row and what its grants say. */
export type ClientHealthRow = {
  clientId: string;
  name: string | null;
  clientKind: string | null;
  machine: number;
  firstTokenAt: number | null;
  lastTokenAt: number | null;
  lastRefreshAt: number | null;
  refreshCount: number;
  authorizationCount: number;
  lastUsedAt: number | null;
  last401At: number | null;
  last401Reason: string | null;
  recent401Count: number;
  last403At: number | null;
  last403Scope: string | null;
  liveGrants: number;
  revokedGrants: number;
  users: number;
  maxGrantsPerUser: number;
};

/** Every client with a health row for the server, most recently active first. */
export async function listClientHealth(
  db: D1Database,
  serverId: string,
  now = Date.now(),
): Promise<ClientHealthRow[]> {
  const { results } = await db
    .prepare(
      `SELECT h.client_id AS clientId, c.name AS name, c.kind AS clientKind,
         (SELECT COUNT(*) FROM grants g WHERE g.server_id = h.server_id
            AND g.client_id = h.client_id AND g.user_id IS NULL) > 0 AS machine,
         h.first_token_at AS firstTokenAt, h.last_token_at AS lastTokenAt,
         h.last_refresh_at AS lastRefreshAt, h.refresh_count AS refreshCount,
         h.authorization_count AS authorizationCount, h.last_used_at AS lastUsedAt,
         h.last_401_at AS last401At, h.last_401_reason AS last401Reason,
         h.recent_401_count AS recent401Count, h.last_403_at AS last403At,
         h.last_403_scope AS last403Scope,
         (SELECT COUNT(*) FROM grants g WHERE g.server_id = h.server_id
            AND g.client_id = h.client_id AND g.revoked_at IS NULL
            AND (g.expires_at IS NULL OR g.expires_at > ?2)) AS liveGrants,
         (SELECT COUNT(*) FROM grants g WHERE g.server_id = h.server_id
            AND g.client_id = h.client_id AND g.revoked_at IS NOT NULL) AS revokedGrants,
         (SELECT COUNT(DISTINCT g.user_id) FROM grants g WHERE g.server_id = h.server_id
            AND g.client_id = h.client_id AND g.revoked_at IS NULL
            AND (g.expires_at IS NULL OR g.expires_at > ?2)) AS users,
         coalesce((SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM grants g
            WHERE g.server_id = h.server_id AND g.client_id = h.client_id
              AND g.user_id IS NOT NULL GROUP BY g.user_id)), 0) AS maxGrantsPerUser
       FROM client_health h
       LEFT JOIN oauth_clients c ON c.id = h.client_id
       WHERE h.server_id = ?1
       ORDER BY max(coalesce(h.last_token_at, 0), coalesce(h.last_used_at, 0)) DESC
       LIMIT 500`,
    )
    .bind(serverId, now)
    .all<ClientHealthRow>();
  return results;
}
