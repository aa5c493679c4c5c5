// The one verifier of Moat access tokens (the RFC 9068 profile of lib/tokens/access-token.ts),
// used by the runner's bearer check, the control plane's /v1 check and the AS's introspection and
// revocation. Callers differ only in the keys they read (their own KV view) and in the audience
// they expect; the rule itself is here, once:
// - header: `alg` RS256 only (RFC 8725 §3.1), `typ` at+jwt (RFC 9068 §4, RFC 8725 §3.11);
// - signature by a key named by `kid` (RFC 7515 §4.1.4); an unknown kid is `unknown_key`;
// - `iss` exactly this AS (RFC 9068 §4 step 3);
// - `aud` exactly one value, the expected resource (RFC 9068 §4 step 4, RFC 8707 §2): a token
//   naming several audiences could be replayed by one of them at another;
// - the RFC 9068 §2.2 claims plus Moat's `server_id` present, with the right types;
// - `exp`, `nbf` and `iat` within LEEWAY_SECONDS of the clock (RFC 7519 §4.1.4 allows "a small
//   leeway"): `iat` too, because revocation rules compare it with the moment of revocation.
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { ACCESS_TOKEN_ALG, ACCESS_TOKEN_TYP, type AccessTokenClaims } from './access-token';

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds, by every verifier. */
export const LEEWAY_SECONDS = 30;
/** Longer than any token this AS signs; refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

export type AccessTokenFailure =
  | 'malformed'
  | 'wrong_type'
  | 'wrong_algorithm'
  | 'unknown_key'
  | 'keys_unavailable' // the key store could not be read: not the token's fault, retry
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'expired'
  | 'not_yet_valid';

export type VerifiedAccessToken =
  | { ok: true; claims: AccessTokenClaims }
  | {
      ok: false;
      reason: AccessTokenFailure;
      /**
       * The `client_id` of a token whose signature verified but whose claims failed (expired,
       * another audience, …): trustworthy enough to tell that client's owner about the refusal
       * (docs/observability.md). Never set when the signature did not verify.
       */
      signedClientId?: string;
    };

/** The verification key named by `kid`, or undefined when the caller's key set has none. */
export type AccessTokenKey = (kid: string) => Promise<CryptoKey | undefined>;

export type AccessTokenExpectation = {
  issuer: string;
  /**
   * The resource the token must be for (`aud`), and, where known, its server id: a deleted
   * server's URL can be taken again, its id never is. `'any'` only for the AS asking about its own
   * tokens (introspection, revocation), which then checks the server itself.
   */
  audience: { resource: string; serverId?: string } | 'any';
  /** The clock, in milliseconds (tests). */
  now?: number;
};

// RFC 9068 §2.2 (iss, exp, aud, sub, client_id, iat, jti) and Moat's server_id. `scope` is
// optional there (§2.2.3); a token without one grants no scope.
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'server_id'];
const STRING_CLAIMS = ['sub', 'client_id', 'jti', 'server_id'] as const;

const fail = (reason: AccessTokenFailure, payload?: unknown): VerifiedAccessToken => {
  const clientId = (payload as { client_id?: unknown } | undefined)?.client_id;
  return typeof clientId === 'string' && clientId.length <= 2048
    ? { ok: false, reason, signedClientId: clientId }
    : { ok: false, reason };
};

/** The verified payload jose attaches to claim failures (checked after the signature). */
function signedPayload(err: unknown): unknown {
  return err instanceof errors.JWTClaimValidationFailed || err instanceof errors.JWTExpired
    ? err.payload
    : undefined;
}

/** jose's errors by their stable `code` (and, for claim checks, the claim), never their text. */
/**
 * Thrown by a key lookup when the key store cannot be read (not when the kid is unknown): the
 * verifier reports `keys_unavailable`, so a resource server fails closed without telling the
 * client its token is bad (RFC 6750 §3.1 is for tokens that are; RFC 9110 §15.6.4 for this).
 */
export class KeysUnavailable extends Error {
  constructor() {
    super('The verification keys cannot be read.');
    this.name = 'KeysUnavailable';
  }
}

function failureOf(err: unknown): AccessTokenFailure {
  if (err instanceof KeysUnavailable) return 'keys_unavailable';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return 'missing_claim';
    if (err.reason === 'invalid') return 'malformed';
    if (err.claim === 'iss') return 'wrong_issuer';
    if (err.claim === 'aud') return 'wrong_audience';
    if (err.claim === 'nbf' || err.claim === 'iat') return 'not_yet_valid';
    if (err.claim === 'typ') return 'wrong_type';
    return 'malformed';
  }
  switch ((err as { code?: unknown }).code) {
    case errors.JWTExpired.code:
      return 'expired';
    case errors.JOSEAlgNotAllowed.code:
      return 'wrong_algorithm';
    case errors.JWKSNoMatchingKey.code:
      return 'unknown_key';
    case errors.JWSSignatureVerificationFailed.code:
      return 'bad_signature';
    default:
      return 'malformed';
  }
}

export async function verifyAccessToken(
  token: string,
  keyFor: AccessTokenKey,
  expect: AccessTokenExpectation,
): Promise<VerifiedAccessToken> {
  if (token.length > MAX_TOKEN_LENGTH) return fail('malformed');
  const now = expect.now ?? Date.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async ({ kid }) => {
        const key = kid ? await keyFor(kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      {
        algorithms: [ACCESS_TOKEN_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer: expect.issuer,
        ...(expect.audience === 'any' ? {} : { audience: expect.audience.resource }),
        clockTolerance: LEEWAY_SECONDS,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: new Date(now),
      },
    ));
  } catch (err) {
    return fail(failureOf(err), signedPayload(err));
  }
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (aud.length !== 1 || typeof aud[0] !== 'string') return fail('wrong_audience', payload);
  const claims = payload as Record<string, unknown>;
  if (STRING_CLAIMS.some((name) => typeof claims[name] !== 'string')) return fail('malformed');
  if (claims.scope !== undefined && typeof claims.scope !== 'string') return fail('malformed');
  // jose checks `iat` only against a maximum age; one from the future would slip past revocation
  // rules, which compare it with the moment of revocation.
  if ((payload.iat as number) > now / 1000 + LEEWAY_SECONDS) return fail('not_yet_valid', payload);
  if (
    expect.audience !== 'any' &&
    expect.audience.serverId !== undefined &&
    claims.server_id !== expect.audience.serverId
  ) {
    return fail('wrong_audience', payload);
  }
  return {
    ok: true,
    claims: {
      iss: payload.iss!,
      sub: claims.sub as string,
      aud: aud[0],
      client_id: claims.client_id as string,
      server_id: claims.server_id as string,
      scope: (claims.scope as string | undefined) ?? '',
      jti: claims.jti as string,
      iat: payload.iat!,
      exp: payload.exp!,
    },
  };
}
