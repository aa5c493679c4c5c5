// Signing keys in KV (docs/oauth.md "Keys"):
//   jwks                 the public JWK Set the runner reads
//   signing-key:<kid>    one record; the private JWK sealed under MASTER_KEY (AAD = kid)
//   signing-key:active   the kid that signs now
//   signing-key:next     the kid published ahead of its activation, while a rotation is pending
// and in D1 `first_signing_key`, the one claim that makes the first key unique (KV cannot).
// Rotation publishes the next key first and signs with it only after `activatesAt`, so every
// verifier has seen it (RFC 7517 key rollover); retired keys stay in `jwks` until every token they
// signed has expired.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { deriveKey, open, seal, type Sealed } from '../../../../lib/crypto/master-key';
import { newId } from '../../../../lib/ids';
import { claimFirstSigningKey, readFirstSigningKey } from './first-signing-key';

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

/** A new key record, for `npm run deploy`, which claims the first key out of band. */
export function newFirstSigningKey(masterKey: string | undefined, now = Date.now()) {
  return createRecord(masterKey, 'active', now, now);
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
 * Rewrites `jwks`: the given keys plus those already published, dropping retired keys that can
 * have no live token left (retired more than `retainMs` ago). A read-modify-write on KV, which has
 * no compare-and-set: two concurrent writers can each drop the other's new key. That is why
 * `ensurePublished` repairs it and every verifier also finds the active and next keys through
 * their own records (`findVerificationJwk`, the runner's jwks.ts).
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

/**
 * The published set, with `records` in it: when `jwks` lacks one (a lost write), it is rewritten.
 * The repair is best effort (KV allows about one write per second per key); the returned set
 * always has them, and the next call tries again.
 */
async function ensurePublished(
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

async function bestEffort(what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    console.error(`${what} failed`, { name: (err as Error).name });
  }
}

export type KeyOptions = { masterKey: string | undefined; retainMs: number; now?: number };

type KeyState = { active: SigningKeyRecord; jwks: JwkSet };

/**
 * The record that signs now, and the JWK Set with it and the pending next key. Promotes a pending
 * `next` key once its activation time has passed; without any key, claims the first one (D1
 * compare-and-set, see first-signing-key.ts). Throws when no key can be used (callers fail closed).
 */
async function keyState(kv: KVNamespace, db: D1Database, opts: KeyOptions): Promise<KeyState> {
  const now = opts.now ?? Date.now();
  const [activeKid, nextKid] = await Promise.all([
    kv.get('signing-key:active'),
    kv.get('signing-key:next'),
  ]);
  let active: SigningKeyRecord | undefined;
  let next = nextKid ? await readSigningKey(kv, nextKid) : undefined;
  if (next && next.activatesAt <= now) {
    active = await promote(kv, next, activeKid, opts, now);
    next = undefined;
  }
  if (!active && activeKid) active = await readSigningKey(kv, activeKid);
  active ??= await firstKey(kv, db, opts, activeKid, now);
  const current = next ? [active, next] : [active];
  return { active, jwks: await ensurePublished(kv, current, opts.retainMs, now) };
}

/** The record that signs now (see keyState); also repairs `jwks` if it lost it. */
export async function activeSigningKey(
  kv: KVNamespace,
  db: D1Database,
  opts: KeyOptions,
): Promise<SigningKeyRecord> {
  return (await keyState(kv, db, opts)).active;
}

/** The JWK Set to serve: `jwks`, always with the active and pending keys (see keyState). */
export async function publishedJwks(
  kv: KVNamespace,
  db: D1Database,
  opts: KeyOptions,
): Promise<JwkSet> {
  return (await keyState(kv, db, opts)).jwks;
}

/**
 * No active key is readable in KV here: the first key, created once. Every caller that finds no
 * claim generates a candidate, exactly one claim wins in D1, and all of them sign with the winner
 * and write it to KV (identical writes, so their order does not matter).
 */
async function firstKey(
  kv: KVNamespace,
  db: D1Database,
  opts: KeyOptions,
  activeKid: string | null,
  now: number,
): Promise<SigningKeyRecord> {
  const claimed =
    (await readFirstSigningKey(db)) ??
    (await claimFirstSigningKey(db, await createRecord(opts.masterKey, 'active', now, now)));
  if (activeKid && activeKid !== claimed.kid) {
    // KV names a later key whose record is not visible here yet: never sign with another one.
    throw new Error('the active signing key record is not readable yet');
  }
  await bestEffort('first signing key write', async () => {
    if (!(await readSigningKey(kv, claimed.kid))) {
      await writeRecord(kv, claimed);
      await publish(kv, [claimed.kid], opts.retainMs, now);
    }
    if (!activeKid) await kv.put('signing-key:active', claimed.kid);
  });
  return claimed;
}

/**
 * The public JWK for `kid` if a token signed with it may be trusted: published in `jwks`, or the
 * active or next key even when `jwks` lost it (then `jwks` is repaired). A retired key is trusted
 * only while `jwks` still lists it, so it cannot come back once dropped.
 */
export async function findVerificationJwk(
  kv: KVNamespace,
  kid: string,
  opts: Pick<KeyOptions, 'retainMs' | 'now'>,
): Promise<JWK | undefined> {
  const published = (await readJwks(kv)).keys.find((k) => k.kid === kid);
  if (published) return published;
  const [activeKid, nextKid] = await Promise.all([
    kv.get('signing-key:active'),
    kv.get('signing-key:next'),
  ]);
  if (kid !== activeKid && kid !== nextKid) return undefined;
  const record = await readSigningKey(kv, kid);
  if (!record || record.status === 'retired') return undefined;
  await ensurePublished(kv, [record], opts.retainMs, opts.now ?? Date.now());
  return record.publicJwk;
}

async function promote(
  kv: KVNamespace,
  next: SigningKeyRecord,
  activeKid: string | null,
  opts: KeyOptions,
  now: number,
): Promise<SigningKeyRecord> {
  const promoted: SigningKeyRecord = { ...next, status: 'active' };
  // Every isolate that sees the activation time pass promotes, with the same writes; one that
  // fails (KV's per-key write rate) is retried by the next check, and the key is already published.
  await bestEffort('signing key promotion', async () => {
    await writeRecord(kv, promoted);
    if (activeKid && activeKid !== next.kid) {
      const old = await readSigningKey(kv, activeKid);
      if (old) await writeRecord(kv, { ...old, status: 'retired', retiredAt: now });
    }
    await kv.put('signing-key:active', next.kid);
    await kv.delete('signing-key:next');
    await publish(kv, [next.kid], opts.retainMs, now);
  });
  return promoted;
}

export type RotationResult = { kid: string; activatesAt: number; pending: boolean };

/**
 * Starts a rotation: a new key is published in `jwks` now and signs from `now + delayMs`.
 * With a rotation already pending, returns that one instead of stacking another.
 */
export async function rotateSigningKey(
  kv: KVNamespace,
  db: D1Database,
  opts: KeyOptions & { delayMs: number },
): Promise<RotationResult> {
  const now = opts.now ?? Date.now();
  await activeSigningKey(kv, db, { ...opts, now });
  const pendingKid = await kv.get('signing-key:next');
  const pending = pendingKid ? await readSigningKey(kv, pendingKid) : undefined;
  if (pending && pending.activatesAt > now) {
    // An earlier activation than the pending one (e.g. --delay 0 after a leak) moves it forward.
    if (now + opts.delayMs < pending.activatesAt) {
      const activatesAt = now + opts.delayMs;
      await writeRecord(kv, { ...pending, activatesAt });
      if (opts.delayMs <= 0) await activeSigningKey(kv, db, { ...opts, now });
      return { kid: pending.kid, activatesAt, pending: true };
    }
    return { kid: pending.kid, activatesAt: pending.activatesAt, pending: true };
  }
  const next = await createRecord(opts.masterKey, 'next', now, now + opts.delayMs);
  await writeRecord(kv, next);
  await publish(kv, [next.kid], opts.retainMs, now);
  await kv.put('signing-key:next', next.kid);
  if (opts.delayMs <= 0) await activeSigningKey(kv, db, { ...opts, now });
  return { kid: next.kid, activatesAt: next.activatesAt, pending: false };
}
