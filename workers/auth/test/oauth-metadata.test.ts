import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { forgetSigningKey } from '../src/authorization-server/access-token';
import { signUp } from './support/accounts';
import { connect, fetchAs, hostServer, ISSUER } from './support/oauth-client';

describe('authorization server metadata (RFC 8414)', () => {
  it('lists every endpoint, S256, code only, iss support and CIMD, cacheable', async () => {
    const res = await fetchAs('/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      registration_endpoint: `${ISSUER}/register`,
      revocation_endpoint: `${ISSUER}/revoke`,
      introspection_endpoint: `${ISSUER}/introspect`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      scopes_supported: expect.arrayContaining(['offline_access', 'mcp:read']),
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
      service_documentation: expect.stringMatching(/^http/),
    });
  });

  it('serves the same OAuth fields at the OpenID Connect discovery path', async () => {
    const oauth = await (await fetchAs('/.well-known/oauth-authorization-server')).json();
    const oidc = await fetchAs('/.well-known/openid-configuration');
    expect(oidc.status).toBe(200);
    expect(await oidc.json()).toEqual(oauth);
  });
});

describe('JWKS', () => {
  it('creates an RS256 key on first use and publishes only its public part', async () => {
    const res = await fetchAs('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const { keys } = await res.json<{ keys: Record<string, string>[] }>();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.any(String),
    });
    for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(priv);
    expect(await env.KV.get('signing-key:active')).toBe(keys[0]!.kid);
  });

  it('stores the private key only encrypted under MASTER_KEY', async () => {
    const { keys } = await (
      await fetchAs('/.well-known/jwks.json')
    ).json<{ keys: { kid: string }[] }>();
    const raw = (await env.KV.get(`signing-key:${keys[0]!.kid}`))!;
    const record = JSON.parse(raw) as { privateJwk: Record<string, unknown>; status: string };
    expect(record.status).toBe('active');
    expect(Object.keys(record.privateJwk).sort()).toEqual(['ct', 'iv', 'v']);
    expect(raw).not.toMatch(/"d":/);
  });

  it('fails closed with 503 when no key exists and MASTER_KEY is missing', async () => {
    await Promise.all(
      ['jwks', 'signing-key:active', 'signing-key:next'].map((k) => env.KV.delete(k)),
    );
    await env.DB.prepare('DELETE FROM first_signing_key').run();
    const res = await app.fetch(new Request(`${ISSUER}/.well-known/jwks.json`), {
      ...env,
      MASTER_KEY: '',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(await env.KV.get('signing-key:active')).toBeNull();
    expect(await env.DB.prepare('SELECT kid FROM first_signing_key').first()).toBeNull();
  });

  it('refuses to sign (503) when MASTER_KEY is not the key that sealed the signing key', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    forgetSigningKey();
    const other = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const res = await app.fetch(
      new Request(`${ISSUER}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: client.client_id,
          refresh_token: tokens.refresh_token!,
        }),
      }),
      { ...env, MASTER_KEY: other },
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    forgetSigningKey();
  });
});
