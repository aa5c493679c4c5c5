// The AS's public keys, read from KV `jwks` (docs/architecture.md) and cached in the isolate.
// An unknown `kid` triggers one refetch (the AS publishes a key before it signs with it, so a
// miss means this isolate's copy is older than a rotation); concurrent misses share it. A kid
// that is still unknown after a refetch is remembered for a while, so a stream of tokens with a
// made-up kid costs one refetch, not one per request.
// `jwks` is rewritten read-modify-write by the AS and KV has no compare-and-set, so a write can
// lose a key; the active and next keys are therefore also trusted from their own records
// (`signing-key:<kid>`, public half only) when the pointers `signing-key:active|next` name them.
// A retired key is trusted only while `jwks` lists it, so a dropped key never comes back.
// KV failing (docs/architecture.md "Faults"): the cached keys keep verifying; a kid that needs a
// read the store cannot answer is refused as `keys_unavailable` (503, retry), never as a bad token.
import { importJWK, type JWK } from 'jose';
import { KeysUnavailable } from '../../../lib/tokens/verify-access-token';

type KeySet = {
  keys: Map<string, CryptoKey>;
  /** The kids `signing-key:active` and `signing-key:next` named when this set was read. */
  current: Set<string>;
};

export const UNKNOWN_KID_TTL_MS = 30_000;
const MAX_UNKNOWN_KIDS = 256;

let cached: KeySet | undefined;
let inflight: Promise<KeySet> | undefined;
const unknownKids = new Map<string, number>(); // kid → when it was last found missing

/** Only RSA signing keys meant for RS256 are accepted (RFC 7517 §4.2-4.4). */
async function importKey(jwk: JWK): Promise<CryptoKey | undefined> {
  if (!jwk.kid || jwk.kty !== 'RSA' || (jwk.alg && jwk.alg !== 'RS256')) return undefined;
  if (jwk.use && jwk.use !== 'sig') return undefined;
  try {
    return (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
  } catch {
    return undefined; // A malformed key is skipped; tokens signed with it fail as an unknown kid.
  }
}

async function load(kv: KVNamespace): Promise<KeySet> {
  const [set, active, next] = await Promise.all([
    kv.get<{ keys?: JWK[] }>('jwks', 'json'),
    kv.get('signing-key:active'),
    kv.get('signing-key:next'),
  ]);
  const keys = new Map<string, CryptoKey>();
  for (const jwk of set?.keys ?? []) {
    const key = await importKey(jwk);
    if (key) keys.set(jwk.kid!, key);
  }
  const current = new Set([active, next].filter((k): k is string => !!k));
  return { keys, current };
}

/** The active or next key from its own record, when `jwks` lacks it. */
async function fromRecord(kv: KVNamespace, set: KeySet, kid: string) {
  if (!set.current.has(kid)) return undefined;
  const record = await kv
    .get<{ status?: string; publicJwk?: JWK }>(`signing-key:${kid}`, 'json')
    .catch(() => {
      throw new KeysUnavailable();
    });
  if (!record?.publicJwk || record.status === 'retired' || record.publicJwk.kid !== kid) {
    return undefined;
  }
  const key = await importKey(record.publicJwk);
  if (key) set.keys.set(kid, key);
  return key;
}

function refetch(kv: KVNamespace): Promise<KeySet> {
  inflight ??= load(kv)
    .then((keys) => (cached = keys))
    .catch((err: unknown) => {
      console.warn('jwks unavailable', { message: (err as Error).message?.slice(0, 120) });
      throw new KeysUnavailable();
    })
    .finally(() => (inflight = undefined));
  return inflight;
}

export async function verificationKey(
  kv: KVNamespace,
  kid: string,
  now = Date.now(),
): Promise<CryptoKey | undefined> {
  const set = cached ?? (await refetch(kv));
  const key = set.keys.get(kid);
  if (key) return key;
  if (set !== cached) return fromRecord(kv, set, kid);
  const missedAt = unknownKids.get(kid);
  if (missedAt !== undefined && now - missedAt < UNKNOWN_KID_TTL_MS) return undefined;
  const fresh = await refetch(kv);
  const found = fresh.keys.get(kid) ?? (await fromRecord(kv, fresh, kid));
  if (found) {
    unknownKids.delete(kid);
  } else {
    if (unknownKids.size >= MAX_UNKNOWN_KIDS) unknownKids.delete(unknownKids.keys().next().value!);
    unknownKids.set(kid, now);
  }
  return found;
}
