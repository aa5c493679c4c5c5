// Reads and opens a server's secrets (sealed by the auth Worker, lib/crypto/envelope.ts).
import { and, eq, inArray } from 'drizzle-orm';
import { openSecret, secretAad } from '../../../../lib/crypto/envelope';
import { orm } from '../../../../lib/db/orm';
import { secrets } from '../../../../lib/db/schema';

/** Only the named secrets are decrypted; a name without a row is simply absent. */
export async function openSecrets(
  db: D1Database,
  masterKey: string,
  serverId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const rows = await orm(db)
    .select({
      name: secrets.name,
      ciphertext: secrets.ciphertext,
      iv: secrets.iv,
      wrappedKey: secrets.wrappedKey,
      keyVersion: secrets.keyVersion,
    })
    .from(secrets)
    .where(and(eq(secrets.serverId, serverId), inArray(secrets.name, [...names])))
    .all();
  for (const { name, ...sealed } of rows) {
    out.set(name, await openSecret(masterKey, sealed, secretAad(serverId, name)));
  }
  return out;
}
