// secrets: a server's credentials, envelope-encrypted (lib/crypto/envelope.ts). Values never
// leave this module in clear; reads report only whether a name is set and when.
import { and, asc, eq } from 'drizzle-orm';
import { openSecret, sealSecret, secretAad } from '../../../../lib/crypto/envelope';
import { secrets } from '../../../../lib/db/schema';
import { orm } from './orm';

export type SecretStatus = { name: string; updatedAt: number; updatedBy: string };

export async function listSecretStatus(db: D1Database, serverId: string): Promise<SecretStatus[]> {
  return orm(db)
    .select({ name: secrets.name, updatedAt: secrets.updatedAt, updatedBy: secrets.updatedBy })
    .from(secrets)
    .where(eq(secrets.serverId, serverId))
    .orderBy(asc(secrets.name))
    .all();
}

/** Seals `value` under a fresh data key and returns the upsert to batch with its audit event. */
export async function putSecretStatement(
  db: D1Database,
  masterKey: string,
  s: { serverId: string; name: string; value: string; updatedBy: string; now: number },
): Promise<D1PreparedStatement> {
  const e = await sealSecret(masterKey, s.value, secretAad(s.serverId, s.name));
  return db
    .prepare(
      `INSERT INTO secrets (server_id, name, ciphertext, iv, wrapped_key, key_version, updated_by,
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (server_id, name) DO UPDATE SET ciphertext = excluded.ciphertext,
         iv = excluded.iv, wrapped_key = excluded.wrapped_key, key_version = excluded.key_version,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(s.serverId, s.name, e.ciphertext, e.iv, e.wrappedKey, e.keyVersion, s.updatedBy, s.now);
}

export function deleteSecretStatement(
  db: D1Database,
  serverId: string,
  name: string,
): D1PreparedStatement {
  return db.prepare('DELETE FROM secrets WHERE server_id = ? AND name = ?').bind(serverId, name);
}

/** One secret in clear, for the auth Worker's own use as a connection's client secret. */
export async function openSecretValue(
  db: D1Database,
  masterKey: string,
  serverId: string,
  name: string,
): Promise<string | undefined> {
  const row = await orm(db)
    .select()
    .from(secrets)
    .where(and(eq(secrets.serverId, serverId), eq(secrets.name, name)))
    .get();
  return row ? openSecret(masterKey, row, secretAad(serverId, name)) : undefined;
}
