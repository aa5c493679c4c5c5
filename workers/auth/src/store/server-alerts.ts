// server_alerts: a server's alert webhook and its sealed signing secret (docs/storage.md).
import { eq } from 'drizzle-orm';
import type { Envelope } from '../../../../lib/crypto/envelope';
import { serverAlerts } from '../../../../lib/db/schema';
import { orm } from './orm';

export async function findServerAlert(db: D1Database, serverId: string) {
  const [row] = await orm(db)
    .select()
    .from(serverAlerts)
    .where(eq(serverAlerts.serverId, serverId));
  return row;
}

export function upsertServerAlertStatement(
  db: D1Database,
  a: { serverId: string; url: string; sealed: Envelope; by: string; now: number },
) {
  return db
    .prepare(
      `INSERT INTO server_alerts (server_id, url, ciphertext, iv, wrapped_key, key_version, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (server_id) DO UPDATE SET url = excluded.url, ciphertext = excluded.ciphertext,
         iv = excluded.iv, wrapped_key = excluded.wrapped_key, key_version = excluded.key_version,
         updated_at = excluded.updated_at`,
    )
    .bind(
      a.serverId,
      a.url,
      a.sealed.ciphertext,
      a.sealed.iv,
      a.sealed.wrappedKey,
      a.sealed.keyVersion,
      a.by,
      a.now,
      a.now,
    );
}

export function deleteServerAlertStatement(db: D1Database, serverId: string) {
  return db.prepare('DELETE FROM server_alerts WHERE server_id = ?').bind(serverId);
}
