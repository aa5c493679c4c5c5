// What the recorder keeps of an authorization request (OAuth 2.1 §4.1.1) and why it failed, in
// words the diagnosis can use. Never `state` (the client's, and it may carry anything) and never
// the PKCE challenge itself, only whether it was there.
import type { OAuthError } from '../../../../lib/oauth/errors';
import { matchRedirectUri } from '../../../../lib/oauth/redirect-uri';
import { findClientRow } from '../store/oauth-clients';
import { findServerBySlug } from '../store/servers';

type Detail = Record<string, string | number | boolean | null | string[]>;

const cut = (v: string | undefined, n = 300) => (v === undefined ? null : v.slice(0, n));

export function authorizeParams(p: Record<string, string | undefined>): Detail {
  return {
    clientId: cut(p.client_id),
    redirectUri: cut(p.redirect_uri),
    responseType: cut(p.response_type, 40),
    scope: cut(p.scope),
    resource: cut(p.resource),
    codeChallenge: p.code_challenge ? 'present' : 'missing',
    codeChallengeMethod: cut(p.code_challenge_method, 20),
    prompt: cut(p.prompt, 40),
  };
}

/** The server a resource indicator names on this platform's runner, if any (RFC 8707 §2). */
export async function serverOfResource(
  db: D1Database,
  runnerOrigin: string,
  resource: string | undefined,
): Promise<string | null> {
  if (!resource) return null;
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return null;
  }
  if (url.origin !== new URL(runnerOrigin).origin) return null;
  const slug = url.pathname.split('/').filter(Boolean)[0];
  if (!slug) return null;
  return (await findServerBySlug(db, slug))?.id ?? null;
}

/**
 * A stable reason for a failed authorization request, found from the request itself (not from
 * the error's text): the order mirrors validateAuthorizationRequest.
 */
export async function authorizeFailure(
  db: D1Database,
  p: Record<string, string | undefined>,
  err: OAuthError,
  step: 'authorize' | 'consent',
): Promise<Detail> {
  const base = { error: err.code, description: err.message.slice(0, 300) };
  switch (err.code) {
    case 'invalid_client':
      return { ...base, reason: 'invalid_client' };
    case 'invalid_target':
      return { ...base, reason: 'resource_mismatch' };
    case 'invalid_scope':
      return { ...base, reason: 'unknown_scope' };
    case 'login_required':
    case 'consent_required':
      return { ...base, reason: err.code };
    case 'access_denied':
      if (step === 'consent') {
        return {
          ...base,
          reason: p.decision === 'deny' ? 'consent_denied' : 'consent_form_expired',
        };
      }
      return { ...base, reason: 'no_access' };
    case 'invalid_request': {
      if (!p.redirect_uri) return { ...base, reason: 'redirect_uri_missing' };
      const client = p.client_id ? await findClientRow(db, p.client_id) : undefined;
      if (client && !matchRedirectUri(p.redirect_uri, client.redirectUris)) {
        return {
          ...base,
          reason: 'redirect_uri_not_registered',
          registeredRedirectUris: client.redirectUris.slice(0, 10),
        };
      }
      if (!p.code_challenge || p.code_challenge_method !== 'S256') {
        return { ...base, reason: 'pkce_missing' };
      }
      return { ...base, reason: 'invalid_request' };
    }
    default:
      return { ...base, reason: err.code };
  }
}
