// The status of a server's per-user downstream connections (user_connections, issue 13), for the
// server's clients view: never the sealed token pair, only what the owner may see.
export type UserConnectionStatusRow = {
  id: string;
  name: string;
  userId: string;
  userEmail: string | null;
  status: 'active' | 'reconnect_needed' | 'revoked';
  statusReason: string | null;
  lastUsedAt: number | null;
  lastRefreshedAt: number | null;
  accessExpiresAt: number | null;
  createdAt: number;
};

export async function listUserConnectionStatus(
  db: D1Database,
  serverId: string,
): Promise<UserConnectionStatusRow[]> {
  const { results } = await db
    .prepare(
      `SELECT uc.id AS id, uc.name AS name, uc.user_id AS userId, u.email AS userEmail,
         uc.status AS status, uc.status_reason AS statusReason, uc.last_used_at AS lastUsedAt,
         uc.last_refreshed_at AS lastRefreshedAt, uc.access_expires_at AS accessExpiresAt,
         uc.created_at AS createdAt
       FROM user_connections uc LEFT JOIN users u ON u.id = uc.user_id
       WHERE uc.server_id = ? ORDER BY uc.updated_at DESC LIMIT 500`,
    )
    .bind(serverId)
    .all<UserConnectionStatusRow>();
  return results;
}
