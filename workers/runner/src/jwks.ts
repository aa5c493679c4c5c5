// The AS's public keys, read from KV `jwks` (docs/architecture.md) and cached in the isolate.
// An unknown `kid` triggers one refetch (the AS publishes a key before it signs with it, so a
// miss means this isolate's copy is older than a rotation); concurrent misses share it. A kid
// that is still unknown after a refetch is remembered for a while, so a stream of tokens with a
// made-up kid costs one KV read, not one per request.
import { importJWK, type JWK } from 'jose';

type KeySet = Map<string, CryptoKey>;

export const UNKNOWN_KID_TTL_MS = 30_000;
const MAX_UNKNOWN_KIDS = 256;

let cached: KeySet | undefined;
let inflight: Promise<KeySet> | undefined;
const unknownKids = new Map<string, number>(); // kid → when it was last found missing

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
  now = Date.now(),
): Promise<CryptoKey | undefined> {
  const keys = cached ?? (await refetch(kv));
  const key = keys.get(kid);
  if (key || keys !== cached) return key;
  const missedAt = unknownKids.get(kid);
  if (missedAt !== undefined && now - missedAt < UNKNOWN_KID_TTL_MS) return undefined;
  const found = (await refetch(kv)).get(kid);
  if (found) {
    unknownKids.delete(kid);
  } else {
    if (unknownKids.size >= MAX_UNKNOWN_KIDS) unknownKids.delete(unknownKids.keys().next().value!);
    unknownKids.set(kid, now);
  }
  return found;
}
