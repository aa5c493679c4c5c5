// Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3,
// OAuth 2.1 §2.4): client_secret_basic, client_secret_post, or none (public clients name
// themselves with client_id). Secrets are SHA-256 hashed at rest and compared in constant time.
import type { OAuthClient } from '../../../../lib/db/schema';
import { sha256Hex, timingSafeEqualString } from '../../../../lib/crypto/hash';
import { OAuthError } from '../../../../lib/oauth/errors';
import { resolveClient, type ResolveOptions } from './clients';
import type { OAuthConfig } from './config';
import type { Params } from './request-params';

export type AuthenticatedClient = {
  client: OAuthClient;
  method: 'none' | 'client_secret_basic' | 'client_secret_post';
};

function basicCredentials(header: string | null): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  let decoded: string;
  try {
    decoded = atob(header.slice(6).trim());
  } catch {
    throw new OAuthError('invalid_client', 'Malformed Basic credentials.', {
      headers: { 'www-authenticate': 'Basic realm="moat"' },
    });
  }
  const i = decoded.indexOf(':');
  if (i < 0) {
    throw new OAuthError('invalid_client', 'Malformed Basic credentials.', {
      headers: { 'www-authenticate': 'Basic realm="moat"' },
    });
  }
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const decode = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
  try {
    return { id: decode(decoded.slice(0, i)), secret: decode(decoded.slice(i + 1)) };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed Basic credentials.', {
      headers: { 'www-authenticate': 'Basic realm="moat"' },
    });
  }
}

export async function secretMatches(client: OAuthClient, secret: string): Promise<boolean> {
  if (!client.secretHash) return false;
  return timingSafeEqualString(await sha256Hex(secret), client.secretHash);
}

export async function authenticateClient(
  db: D1Database,
  config: OAuthConfig,
  req: Request,
  params: Params,
  options: ResolveOptions = {},
): Promise<AuthenticatedClient> {
  const basic = basicCredentials(req.headers.get('authorization'));
  const challenge = basic ? { 'www-authenticate': 'Basic realm="moat"' } : undefined;
  const fail = (description: string) =>
    new OAuthError('invalid_client', description, challenge ? { headers: challenge } : {});

  if (basic && params.client_secret !== undefined) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
  }
  if (basic && params.client_id !== undefined && params.client_id !== basic.id) {
    throw fail('client_id does not match the Basic credentials.');
  }
  const id = basic?.id ?? params.client_id;
  let client: OAuthClient;
  try {
    client = await resolveClient(db, config, id, options);
  } catch (err) {
    if (err instanceof OAuthError && err.code === 'invalid_client') throw fail(err.message);
    throw err;
  }
  const secret = basic?.secret ?? params.client_secret;
  if (client.tokenEndpointAuthMethod === 'none') {
    if (secret !== undefined && secret !== '') throw fail('This public client has no secret.');
    return { client, method: 'none' };
  }
  if (secret === undefined || !(await secretMatches(client, secret))) {
    throw fail('Client authentication failed.');
  }
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}
