// Discovery: RFC 8414 authorization server metadata (also at the OpenID Connect path, which some
// MCP clients try first) and the JWK Set the runner and any other verifier use.
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env';
import { oauthConfig } from '../config';
import { publishedJwks } from '../../store/signing-keys';
import { retainMs } from '../access-token';
import { OAuthError } from '../../../../../lib/oauth/errors';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../store/storage-fault';

const CACHE = 'public, max-age=300';

export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: [
      'none',
      'client_secret_basic',
      'client_secret_post',
    ],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['mcp:read', 'mcp:write', 'mcp:admin', 'offline_access'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/docs/oauth`,
  };
}

type Ctx = Context<AppEnv>;

/** RFC 8414 §3, served at both discovery paths. */
export function serverMetadata(c: Ctx): Response {
  return c.json(authorizationServerMetadata(oauthConfig(c.env).issuer), 200, {
    'cache-control': CACHE,
  });
}

export async function jwks(c: Ctx): Promise<Response> {
  // Always the active and pending keys, even if `jwks` in KV lost one (it is repaired), and on
  // the very first request the first key (claimed once, see store/first-signing-key.ts).
  let keys;
  try {
    keys = await publishedJwks(c.env.KV, c.env.DB, {
      masterKey: c.env.MASTER_KEY,
      retainMs: retainMs(oauthConfig(c.env)),
    });
  } catch (err) {
    console.error('jwks unavailable', { name: (err as Error).name });
    throw new OAuthError('temporarily_unavailable', 'No signing key is available.', {
      headers: { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
    });
  }
  return c.json(keys, 200, { 'cache-control': CACHE });
}
