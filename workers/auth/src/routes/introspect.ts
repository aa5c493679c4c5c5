// Token introspection (RFC 7662) for authenticated confidential clients. A client learns about
// its own tokens only; anything unknown, expired, revoked or issued to another client is
// {"active": false} (§2.2), so the endpoint cannot be used to probe other clients' tokens.
import { Hono } from 'hono';
import { OAuthError } from '../../../../lib/oauth/errors';
import type { AppEnv } from '../app-env';
import { verifyAccessToken } from '../oauth/access-token';
import { authenticateClient } from '../oauth/client-auth';
import { oauthConfig } from '../oauth/config';
import { bodyParams } from '../oauth/request-params';
import { grantIdOfJti, hashSecret, requestMeta } from '../oauth/token-material';
import { findGrant, findRefreshToken } from '../store/grants';
import { auditEventStatement } from '../store/oauth-audit';
import { isJtiRevoked } from '../store/revoked-tokens';

function grantLive(
  g: { revokedAt: number | null; expiresAt: number | null } | undefined,
  now: number,
) {
  return g !== undefined && g.revokedAt === null && (g.expiresAt === null || g.expiresAt > now);
}

export const introspect = new Hono<AppEnv>().post('/', async (c) => {
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
      const grantId = grantIdOfJti(claims.jti);
      const live =
        claims.client_id === client.id &&
        !(await isJtiRevoked(c.env.KV, claims.jti)) &&
        (!grantId || grantLive(await findGrant(c.env.DB, grantId), now));
      if (live) body = { active: true, token_type: 'Bearer', ...claims };
    }
  }
  await auditEventStatement(
    c.env.DB,
    {
      actor: client.id,
      action: 'oauth.token.introspected',
      ...requestMeta(c.req.raw),
      metadata: { ...audited, client_id: client.id, active: body.active },
    },
    now,
  ).run();
  return c.json(body, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });
});
