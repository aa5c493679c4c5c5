// Per-user connections follow access (issue 13, docs/connections.md "Lifecycle"): when a change
// takes a server away from a user, their downstream tokens for it go in the same batch. The rule
// is the one grants follow (store/server-access.ts `mayUseServerSql`), so a removed member keeps
// their links to public servers, exactly as they keep those grants. Deleting a server removes its
// rows by the foreign key's ON DELETE CASCADE.
import { mayUseServerSql } from './server-access';

/** Deletes the connections in scope (a condition over `servers s` and `user_connections uc`)
 *  whose user may no longer use their server. Place it after the change in the batch. */
export function lostConnectionsStatement(
  db: D1Database,
  scope: { sql: string; args: unknown[] },
): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM user_connections WHERE id IN
         (SELECT uc.id FROM user_connections uc JOIN servers s ON s.id = uc.server_id
          WHERE ${scope.sql} AND NOT ${mayUseServerSql('uc.user_id')})`,
    )
    .bind(...scope.args);
}
