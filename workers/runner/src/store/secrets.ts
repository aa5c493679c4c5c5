// Reads and opens a server's secrets (sealed by the auth Worker, lib/crypto/envelope.ts).
import { openSecret, secretAad } from '../../../../lib/crypto/envelope';

type SecretRow = {
  name: string;
  ciphertext: string;
  iv: string;
  wrapped_key: string;
  key_version: number;
};

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
      `SELECT name, ciphertext, iv, wrapped_key, key_version FROM secrets
       WHERE server_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    )
    .bind(serverId, ...names)
    .all<SecretRow>();
  for (const r of results) {
    out.set(
      r.name,
      await openSecret(
        masterKey,
        {
          ciphertext: r.ciphertext,
          iv: r.iv,
          wrappedKey: r.wrapped_key,
          keyVersion: r.key_version,
        },
        secretAad(serverId, r.name),
      ),
    );
  }
  return out;
}
