// Validation of an authorization request (OAuth 2.1 §4.1.1), in the order that decides how an
// error is reported: until the client and the redirect URI are validated, errors are shown on a
// local page (AuthorizeError without a target); after that they may redirect to the client
// (§4.1.2.1) — for a self-registered client only once a user has signed in (RFC 9700 §4.11.2,
// `RedirectTrust`). The same validation runs again on the consent form's POST, so nothing the
// browser sends back is trusted.
import type { OAuthClient } from '../../../../lib/db/schema';
import {
  AuthorizeError,
  OAuthError,
  validatedRedirect,
  type RedirectTarget,
  type RedirectTrust,
} from '../../../../lib/oauth/errors';
import { isS256Challenge } from '../../../../lib/oauth/pkce';
import { matchRedirectUri } from '../../../../lib/oauth/redirect-uri';
import { formatScope, parseScope, resolveScopes } from '../../../../lib/oauth/scopes';
import { resolveClient } from './clients';
import type { OAuthConfig } from './config';
import { mayUseControlPlane } from './control-plane';
import type { Params } from './request-params';
import type { Target } from './resource';
import { resolveResource } from './resource-server';

/** The parameters an authorization request carries through the consent form. */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'resource',
  'code_challenge',
  'code_challenge_method',
  'prompt',
] as const;

export type AuthorizationRequest = {
  client: OAuthClient;
  target: RedirectTarget;
  redirectUri: string;
  codeChallenge: string;
  resource: Target;
  scopes: string[];
  scope: string;
  prompt: string | undefined;
  params: Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;
};

/**
 * RFC 9700 §4.11.2: anyone can register a DCR client or publish a metadata document naming any
 * redirect URI, so neither is trusted to receive an error before a user has signed in. A new kind
 * of client must decide here (the switch is exhaustive).
 */
function redirectTrust(kind: OAuthClient['kind']): RedirectTrust {
  switch (kind) {
    case 'dcr':
    case 'cimd':
      return 'after-sign-in';
  }
}

export async function validateAuthorizationRequest(
  db: D1Database,
  config: OAuthConfig,
  params: Params,
): Promise<AuthorizationRequest> {
  // Local errors: no validated redirect yet.
  if (!params.client_id) throw new AuthorizeError('invalid_request', 'client_id is missing.');
  let client: OAuthClient;
  try {
    client = await resolveClient(db, config, params.client_id);
  } catch (err) {
    if (err instanceof OAuthError && err.code !== 'temporarily_unavailable') {
      throw new AuthorizeError('invalid_client', err.message);
    }
    throw err;
  }
  const redirectUri = params.redirect_uri;
  // OAuth 2.1 §2.3.1 lets a client with one registered URI omit it; we require it always, so the
  // token request can be checked against exactly what was used (every MCP client sends it).
  if (!redirectUri) throw new AuthorizeError('invalid_request', 'redirect_uri is missing.');
  if (!matchRedirectUri(redirectUri, client.redirectUris)) {
    throw new AuthorizeError('invalid_request', 'redirect_uri is not registered for this client.');
  }

  // From here on, errors may go back to the client (AuthorizeError.redirectUrl decides).
  const target = validatedRedirect(
    redirectUri,
    params.state,
    config.issuer,
    redirectTrust(client.kind),
  );
  const fail = (code: ConstructorParameters<typeof AuthorizeError>[0], why: string) =>
    new AuthorizeError(code, why, target);

  if (!params.response_type) throw fail('invalid_request', 'response_type is missing.');
  if (params.response_type !== 'code') {
    throw fail('unsupported_response_type', 'Only response_type=code is supported.');
  }
  if (!client.grantTypes.includes('authorization_code')) {
    throw fail('unauthorized_client', 'This client is not registered for authorization_code.');
  }
  if (params.code_challenge_method !== 'S256' || !params.code_challenge) {
    throw fail(
      'invalid_request',
      'PKCE is required: code_challenge with code_challenge_method=S256.',
    );
  }
  if (!isS256Challenge(params.code_challenge)) {
    throw fail('invalid_request', 'code_challenge is not a S256 challenge.');
  }
  if (params.state !== undefined && params.state.length > 2048) {
    throw fail('invalid_request', 'state is too long.');
  }
  const requested = parseScope(params.scope);
  if (!requested) throw fail('invalid_scope', 'The scope parameter is malformed.');
  let resource: Target;
  try {
    resource = await resolveResource(db, config, params.resource);
  } catch (err) {
    if (err instanceof OAuthError && err.code === 'invalid_target') {
      throw fail('invalid_target', err.message);
    }
    throw err;
  }
  if (resource.kind === 'control-plane' && !mayUseControlPlane(client.id)) {
    throw fail(
      'invalid_target',
      'Only Moat’s own clients (the moat CLI) may access the Moat API; scripts use an API key.',
    );
  }
  const decision = resolveScopes(requested, resource.offeredScopes);
  if (!decision.ok) {
    throw fail('invalid_scope', `The server does not offer: ${decision.unknown.join(' ')}.`);
  }
  const kept: AuthorizationRequest['params'] = {};
  for (const k of AUTHORIZE_PARAMS) if (params[k] !== undefined) kept[k] = params[k];
  return {
    client,
    target,
    redirectUri,
    codeChallenge: params.code_challenge,
    resource,
    scopes: decision.scopes,
    scope: formatScope(decision.scopes),
    prompt: params.prompt,
    params: kept,
  };
}
