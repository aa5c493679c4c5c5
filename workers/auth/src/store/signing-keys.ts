// Signing keys in KV (docs/architecture.md "Tokens and keys"):
//   jwks                 the public JWK Set the runner reads
//   signing-key:<kid>    one record; the private JWK sealed under MASTER_KEY (AAD = kid)
//   signing-key:active   the kid that signs now
//   signing-key:next     the kid published ahead of its activation, while a rotation is pending
// Rotation publishes the next key first and signs with it only after `activatesAt`, so every
// verifier has seen it (RFC 7517 key rollover); retired keys stay in `jwks` until every token they
// signed has expired.
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

export type JwkSet = { keys: JWK[] };

const PURPOSE = 'signing-keys/v1';

export async function readSigningKey(
  kv: KVNamespace,
  kid: string,
): Promise<SigningKeyRecord | undefined> {
  return (await kv.get<SigningKeyRecord>(`signing-key:${kid}`, 'json')) ?? undefined;
}

async function writeRecord(kv: KVNamespace, r: SigningKeyRecord): Promise<void> {
  await kv.put(`signing-key:${r.kid}`, JSON.stringify(r));
}

export async function readJwks(kv: KVNamespace): Promise<JwkSet> {
  return (await kv.get<JwkSet>('jwks', 'json')) ?? { keys: [] };
}

async function createRecord(
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

/**
 * Rewrites `jwks`: the active and next keys plus retired keys that may still have live tokens
 * (retired less than `retainMs` ago).
 */
async function publish(kv: KVNamespace, kids: string[], retainMs: number, now: number) {
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

export type KeyOptions = { masterKey: string | undefined; retainMs: number; now?: number };

/**
 * The record that signs now. Creates the first key on first use and promotes a pending `next`
 * key once its activation time has passed. Throws when no key can be opened (callers fail closed).
 */
export async function activeSigningKey(
  kv: KVNamespace,
  opts: KeyOptions,
): Promise<SigningKeyRecord> {
  const now = opts.now ?? Date.now();
  const [activeKid, nextKid] = await Promise.all([
    kv.get('signing-key:active'),
    kv.get('signing-key:next'),
  ]);
  if (nextKid) {
    const next = await readSigningKey(kv, nextKid);
    if (next && next.activatesAt <= now) return promote(kv, next, activeKid, opts, now);
  }
  if (activeKid) {
    const active = await readSigningKey(kv, activeKid);
    if (active) return active;
  }
  const first = await createRecord(opts.masterKey, 'active', now, now);
  await writeRecord(kv, first);
  await publish(kv, [first.kid], opts.retainMs, now);
  await kv.put('signing-key:active', first.kid);
  return first;
}

async function promote(
  kv: KVNamespace,
  next: SigningKeyRecord,
  activeKid: string | null,
  opts: KeyOptions,
  now: number,
): Promise<SigningKeyRecord> {
  const promoted: SigningKeyRecord = { ...next, status: 'active' };
  await writeRecord(kv, promoted);
  if (activeKid && activeKid !== next.kid) {
    const old = await readSigningKey(kv, activeKid);
    if (old) await writeRecord(kv, { ...old, status: 'retired', retiredAt: now });
  }
  await kv.put('signing-key:active', next.kid);
  await kv.delete('signing-key:next');
  await publish(kv, [next.kid], opts.retainMs, now);
  return promoted;
}

export type RotationResult = { kid: string; activatesAt: number; pending: boolean };

/**
 * Starts a rotation: a new key is published in `jwks` now and signs from `now + delayMs`.
 * With a rotation already pending, returns that one instead of stacking another.
 */
export async function rotateSigningKey(
  kv: KVNamespace,
  opts: KeyOptions & { delayMs: number },
): Promise<RotationResult> {
  const now = opts.now ?? Date.now();
  await activeSigningKey(kv, { ...opts, now });
  const pendingKid = await kv.get('signing-key:next');
  const pending = pendingKid ? await readSigningKey(kv, pendingKid) : undefined;
  if (pending && pending.activatesAt > now) {
    // An earlier activation than the pending one (e.g. --delay 0 after a leak) moves it forward.
    if (now + opts.delayMs < pending.activatesAt) {
      const activatesAt = now + opts.delayMs;
      await writeRecord(kv, { ...pending, activatesAt });
      if (opts.delayMs <= 0) await activeSigningKey(kv, { ...opts, now });
      return { kid: pending.kid, activatesAt, pending: true };
    }
    return { kid: pending.kid, activatesAt: pending.activatesAt, pending: true };
  }
  const next = await createRecord(opts.masterKey, 'next', now, now + opts.delayMs);
  await writeRecord(kv, next);
  await publish(kv, [next.kid], opts.retainMs, now);
  await kv.put('signing-key:next', next.kid);
  if (opts.delayMs <= 0) await activeSigningKey(kv, { ...opts, now });
  return { kid: next.kid, activatesAt: next.activatesAt, pending: false };
}
