// The published JWK Set in KV, `jwks`, that the runner reads (RFC 7517 §5): which keys it lists,
// and its repair when a concurrent write lost one.
import type { JWK } from 'jose';
import { readSigningKey, type SigningKeyRecord } from './signing-key-records';

export type JwkSet = { keys: JWK[] };

export async function readJwks(kv: KVNamespace): Promise<JwkSet> {
  return (await kv.get<JwkSet>('jwks', 'json')) ?? { keys: [] };
}

/**
 * Rewrites `jwks`: the given keys plus those already published, dropping retired keys that can
 * have no live token left (retired more than `retainMs` ago). A read-modify-write on KV, which has
 * no compare-and-set: two concurrent writers can each drop the other's new key. That is why
 * `ensurePublished` repairs it and every verifier also finds the active and next keys through
 * their own records (`findVerificationJwk`, the runner's jwks.ts).
 */
export async function publish(kv: KVNamespace, kids: string[], retainMs: number, now: number) {
  const current = await readJwks(kv);
  const keep: JWK[] = [];
  const seen = new Set<string>();
  for (const kid of [...kids, ...current.keys.map((k) => k.kid ?? '')]) {
    if (!kid || seen.has(kid)) continue;
    seen.add(kid);
    const r = await readSigningKey(kv, kid);
    if (!r) continue;
    if (r.status === 'retired' && (r.retiredAt ?? 0) + retainMs < now) continue;
    keep.push(r.publicJwk);
  }
  await kv.put('jwks', JSON.stringify({ keys: keep }));
}

/**
 * The published set, with `records` in it: when `jwks` lacks one (a lost write), it is rewritten.
 * The repair is best effort (KV allows about one write per second per key); the returned set
 * always has them, and the next call tries again.
 */
export async function ensurePublished(
  kv: KVNamespace,
  records: SigningKeyRecord[],
  retainMs: number,
  now: number,
): Promise<JwkSet> {
  const current = await readJwks(kv);
  const have = new Set(current.keys.map((k) => k.kid));
  const missing = records.filter((r) => !have.has(r.kid));
  if (missing.length === 0) return current;
  console.warn('jwks lacks a current signing key; republishing', {
    kids: missing.map((r) => r.kid),
  });
  await bestEffort('jwks repair', () =>
    publish(
      kv,
      missing.map((r) => r.kid),
      retainMs,
      now,
    ),
  );
  return { keys: [...current.keys, ...missing.map((r) => r.publicJwk)] };
}

export async function bestEffort(what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    console.error(`${what} failed`, { name: (err as Error).name });
  }
}
