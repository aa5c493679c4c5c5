// Reads and opens a server's secrets (sealed by the auth Worker, lib/crypto/envelope.ts).
import { openSecret, secretAad } from '../../../../lib/crypto/envelope';
import type { Secret } from '../../../../lib/db/schema';

// Raw SQL on the hot path, columns aliased to the schema's names so the row type is derived from
// it (docs/decisions.md "The runner's reads stay D1 SQL").
type SecretRow = Pick<Secret, 'name' | 'ciphertext' | 'iv' | 'wrappedKey' | 'keyVersion'>;

/** Only the named secrets are decrypted; a name without a row is simply absent. */
export async function openSecrets(
  db: D1Database,
  masterKey: string,
  serverId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT name, ciphertext, iv, wrapped_key AS wrappedKey, key_version AS keyVersion FROM secrets
       WHERE server_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    )
    .bind(serverId, ...names)
    .all<SecretRow>();
  for (const { name, ...sealed } of results) {
    out.set(name, await openSecret(masterKey, sealed, secretAad(serverId, name)));
  }
  return out;
}
