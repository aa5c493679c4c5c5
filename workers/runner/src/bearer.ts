// The runner's edge check of OAuth access tokens (RFC 6750, RFC 9068 JWT profile). Verification
// needs no call to the AS: signature against the cached JWKS, then iss, aud, exp/nbf, typ, the
// server's identity, and the isolate's copy of the revocation rules (revocation-list.ts).
import { errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { grantIdOfJti, type PresentedToken } from '../../../lib/tokens/revocation';
import { verificationKey } from './jwks';
import { isolateRevocations, revocationTiming } from './revocation-list';
import type { HostedServer } from './server-cache';

/** Who is calling, as the AS attested it. The token itself is never kept or forwarded. */
export type Principal = {
  sub: string;
  clientId: string;
  scopes: string[];
  jti: string;
  /** `iat` and `exp`, in seconds (RFC 7519 §4.1.4, §4.1.6). */
  iat: number;
  exp: number;
  /** The hosted server the token was issued for (always the server it was accepted at). */
  serverId: string;
};

export type BearerResult =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      tokenSent: boolean;
      reason: string;
      /** The revocation rules could not be read and this isolate's copy is too old to trust. */
      unavailable?: true;
    };

type BearerEnv = Pick<
  Env,
  'KV' | 'DB' | 'ISSUER' | 'REVOCATION_POLL_SECONDS' | 'REVOCATION_MAX_STALE_SECONDS'
>;

export const CLOCK_LEEWAY_SECONDS = 30;
const MAX_TOKEN_LENGTH = 8192;

// Set only by the bench build (scripts/bench/runner.mjs, esbuild `define`); in every other bundle
// it is an undeclared global and this branch is dead code. No configuration can reach it.
declare const __MOAT_BENCH_SKIP_VERIFY__: boolean | undefined;
// Likewise, only the bench's "revocation off" bundle defines this (the cost of the check).
declare const __MOAT_BENCH_SKIP_REVOCATION__: boolean | undefined;

/** RFC 6750 §2.1: `Authorization: Bearer <token>`. Query (§2.3) and body (§2.2) are not read. */
function bearerToken(req: Request): string | undefined {
  const header = req.headers.get('authorization');
  if (!header) return undefined;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return m?.[1];
}

export async function verifyBearer(
  req: Request,
  env: BearerEnv,
  server: Pick<HostedServer, 'id' | 'orgId' | 'resource'>,
): Promise<BearerResult> {
  const header = req.headers.get('authorization');
  const token = bearerToken(req);
  if (!token) {
    return header
      ? { ok: false, tokenSent: true, reason: 'malformed Authorization header' }
      : { ok: false, tokenSent: false, reason: 'no token' };
  }
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, tokenSent: true, reason: 'too long' };

  let payload: JWTPayload;
  if (typeof __MOAT_BENCH_SKIP_VERIFY__ !== 'undefined' && __MOAT_BENCH_SKIP_VERIFY__) {
    payload = JSON.parse(atob(token.split('.')[1]!.replaceAll('-', '+').replaceAll('_', '/')));
  } else {
    try {
      ({ payload } = await jwtVerify(
        token,
        async (h: JWTHeaderParameters) => {
          const key = h.kid ? await verificationKey(env.KV, h.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        {
          algorithms: ['RS256'], // RFC 8725 §3.1: one algorithm, never `none` or HMAC
          typ: 'at+jwt', // RFC 9068 §4: reject ID tokens and other JWTs
          issuer: env.ISSUER,
          audience: server.resource, // RFC 8707 + RFC 9068 §4: a token for another server is useless here
          clockTolerance: CLOCK_LEEWAY_SECONDS,
          requiredClaims: ['sub', 'client_id', 'jti', 'exp', 'iat', 'server_id'],
        },
      ));
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ERR_JWT_INVALID';
      return { ok: false, tokenSent: true, reason: code };
    }
    // A token naming several audiences could be replayed by one of them at another.
    if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
      return { ok: false, tokenSent: true, reason: 'multiple audiences' };
    }
  }

  const {
    sub,
    client_id: clientId,
    server_id: serverId,
    scope,
    jti,
    iat,
    exp,
  } = payload as JWTPayload & {
    client_id?: unknown;
    server_id?: unknown;
    scope?: unknown;
  };
  if (
    typeof sub !== 'string' ||
    typeof clientId !== 'string' ||
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    return { ok: false, tokenSent: true, reason: 'claims of the wrong type' };
  }
  // `aud` names a URL, and a deleted server's slug can be taken by another server; the id is never
  // reused, so a token for the old server is refused here (RFC 6750 §3.1 invalid_token).
  if (serverId !== server.id) return { ok: false, tokenSent: true, reason: 'server_id mismatch' };
  // Revocation rules compare `iat` with the moment of revocation: a token claiming to come from
  // the future could slip past them.
  if (iat > Date.now() / 1000 + CLOCK_LEEWAY_SECONDS) {
    return { ok: false, tokenSent: true, reason: 'iat in the future' };
  }
  const principal: Principal = {
    sub,
    clientId,
    jti,
    iat,
    exp,
    serverId,
    scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
  };

  if (typeof __MOAT_BENCH_SKIP_REVOCATION__ === 'undefined' || !__MOAT_BENCH_SKIP_REVOCATION__) {
    const verdict = await revocationVerdict(env, server, principal);
    if (verdict === 'revoked') return { ok: false, tokenSent: true, reason: 'revoked' };
    if (verdict === 'unknown') {
      return { ok: false, tokenSent: true, reason: 'revocation_unknown', unavailable: true };
    }
  }
  return { ok: true, principal };
}

/** The principal's standing against the isolate's revocation rules (RFC 7009 §2: ours to carry). */
export function revocationVerdict(
  env: BearerEnv,
  server: Pick<HostedServer, 'orgId'>,
  p: Principal,
  now = Date.now(),
) {
  const token: PresentedToken = {
    sub: p.sub,
    clientId: p.clientId,
    grantId: grantIdOfJti(p.jti),
    serverId: p.serverId,
    orgId: server.orgId,
    iat: p.iat,
  };
  return isolateRevocations.verdict(env.DB, revocationTiming(env), token, now);
}

/** Still good at `now`: not expired beyond the leeway, and not revoked. */
export async function stillValid(
  env: BearerEnv,
  server: Pick<HostedServer, 'orgId'>,
  p: Principal,
  now = Date.now(),
): Promise<boolean> {
  if (p.exp + CLOCK_LEEWAY_SECONDS < now / 1000) return false;
  return (await revocationVerdict(env, server, p, now)) === 'live';
}

export function hasScopes(granted: readonly string[], needed: readonly string[]): boolean {
  return needed.every((s) => granted.includes(s));
}
