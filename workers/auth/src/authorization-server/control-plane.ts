// The control plane as an OAuth resource (RFC 8707): `{ISSUER}/v1`, so `moat login` gets a token
// for /v1 through the same authorization code flow MCP clients use. It is a kind of Resource of
// its own (resource.ts), not a server: codes, grants and consents name it by the sentinel id below
// (those columns have no foreign key), and so does its tokens' `server_id`. It offers one
// scope, `moat:api`, to Moat's own clients only (oauth/first-party.ts): any signed-in user may
// consent, and the token acts as that user. Machines use API keys instead.
import type { User } from '../../../../lib/db/schema';
import { resourcePathOn } from '../../../../lib/oauth/resource';
import { findGrant } from '../store/grants';
import { isJtiRevoked } from '../store/revoked-tokens';
import { findUserById } from '../store/users';
import { verifyOwnAccessToken } from './access-token';
import type { OAuthConfig } from './config';
import { isFirstPartyClient } from './first-party';
import { grantIdOfJti } from './token-material';

export const CONTROL_PLANE_SERVER_ID = 'moat-control-plane';
export const CONTROL_PLANE_SCOPE = 'moat:api';
export const CONTROL_PLANE_NAME = 'Moat API';

export const controlPlaneResource = (config: Pick<OAuthConfig, 'issuer'>): string =>
  `${config.issuer}/v1`;

/** `{ISSUER}/v1` or `{ISSUER}/v1/` (scheme and host in any case) → the canonical resource. */
export function canonicalControlPlane(resource: string, config: OAuthConfig): string | undefined {
  const path = resourcePathOn(resource, config.issuer);
  return path !== undefined && /^\/v1\/?$/.test(path) ? controlPlaneResource(config) : undefined;
}

/**
 * Whether a client may be authorized for the control plane. A self-registered client could be
 * anyone's: a user phished into consenting would hand over everything they own (RFC 9700 §4.11
 * treats such clients as untrusted), so only first-party clients qualify.
 */
export const mayUseControlPlane = (clientId: string): boolean => isFirstPartyClient(clientId);

export type ControlPlaneCaller = { user: User; clientId: string; jti: string; scope: string };

/**
 * The user behind a control-plane access token, or undefined: the one verifier's checks
 * (lib/tokens/verify-access-token.ts) with `aud` exactly `{ISSUER}/v1` (a token for a hosted
 * server is not one for the control plane, RFC 8707 §2), the `moat:api` scope, and — unlike the
 * runner, which verifies at the edge — a live grant and an unrevoked `jti`, so revoking the CLI
 * in Connected apps or at /revoke ends its /v1 access at once. A token of any client but a
 * first-party one is refused even if it was issued (defence in depth, and grants from before
 * that rule).
 */
export async function verifyControlPlaneToken(
  env: Env,
  config: OAuthConfig,
  token: string,
): Promise<ControlPlaneCaller | undefined> {
  const verified = await verifyOwnAccessToken(env, config, token, {
    resource: controlPlaneResource(config),
    serverId: CONTROL_PLANE_SERVER_ID,
  });
  if (!verified.ok) return undefined;
  const { sub, jti, scope, client_id: clientId } = verified.claims;
  if (!scope.split(' ').includes(CONTROL_PLANE_SCOPE)) return undefined;
  if (!mayUseControlPlane(clientId)) return undefined;
  const grantId = grantIdOfJti(jti);
  if (!grantId) return undefined;
  const [grant, revoked, user] = await Promise.all([
    findGrant(env.DB, grantId),
    isJtiRevoked(env.KV, jti),
    findUserById(env.DB, sub),
  ]);
  if (revoked || !user || !grant || grant.revokedAt !== null) return undefined;
  if (grant.userId !== sub || grant.serverId !== CONTROL_PLANE_SERVER_ID) return undefined;
  return { user, clientId, jti, scope };
}
