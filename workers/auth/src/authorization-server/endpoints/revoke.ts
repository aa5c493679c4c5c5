// Token revocation (RFC 7009). Only the client a token was issued to can revoke it; for anyone
// else the token counts as invalid, which is answered 200 like any invalid token (§2.2). Revoking
// a refresh token revokes its whole grant (§2.1). Revoking an access token revokes its grant too
// (§2.1 allows it; runners verify offline and the rules they poll name grants, not tokens), or,
// for a client_credentials token, every token of that client for that server issued so far; its
// jti is also recorded for introspection and the control plane (docs/oauth.md "Revocation").
import type { Context } from 'hono';
import { OAuthError } from '../../../../../lib/oauth/errors';
import type { AppEnv } from '../../app-env';
import { verifyAccessToken } from '../access-token';
import { authenticateClient } from '../client-auth';
import { oauthConfig, revocationTtlMs } from '../config';
import { bodyParams } from '../request-params';
import { findResource, resourceOrgId } from '../resource';
import { grantIdOfJti, hashSecret } from '../token-material';
import { findGrant, revokeGrantStatements } from '../../store/grants';
import { findRefreshToken } from '../../store/refresh-tokens';
import { auditStatement } from '../../store/audit';
import { revokeJti } from '../../store/revoked-tokens';
import { revocationStatement } from '../../store/token-revocations';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

export async function revoke(c: Ctx): Promise<Response> {
  const config = oauthConfig(c.env);
  const params = await bodyParams(c.req.raw);
  const { client } = await authenticateClient(c.env.DB, config, c.req.raw, params);
  if (!params.token) throw new OAuthError('invalid_request', 'token is required.');
  const meta = requestMeta(c.req.raw);
  const now = Date.now();
  const ttlMs = revocationTtlMs(config);
  const done = () => c.body(null, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });

  const refresh = await findRefreshToken(c.env.DB, await hashSecret(params.token));
  if (refresh) {
    if (refresh.clientId !== client.id) return done();
    const grant = await findGrant(c.env.DB, refresh.grantId);
    const resource = grant ? await findResource(c.env.DB, grant.serverId) : undefined;
    await c.env.DB.batch([
      ...revokeGrantStatements(c.env.DB, refresh.grantId, 'revoked_by_client', now, ttlMs),
      auditStatement(c.env.DB, {
        now,
        orgId: resource ? resourceOrgId(resource) : null,
        actor: client.id,
        action: 'oauth.token.revoked',
        resource: grant?.serverId ?? null,
        ...meta,
        metadata: {
          token_type: 'refresh_token',
          grant_id: refresh.grantId,
          client_id: client.id,
        },
      }),
    ]);
    return done();
  }

  const claims = await verifyAccessToken(c.env, config, params.token);
  if (claims && claims.client_id === client.id) {
    await revokeJti(c.env.KV, claims.jti, claims.exp);
    const grantId = grantIdOfJti(claims.jti);
    const grant = grantId ? await findGrant(c.env.DB, grantId) : undefined;
    const resource = claims.server_id ? await findResource(c.env.DB, claims.server_id) : undefined;
    await c.env.DB.batch([
      ...(grant && grant.clientId === client.id
        ? revokeGrantStatements(c.env.DB, grant.id, 'revoked_by_client', now, ttlMs)
        : [
            revocationStatement(
              c.env.DB,
              { clientId: client.id, serverId: claims.server_id },
              'token_revoked',
              now,
              ttlMs,
            ),
          ]),
      auditStatement(c.env.DB, {
        now,
        orgId: resource ? resourceOrgId(resource) : null,
        actor: client.id,
        action: 'oauth.token.revoked',
        resource: claims.server_id ?? null,
        ...meta,
        metadata: {
          token_type: 'access_token',
          jti: claims.jti,
          client_id: client.id,
          ...(grant ? { grant_id: grant.id } : {}),
        },
      }),
    ]);
  }
  return done();
}
