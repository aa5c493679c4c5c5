// The token endpoint (OAuth 2.1 §3.2). Every response is `no-store` (§3.2.3); errors are RFC
// bodies (§3.2.4), `invalid_client` is 401 with a Basic challenge when Basic was used.
import type { Context } from 'hono';
import { OAuthError } from '../../../../../lib/oauth/errors';
import type { AppEnv } from '../../app-env';
import { authenticateClient } from '../client-auth';
import { oauthConfig } from '../config';
import { authorizationCodeGrant } from '../grants/authorization-code';
import { clientCredentialsGrant } from '../grants/client-credentials';
import { refreshTokenGrant } from '../grants/refresh-token';
import { bodyParams } from '../request-params';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const;

export async function token(c: Ctx): Promise<Response> {
  const config = oauthConfig(c.env);
  const params = await bodyParams(c.req.raw);
  c.set('tokenParams', params);
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (!Object.hasOwn(GRANTS, grantType)) {
    throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  }
  // A code redemption creates a grant from nothing but the code and the client, so it reads the
  // client from D1; the other grants may use the isolate's short copy because they re-read the
  // grant state a client's revocation changes (docs/decisions.md 2026-12-03).
  const client = await authenticateClient(c.env.DB, config, c.req.raw, params, {
    cached: grantType !== 'authorization_code',
  });
  if (!client.client.grantTypes.includes(grantType)) {
    throw new OAuthError(
      'unauthorized_client',
      `This client is not registered for the ${grantType} grant.`,
    );
  }
  const handler = GRANTS[grantType as keyof typeof GRANTS];
  // Work deferred past the response (grouped audit writes) runs in waitUntil when there is one.
  const defer = {
    waitUntil: (p: Promise<unknown>) => {
      try {
        c.executionCtx.waitUntil(p);
      } catch {
        void p;
      }
    },
  };
  const body = await handler(c.env, config, client, params, requestMeta(c.req.raw), defer);
  return c.json(body, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });
}
