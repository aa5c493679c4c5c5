// The AS's public keys, read from KV `jwks` (docs/architecture.md) and cached in the isolate.
// An unknown `kid` triggers one refetch (the AS publishes a key before it signs with it, so a
// miss means this isolate's copy is older than a rotation); concurrent misses share it.
import { importJWK, type JWK } from 'jose';

type KeySet = Map<string, CryptoKey>;

let cached: KeySet | undefined;
let inflight: Promise<KeySet> | undefined;

async function load(kv: KVNamespace): Promise<KeySet> {
  const set = await kv.get<{ keys?: JWK[] }>('jwks', 'json');
  const keys: KeySet = new Map();
  for (const jwk of set?.keys ?? []) {
    // Only RSA signing keys meant for RS256 are accepted (RFC 7517 §4.2-4.4).
    if (!jwk.kid || jwk.kty !== 'RSA' || (jwk.alg && jwk.alg !== 'RS256')) continue;
    if (jwk.use && jwk.use !== 'sig') continue;
    try {
      keys.set(jwk.kid, (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256')) as CryptoKey);
    } catch {
      // A malformed key is skipped; tokens signed with it fail as an unknown kid.
    }
  }
  return keys;
}

function refetch(kv: KVNamespace): Promise<KeySet> {
  inflight ??= load(kv)
    .then((keys) => (cached = keys))
    .finally(() => (inflight = undefined));
  return inflight;
}

export async function verificationKey(
  kv: KVNamespace,
  kid: string,
): Promise<CryptoKey | undefined> {
  const keys = cached ?? (await refetch(kv));
  const key = keys.get(kid);
  if (key || keys !== cached) return key;
  return (await refetch(kv)).get(kid);
}
