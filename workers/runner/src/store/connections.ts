// The runner's reads and writes of user_connections (issue 13, docs/runner.md "Per-user
// connections"): raw D1 SQL with columns aliased to the schema's names, like store/secrets.ts
// (docs/decisions.md "The runner's reads stay D1 SQL").
import type { Envelope } from '../../../../lib/crypto/envelope';
import type { UserConnection } from '../../../../lib/db/schema';

export type ConnectionRow = Pick<
  UserConnection,
  | 'id'
  | 'name'
  | 'status'
  | 'statusReason'
  | 'ciphertext'
  | 'iv'
  | 'wrappedKey'
  | 'keyVersion'
  | 'generation'
  | 'accessExpiresAt'
>;

const COLUMNS = `id, name, status, status_reason AS statusReason, ciphertext, iv,
  wrapped_key AS wrappedKey, key_version AS keyVersion, generation,
  access_expires_at AS accessExpiresAt`;

/** The rows of one user's named connections on a server; a name without a row is absent. */
export async function findConnections(
  db: D1Database,
  serverId: string,
  userId: string,
  names: readonly string[],
): Promise<Map<string, ConnectionRow>> {
  const out = new Map<string, ConnectionRow>();
  if (names.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM user_connections
       WHERE server_id = ? AND user_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    )
    .bind(serverId, userId, ...names)
    .all<ConnectionRow>();
  for (const row of results) out.set(row.name, row);
  return out;
}

export async function findConnectionById(
  db: D1Database,
  id: string,
): Promise<(ConnectionRow & { serverId: string; userId: string }) | null> {
  return db
    .prepare(
      `SELECT ${COLUMNS}, server_id AS serverId, user_id AS userId
       FROM user_connections WHERE id = ?`,
    )
    .bind(id)
    .first();
}

/**
 * Stores a refreshed pair only if nobody wrote the row since it was read (compare-and-set on
 * `generation`, one statement): true when this write won.
 */
export async function storeRefreshedPair(
  db: D1Database,
  id: string,
  generation: number,
  sealed: Envelope,
  accessExpiresAt: number | null,
  scope: string | null,
  now = Date.now(),
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE user_connections SET ciphertext = ?, iv = ?, wrapped_key = ?, key_version = ?,
         access_expires_at = ?, scope = COALESCE(?, scope), status = 'active', status_reason = NULL,
         generation = generation + 1, last_refreshed_at = ?, updated_at = ?
       WHERE id = ? AND generation = ? AND status = 'active'`,
    )
    .bind(
      sealed.ciphertext,
      sealed.iv,
      sealed.wrappedKey,
      sealed.keyVersion,
      accessExpiresAt,
      scope,
      now,
      now,
      id,
      generation,
    )
    .run();
  return res.meta.changes === 1;
}

/** The provider refused the refresh token (RFC 6749 §5.2 invalid_grant): the user must relink. */
export async function markReconnectNeeded(
  db: D1Database,
  id: string,
  generation: number,
  reason: string,
  now = Date.now(),
): Promise<void> {
  await db
    .prepare(
      `UPDATE user_connections SET status = 'reconnect_needed', status_reason = ?,
         generation = generation + 1, updated_at = ?
       WHERE id = ? AND generation = ?`,
    )
    .bind(reason, now, id, generation)
    .run();
}

/** last_used_at to the minute: a busy tool does not rewrite the row on every call. */
export function touchConnections(
  db: D1Database,
  ids: readonly string[],
  now = Date.now(),
): Promise<unknown> {
  return db
    .prepare(
      `UPDATE user_connections SET last_used_at = ?
       WHERE id IN (${ids.map(() => '?').join(', ')})
         AND (last_used_at IS NULL OR last_used_at < ?)`,
    )
    .bind(now, ...ids, now - 60_000)
    .run();
}
