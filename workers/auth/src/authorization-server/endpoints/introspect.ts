// Token introspection (RFC 7662) for authenticated confidential clients. A client may ask about
// its own tokens and — RFC 7662 §2.1's main case, a resource server asking about a token
// presented to it — about access tokens for servers of the org that owns the client (registered
// with one of its API keys or sessions). Anything else — unknown, expired, revoked, another
// org's, a refresh token of another client — is {"active": false} (§2.2), so the endpoint cannot
// be used to probe tokens one has no business with (§4). Revoked means what the runner applies:
// a revoked grant or jti, and any revocation rule (lib/tokens/revocation.ts).
import type { Context } from 'hono';
import type { OAuthClient } from '../../../../../lib/db/schema';
import { OAuthError } from '../../../../../lib/oauth/errors';
import type { AccessTokenClaims } from '../../../../../lib/tokens/access-token';
import type { AppEnv } from '../../app-env';
import { verifyAccessToken } from '../access-token';
import { authenticateClient } from '../client-auth';
import { oauthConfig } from '../config';
import { bodyParams } from '../request-params';
import { findResource, resourceId, resourceOrgId, type Resource } from '../resource';
import { grantIdOfJti, hashSecret } from '../token-material';
import { findGrant } from '../../store/grants';
import { findRefreshToken } from '../../store/refresh-tokens';
import { auditStatement } from '../../store/audit';
import { isJtiRevoked } from '../../store/revoked-tokens';
import { isRevokedByRule } from '../../store/token-revocations';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

function grantLive(
  g: { revokedAt: number | null; expiresAt: number | null } | undefined,
  now: number,
) {
  return g !== undefined && g.revokedAt === null && (g.expiresAt === null || g.expiresAt > now);
}

/**
 * Whether `client` may learn about an access token for `resource` that another client holds: a
 * hosted server of its org. The control plane is no org's resource server.
 */
function servesOrgOf(client: OAuthClient, resource: Resource | undefined): boolean {
  return (
    resource?.kind === 'hosted' &&
    client.ownerOrgId !== null &&
    resource.server.orgId === client.ownerOrgId
  );
}

async function accessTokenLive(
  env: Env,
  claims: AccessTokenClaims,
  resource: Resource,
  now: number,
): Promise<boolean> {
  const grantId = grantIdOfJti(claims.jti);
  const [revoked, grant, ruled] = await Promise.all([
    isJtiRevoked(env.KV, claims.jti),
    grantId ? findGrant(env.DB, grantId) : undefined,
    isRevokedByRule(
      env.DB,
      {
        sub: claims.sub,
        clientId: claims.client_id,
        grantId,
        serverId: resourceId(resource),
        orgId: resourceOrgId(resource),
        iat: claims.iat,
      },
      now,
    ),
  ]);
  return !revoked && !ruled && (!grantId || grantLive(grant, now));
}

export async function introspect(c: Ctx): Promise<Response> {
  const config = oauthConfig(c.env);
  const params = await bodyParams(c.req.raw);
  const { client, method } = await authenticateClient(c.env.DB, config, c.req.raw, params);
  if (method === 'none') {
    throw new OAuthError('invalid_client', 'Introspection needs a confidential client.');
  }
  if (!params.token) throw new OAuthError('invalid_request', 'token is required.');
  const now = Date.now();
  let body: Record<string, unknown> = { active: false };
  let audited: Record<string, unknown> = { token_type: 'unknown' };

  const refresh = await findRefreshToken(c.env.DB, await hashSecret(params.token));
  if (refresh) {
    // Refresh tokens never reach a resource server: only their own client learns about them.
    const grant = await findGrant(c.env.DB, refresh.grantId);
    audited = { token_type: 'refresh_token', grant_id: refresh.grantId };
    if (
      refresh.clientId === client.id &&
      refresh.usedAt === null &&
      refresh.revokedAt === null &&
      refresh.idleExpiresAt > now &&
      grant &&
      grantLive(grant, now)
    ) {
      body = {
        active: true,
        token_type: 'refresh_token',
        client_id: client.id,
        sub: grant.userId,
        aud: grant.resource,
        scope: grant.scope,
        iss: config.issuer,
        iat: Math.floor(refresh.createdAt / 1000),
        exp: Math.floor(Math.min(refresh.idleExpiresAt, grant.expiresAt ?? Infinity) / 1000),
      };
    }
  } else {
    const claims = await verifyAccessToken(c.env, config, params.token);
    if (claims) {
      audited = { token_type: 'access_token', jti: claims.jti };
      const resource =
        typeof claims.server_id === 'string'
          ? await findResource(c.env.DB, claims.server_id)
          : undefined;
      const mayAsk = claims.client_id === client.id || servesOrgOf(client, resource);
      // A token whose server is gone (deleted) is inactive for everyone.
      if (mayAsk && resource && (await accessTokenLive(c.env, claims, resource, now))) {
        body = { active: true, token_type: 'Bearer', ...claims };
      }
      if (claims.client_id !== client.id) audited.token_client_id = claims.client_id;
    }
  }
  await auditStatement(c.env.DB, {
    now,
    orgId: client.ownerOrgId,
    actor: client.id,
    action: 'oauth.token.introspected',
    ...requestMeta(c.req.raw),
    metadata: { ...audited, client_id: client.id, active: body.active },
  }).run();
  return c.json(body, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });
}
