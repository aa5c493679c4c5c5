// Signing keys in KV (docs/oauth.md "Keys"):
//   jwks                 the public JWK Set the runner reads
//   signing-key:<kid>    one record; the private JWK sealed under MASTER_KEY (AAD = kid)
//   signing-key:active   the kid that signs now
//   signing-key:next     the kid published ahead of its activation, while a rotation is pending
// and in D1 `first_signing_key`, the one claim that makes the first key unique (KV cannot).
// Rotation publishes the next key first and signs with it only after `activatesAt`, so every
// verifier has seen it (RFC 7517 key rollover); retired keys stay in `jwks` until every token they
// signed has expired.
import type { JWK } from 'jose';
import { claimFirstSigningKey, readFirstSigningKey } from './first-signing-key';
import { bestEffort, ensurePublished, publish, readJwks, type JwkSet } from './jwks';
import {
  createRecord,
  readSigningKey,
  writeRecord,
  type SigningKeyRecord,
} from './signing-key-records';

export { readJwks, type JwkSet } from './jwks';
export {
  newFirstSigningKey,
  openPrivateJwk,
  readSigningKey,
  type KeyStatus,
  type SigningKeyRecord,
} from './signing-key-records';

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
