import { describe, expect, it } from 'vitest';
import { parseClientMetadata } from './client-metadata';
import type { OAuthError } from './errors';

function code(raw: unknown): string | undefined {
  try {
    parseClientMetadata(raw);
    return undefined;
  } catch (err) {
    return (err as OAuthError).code;
  }
}

describe('parseClientMetadata (RFC 7591)', () => {
  const base = { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' };

  it('defaults grant_types and the auth method as RFC 7591 §2 says', () => {
    const m = parseClientMetadata({ redirect_uris: ['https://a.example/cb'] });
    expect(m.grant_types).toEqual(['authorization_code']);
    expect(m.token_endpoint_auth_method).toBe('client_secret_basic');
  });

  it('ignores unknown fields', () => {
    expect(parseClientMetadata({ ...base, jwks_uri_x: 1 })).not.toHaveProperty('jwks_uri_x');
  });

  it('names redirect problems invalid_redirect_uri and the rest invalid_client_metadata', () => {
    expect(code({ ...base, redirect_uris: ['javascript:x'] })).toBe('invalid_redirect_uri');
    expect(code({ ...base, redirect_uris: [] })).toBe('invalid_redirect_uri');
    expect(code({ ...base, response_types: ['token'] })).toBe('invalid_client_metadata');
    expect(code({ ...base, grant_types: ['refresh_token'] })).toBe('invalid_client_metadata');
    expect(code({ ...base, grant_types: ['client_credentials'] })).toBe('invalid_client_metadata');
    expect(code({ ...base, client_name: 'x'.repeat(201) })).toBe('invalid_client_metadata');
    expect(code('not an object')).toBe('invalid_client_metadata');
  });
});
