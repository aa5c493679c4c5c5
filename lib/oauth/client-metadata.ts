// Client metadata (RFC 7591 §2) for dynamic registration and for Client ID Metadata Documents.
// Unknown fields are ignored (RFC 7591 §2); known ones are validated and echoed back (§3.2.1).
import { z } from 'zod';
import { OAuthError } from './errors';
import { redirectUriProblem } from './redirect-uri';

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'none',
  'client_secret_basic',
  'client_secret_post',
] as const;
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

const httpsUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https URL');

export const ClientMetadataSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).max(20).optional(),
  // RFC 7591 §2: the default is client_secret_basic.
  token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).default('client_secret_basic'),
  grant_types: z.array(z.enum(GRANT_TYPES)).min(1).max(3).default(['authorization_code']),
  response_types: z.array(z.literal('code')).max(1).optional(),
  client_name: z.string().trim().min(1).max(200).optional(),
  client_uri: httpsUrl.optional(),
  logo_uri: httpsUrl.optional(),
  tos_uri: httpsUrl.optional(),
  policy_uri: httpsUrl.optional(),
  scope: z.string().max(2000).optional(),
  contacts: z.array(z.string().max(320)).max(10).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(100).optional(),
});

export type ClientMetadata = z.output<typeof ClientMetadataSchema>;

/**
 * Validates raw metadata and the consistency RFC 7591 §2.1 asks for. Throws the RFC 7591 §3.2.2
 * error: `invalid_redirect_uri` for redirect URIs, `invalid_client_metadata` for anything else.
 */
export function parseClientMetadata(raw: unknown): ClientMetadata {
  if (raw !== null && typeof raw === 'object' && 'redirect_uris' in raw) {
    const uris = (raw as { redirect_uris: unknown }).redirect_uris;
    if (Array.isArray(uris)) {
      for (const uri of uris) {
        const problem = typeof uri === 'string' ? redirectUriProblem(uri) : 'is not a string';
        if (problem) throw new OAuthError('invalid_redirect_uri', `Redirect URI ${problem}.`);
      }
    }
  }
  const parsed = ClientMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'metadata';
    throw new OAuthError('invalid_client_metadata', `${field}: ${issue?.message ?? 'invalid'}.`);
  }
  const m = parsed.data;
  const grants = new Set(m.grant_types);
  if (grants.has('refresh_token') && !grants.has('authorization_code')) {
    throw new OAuthError(
      'invalid_client_metadata',
      'grant_types: refresh_token needs authorization_code.',
    );
  }
  if (grants.has('authorization_code') && !m.redirect_uris?.length) {
    throw new OAuthError(
      'invalid_redirect_uri',
      'redirect_uris is required for the authorization_code grant.',
    );
  }
  if (m.response_types?.length && !grants.has('authorization_code')) {
    throw new OAuthError(
      'invalid_client_metadata',
      'response_types "code" needs the authorization_code grant.',
    );
  }
  if (grants.has('client_credentials') && m.token_endpoint_auth_method === 'none') {
    // OAuth 2.1 §4.2: client_credentials is only for confidential clients.
    throw new OAuthError(
      'invalid_client_metadata',
      'client_credentials needs a confidential client (client_secret_basic or client_secret_post).',
    );
  }
  return m;
}
