// The runner's edge check of OAuth access tokens (RFC 6750, RFC 9068 JWT profile). Verification
// needs no call to the AS: the one verifier (lib/tokens/verify-access-token.ts) against the cached
// JWKS, for this server's resource and id, then the isolate's copy of the revocation rules
// (revocation-list.ts).
import { grantIdOfJti, type PresentedToken } from '../../../lib/tokens/revocation';
import {
  LEEWAY_SECONDS,
  verifyAccessToken,
  type AccessTokenFailure,
} from '../../../lib/tokens/verify-access-token';
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

export type BearerFailure =
  'no_token' | 'malformed_header' | AccessTokenFailure | 'revoked' | 'revocation_unknown';

export type BearerResult =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      tokenSent: boolean;
      reason: BearerFailure;
      /** The revocation rules (or the keys) could not be read and no cached copy can answer. */
      unavailable?: true;
      /** The refused token's client, when its signature verified (connection health). */
      clientId?: string;
    };

type BearerEnv = Pick<
  Env,
  'KV' | 'DB' | 'ISSUER' | 'REVOCATION_POLL_SECONDS' | 'REVOCATION_MAX_STALE_SECONDS'
>;

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
      ? { ok: false, tokenSent: true, reason: 'malformed_header' }
      : { ok: false, tokenSent: false, reason: 'no_token' };
  }
  // RFC 8707 + RFC 9068 §4: a token for another server (or a deleted one whose URL was reused)
  // is useless here.
  const verified = await verifyAccessToken(token, (kid) => verificationKey(env.KV, kid), {
    issuer: env.ISSUER,
    audience: { resource: server.resource, serverId: server.id },
  });
  if (!verified.ok) {
    const { reason, signedClientId } = verified;
    if (reason === 'keys_unavailable')
      return { ok: false, tokenSent: true, reason, unavailable: true };
    return signedClientId
      ? { ok: false, tokenSent: true, reason, clientId: signedClientId }
      : { ok: false, tokenSent: true, reason };
  }
  const { claims } = verified;
  const principal: Principal = {
    sub: claims.sub,
    clientId: claims.client_id,
    jti: claims.jti,
    iat: claims.iat,
    exp: claims.exp,
    serverId: claims.server_id,
    scopes: claims.scope.split(' ').filter(Boolean),
  };

  const verdict = await revocationVerdict(env, server, principal);
  if (verdict === 'revoked') {
    return { ok: false, tokenSent: true, reason: 'revoked', clientId: principal.clientId };
  }
  if (verdict === 'unknown') {
    return { ok: false, tokenSent: true, reason: 'revocation_unknown', unavailable: true };
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
  if (p.exp + LEEWAY_SECONDS < now / 1000) return false;
  return (await revocationVerdict(env, server, p, now)) === 'live';
}

export function hasScopes(granted: readonly string[], needed: readonly string[]): boolean {
  return needed.every((s) => granted.includes(s));
}
