// grant_type=client_credentials (OAuth 2.1 §4.2) for confidential machine clients. A client may
// act only with its owner's access: it must have been registered by a signed-in account (an API
// key or session at /register), and that account must be allowed to use the server the resource
// names (RFC 8707 §2: otherwise invalid_target). No refresh token (OAuth 2.1 §4.2.3).
import { OAuthError } from '../../../../../lib/oauth/errors';
import { formatScope, parseScope, resolveScopes } from '../../../../../lib/oauth/scopes';
import { markClientUsedStatement } from '../../store/oauth-clients';
import { bufferAudit } from '../audit-buffer';
import { signAccessToken } from '../access-token';
import type { AuthenticatedClient } from '../client-auth';
import type { OAuthConfig } from '../config';
import type { Params } from '../request-params';
import { CONTROL_PLANE_SERVER_ID } from '../control-plane';
import { resolveResource } from '../resource-server';
import { userMayUseTarget } from '../target-access';
import { newJti, type RequestMeta, type TokenResponse } from '../token-material';

export async function clientCredentialsGrant(
  env: Env,
  config: OAuthConfig,
  { client, method }: AuthenticatedClient,
  params: Params,
  meta: RequestMeta,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
): Promise<TokenResponse> {
  if (method === 'none') {
    throw new OAuthError('unauthorized_client', 'client_credentials needs a confidential client.');
  }
  if (!client.ownerUserId) {
    throw new OAuthError(
      'unauthorized_client',
      'Only clients registered with an account (an API key at /register) may use client_credentials.',
    );
  }
  const requested = parseScope(params.scope);
  if (!requested) throw new OAuthError('invalid_scope', 'The scope parameter is malformed.');
  const target = await resolveResource(env.DB, config, params.resource);
  if (target.server.id === CONTROL_PLANE_SERVER_ID) {
    // Machines reach /v1 with an API key; a control-plane token always acts as a user.
    throw new OAuthError('invalid_target', 'Use an API key for machine access to the Moat API.');
  }
  if (!(await userMayUseTarget(env.DB, target.server.id, client.ownerUserId))) {
    throw new OAuthError('invalid_target', 'This client may not access that server.');
  }
  const decision = resolveScopes(
    requested.filter((s) => s !== 'offline_access'),
    target.offeredScopes,
  );
  if (!decision.ok) {
    throw new OAuthError(
      'invalid_scope',
      `The server does not offer: ${decision.unknown.join(' ')}.`,
    );
  }
  const scope = formatScope(decision.scopes);
  const jti = newJti();
  const access = await signAccessToken(env, config, {
    sub: client.id,
    aud: target.canonical,
    client_id: client.id,
    server_id: target.server.id,
    scope,
    jti,
  });
  const now = Date.now();
  bufferAudit(
    ctx,
    env.DB,
    {
      orgId: target.server.orgId,
      actor: client.id,
      action: 'oauth.token.issued',
      resource: target.server.id,
      ...meta,
      metadata: {
        grant_type: 'client_credentials',
        client_id: client.id,
        jti,
        scope,
        kid: access.kid,
      },
    },
    now,
  );
  if (client.lastUsedAt === null || now - client.lastUsedAt > 3_600_000) {
    await markClientUsedStatement(env.DB, client.id, now).run();
  }
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope };
}
