// One signing key's record in KV, `signing-key:<kid>`: the public JWK, and the private JWK sealed
// under MASTER_KEY (AAD = kid) so KV alone never holds a usable private key.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { deriveKey, open, seal, type Sealed } from '../../../../lib/crypto/master-key';
import { newId } from '../../../../lib/ids';

export type KeyStatus = 'next' | 'active' | 'retired';

export type SigningKeyRecord = {
  kid: string;
  alg: 'RS256';
  status: KeyStatus;
  createdAt: number;
  activatesAt: number;
  retiredAt?: number;
  publicJwk: JWK;
  privateJwk: Sealed;
};

const PURPOSE = 'signing-keys/v1';

export async function readSigningKey(
  kv: KVNamespace,
  kid: string,
): Promise<SigningKeyRecord | undefined> {
  return (await kv.get<SigningKeyRecord>(`signing-key:${kid}`, 'json')) ?? undefined;
}

export async function writeRecord(kv: KVNamespace, r: SigningKeyRecord): Promise<void> {
  await kv.put(`signing-key:${r.kid}`, JSON.stringify(r));
}

/** A new key record, for `npm run deploy`, which claims the first key out of band. */
export function newFirstSigningKey(masterKey: string | undefined, now = Date.now()) {
  return createRecord(masterKey, 'active', now, now);
}

export async function createRecord(
  masterKey: string | undefined,
  status: KeyStatus,
  now: number,
  activatesAt: number,
): Promise<SigningKeyRecord> {
  const aead = await deriveKey(masterKey, PURPOSE);
  const kid = newId('k', 12);
  const { publicKey, privateKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk = await seal(aead, JSON.stringify(await exportJWK(privateKey)), kid);
  return { kid, alg: 'RS256', status, createdAt: now, activatesAt, publicJwk, privateJwk };
}

/** The private JWK of a record; throws when MASTER_KEY is missing or is not the one that sealed it. */
export async function openPrivateJwk(
  masterKey: string | undefined,
  r: SigningKeyRecord,
): Promise<JWK> {
  const aead = await deriveKey(masterKey, PURPOSE);
  return {
    ...(JSON.parse(await open(aead, r.privateJwk, r.kid)) as JWK),
    kid: r.kid,
    alg: 'RS256',
  };
}
