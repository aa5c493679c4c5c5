// Issues and verifies access tokens (lib/tokens/access-token.ts is the contract). The signing key
// is read from KV and cached in the isolate for a few seconds (docs/decisions.md 2026-12-03
// "Token endpoint caches"); without a usable key the AS fails closed with 503 and never signs
// with anything else.
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { OAuthError } from '../../../../lib/oauth/errors';
import {
  ACCESS_TOKEN_ALG,
  ACCESS_TOKEN_TYP,
  type AccessTokenClaims,
} from '../../../../lib/tokens/access-token';
import {
  verifyAccessToken as verifyToken,
  type AccessTokenExpectation,
  type AccessTokenKey,
  type VerifiedAccessToken,
} from '../../../../lib/tokens/verify-access-token';
import { activeSigningKey, findVerificationJwk, openPrivateJwk } from '../store/signing-keys';
import type { OAuthConfig } from './config';
import { STORAGE_RETRY_AFTER_SECONDS } from '../store/storage-fault';

type Signer = { kid: string; key: CryptoKey; checkedAt: number };

const RECHECK_MS = 5_000;
let signer: Signer | undefined;

/** Drops the isolate's cached key (rotation API). */
export function forgetSigningKey(): void {
  signer = undefined;
}

/**
 * The key that signs now. The decrypted key is cached in the isolate and used without any read
 * for RECHECK_MS; then the full key state is read again, so that a pending rotation is promoted
 * on time and a `jwks` that lost the key is repaired. Another isolate may thus sign with the
 * previous key for up to RECHECK_MS after a rotation: that key stays published in `jwks` for
 * `retainMs`, so those tokens verify (RFC 7517 key rollover); this isolate's rotation API drops
 * the cache at once (forgetSigningKey).
 */
async function currentSigner(env: Env, config: OAuthConfig): Promise<Signer> {
  const now = Date.now();
  try {
    if (signer && now - signer.checkedAt < RECHECK_MS) return signer;
    const record = await activeSigningKey(env.KV, env.DB, {
      masterKey: env.MASTER_KEY,
      retainMs: retainMs(config),
      now,
    });
    if (signer?.kid === record.kid) return (signer = { ...signer, checkedAt: now });
    const jwk = await openPrivateJwk(env.MASTER_KEY, record);
    const key = (await importJWK(jwk, ACCESS_TOKEN_ALG)) as CryptoKey;
    return (signer = { kid: record.kid, key, checkedAt: now });
  } catch (err) {
    console.error('signing key unusable', { name: (err as Error).name });
    // Fail closed, retryably: nothing was written yet (RFC 9110 §10.2.3 Retry-After).
    throw new OAuthError(
      'temporarily_unavailable',
      'The authorization server cannot sign tokens right now.',
      { headers: { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) } },
    );
  }
}

/** How long a retired key stays published: the longest token life plus clock skew. */
export function retainMs(config: OAuthConfig): number {
  return (config.accessTokenTtlSeconds + 300) * 1000;
}

export type IssuedAccessToken = { token: string; jti: string; expiresIn: number; kid: string };

/**
 * `decidedAt` (ms): when the access decision behind the token was read, if earlier than now (a
 * decision the isolate kept, store/machine-access-cache.ts). It becomes `iat`, so a revocation
 * rule written after that read stops the token (lib/tokens/revocation.ts), and `exp` counts from
 * it: the token never outlives what the decision allowed.
 */
export async function signAccessToken(
  env: Env,
  config: OAuthConfig,
  claims: Pick<AccessTokenClaims, 'sub' | 'aud' | 'client_id' | 'server_id' | 'scope' | 'jti'>,
  decidedAt?: number,
): Promise<IssuedAccessToken> {
  const { kid, key } = await currentSigner(env, config);
  const now = Math.floor(Date.now() / 1000);
  const iat = decidedAt === undefined ? now : Math.min(now, Math.floor(decidedAt / 1000));
  const exp = iat + config.accessTokenTtlSeconds;
  const payload: AccessTokenClaims = { iss: config.issuer, ...claims, iat, exp };
  const token = await new SignJWT(payload as unknown as JWTPayload)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYP, kid })
    .sign(key);
  // RFC 6749 §5.1: expires_in is the lifetime from now.
  return { token, jti: claims.jti, expiresIn: exp - now, kid };
}

/**
 * The keys this AS's tokens verify with, by `kid` (RFC 7515 §4.1.4): the published set, or the
 * active or next key even when `jwks` lost it (findVerificationJwk).
 */
export function accessTokenKey(env: Env, config: OAuthConfig): AccessTokenKey {
  return async (kid) => {
    const jwk = await findVerificationJwk(env.KV, kid, { retainMs: retainMs(config) });
    if (!jwk) return undefined;
    return (await importJWK({ ...jwk, alg: ACCESS_TOKEN_ALG }, ACCESS_TOKEN_ALG)) as CryptoKey;
  };
}

/** Verifies a token against this AS's keys and issuer (lib/tokens/verify-access-token.ts). */
export function verifyOwnAccessToken(
  env: Env,
  config: OAuthConfig,
  token: string,
  audience: AccessTokenExpectation['audience'],
): Promise<VerifiedAccessToken> {
  return verifyToken(token, accessTokenKey(env, config), { issuer: config.issuer, audience });
}

/** The claims of a token this AS signed, for any of its resources, or undefined. */
export async function verifyAccessToken(
  env: Env,
  config: OAuthConfig,
  token: string,
): Promise<AccessTokenClaims | undefined> {
  const verified = await verifyOwnAccessToken(env, config, token, 'any');
  return verified.ok ? verified.claims : undefined;
}
