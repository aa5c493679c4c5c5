import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../../lib/crypto/hash';
import { createApiKey, signUp } from './support/accounts';
import { oauthError, REDIRECT_URI, register, registerRaw } from './support/oauth-client';

const base = {
  client_name: 'Claude',
  redirect_uris: [REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

async function refused(metadata: unknown, code: string) {
  const res = await registerRaw(metadata, {
    headers: { 'cf-connecting-ip': `10.9.${Math.random()}` },
  });
  expect(res.status).toBe(400);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await oauthError(res)).toBe(code);
}

describe('POST /register (RFC 7591)', () => {
  it('registers a public client and echoes its metadata with client_id and client_id_issued_at', async () => {
    const res = await registerRaw(base);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ ...base, client_id: expect.stringMatching(/^cl_[a-z2-7]+$/) });
    expect(Math.abs((body.client_id_issued_at as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(body).not.toHaveProperty('client_secret');
  });

  it('returns a confidential client its secret once and stores only its hash', async () => {
    const body = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(body.client_secret).toMatch(/^moat_cs_/);
    expect(body.client_secret_expires_at).toBe(0);
    const row = await env.DB.prepare('SELECT secret_hash FROM oauth_clients WHERE id = ?')
      .bind(body.client_id)
      .first<{ secret_hash: string }>();
    expect(row?.secret_hash).toBe(await sha256Hex(body.client_secret!));
    const all = JSON.stringify(await env.DB.prepare('SELECT * FROM oauth_clients').all());
    expect(all).not.toContain(body.client_secret);
  });

  it('defaults token_endpoint_auth_method to client_secret_basic (RFC 7591 §2)', async () => {
    const { token_endpoint_auth_method: _, ...rest } = base;
    const res = await registerRaw(rest);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: expect.any(String),
    });
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,hi'],
    ['file:///etc/passwd'],
    ['https://app.example/cb#frag'],
    ['http://app.example/cb'],
    ['not a uri'],
  ])('refuses the redirect URI %s with invalid_redirect_uri', async (uri) => {
    await refused({ ...base, redirect_uris: [uri] }, 'invalid_redirect_uri');
  });

  it.each([
    ['claude://oauth/callback'],
    ['cursor://anysphere.cursor-retrieval/oauth/callback'],
    ['vscode://vscode.github-authentication/did-authenticate'],
    ['http://127.0.0.1:6274/callback'],
    ['http://localhost/callback'],
    ['http://[::1]:8080/cb'],
    ['https://app.example/oauth/callback'],
  ])('accepts the redirect URI %s', async (uri) => {
    const res = await registerRaw({ ...base, redirect_uris: [uri] });
    expect(res.status).toBe(201);
  });

  it('refuses the authorization_code grant without redirect URIs', async () => {
    await refused({ ...base, redirect_uris: [] }, 'invalid_redirect_uri');
  });

  it('refuses response types other than code', async () => {
    await refused({ ...base, response_types: ['token'] }, 'invalid_client_metadata');
  });

  it('refuses unknown grant types and auth methods', async () => {
    await refused({ ...base, grant_types: ['password'] }, 'invalid_client_metadata');
    await refused(
      { ...base, token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    );
  });

  it('refuses a non-https logo_uri', async () => {
    await refused({ ...base, logo_uri: 'http://evil.example/x.png' }, 'invalid_client_metadata');
  });

  it('refuses client_credentials registered without an account', async () => {
    await refused(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' },
      'invalid_client_metadata',
    );
  });

  it('refuses a body that is not JSON', async () => {
    await refused('redirect_uris=x', 'invalid_client_metadata');
  });

  it('lets an account register a client_credentials client with an API key', async () => {
    const alice = await signUp();
    const { key } = await createApiKey(alice);
    const res = await registerRaw(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' },
      { key },
    );
    expect(res.status).toBe(201);
    const body = await res.json<{ client_id: string }>();
    const row = await env.DB.prepare(
      'SELECT owner_user_id, expires_at FROM oauth_clients WHERE id = ?',
    )
      .bind(body.client_id)
      .first();
    expect(row).toEqual({ owner_user_id: alice.user.id, expires_at: null });
  });

  it('refuses a revoked or made-up initial access token with 401 invalid_token in the RFC error shape', async () => {
    for (const key of [`moat_sk_${'a'.repeat(52)}`, 'not.a.jwt']) {
      const res = await registerRaw(base, { key });
      expect(res.status).toBe(401);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('binds a client registered with an API key to that key and its org', async () => {
    const alice = await signUp();
    const { id: keyId, key } = await createApiKey(alice);
    const res = await registerRaw(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' },
      { key },
    );
    const { client_id } = await res.json<{ client_id: string }>();
    const row = await env.DB.prepare(
      'SELECT owner_user_id, owner_org_id, owner_api_key_id FROM oauth_clients WHERE id = ?',
    )
      .bind(client_id)
      .first();
    expect(row).toEqual({
      owner_user_id: alice.user.id,
      owner_org_id: alice.orgId,
      owner_api_key_id: keyId,
    });
  });

  it('binds a client registered from a session to the session’s org and no key', async () => {
    const alice = await signUp();
    const res = await registerRaw(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' },
      { headers: { cookie: alice.cookie } },
    );
    expect(res.status).toBe(201);
    const { client_id } = await res.json<{ client_id: string }>();
    const row = await env.DB.prepare(
      'SELECT owner_user_id, owner_org_id, owner_api_key_id FROM oauth_clients WHERE id = ?',
    )
      .bind(client_id)
      .first();
    expect(row).toEqual({
      owner_user_id: alice.user.id,
      owner_org_id: alice.orgId,
      owner_api_key_id: null,
    });
  });

  it('gives anonymous registrations an expiry for when they stay unused (24 h)', async () => {
    const body = await register();
    const row = await env.DB.prepare(
      'SELECT expires_at, created_at FROM oauth_clients WHERE id = ?',
    )
      .bind(body.client_id)
      .first<{ expires_at: number; created_at: number }>();
    expect(row!.expires_at - row!.created_at).toBe(86_400_000);
  });

  it('deletes registrations that expired unused when new ones arrive', async () => {
    const stale = await register();
    await env.DB.prepare('UPDATE oauth_clients SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, stale.client_id)
      .run();
    await register();
    await vi.waitFor(
      async () => {
        const row = await env.DB.prepare('SELECT id FROM oauth_clients WHERE id = ?')
          .bind(stale.client_id)
          .first();
        if (row) throw new Error('still there');
      },
      { timeout: 2000, interval: 20 },
    );
  });

  it('rate-limits registrations per IP with 429 and Retry-After', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 30; i++) {
      const ok = await registerRaw(base, { headers: { 'cf-connecting-ip': ip } });
      expect(ok.status).toBe(201);
    }
    const res = await registerRaw(base, { headers: { 'cf-connecting-ip': ip } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await oauthError(res)).toBe('too_many_requests');
    const other = await registerRaw(base, { headers: { 'cf-connecting-ip': '203.0.113.78' } });
    expect(other.status).toBe(201);
  });

  it('counts an IPv6 client by its /64: rotating addresses inside it does not reset the limit', async () => {
    const net = '2001:db8:77:1';
    for (let i = 0; i < 30; i++) {
      const ip = `${net}::${(i + 1).toString(16)}`;
      expect((await registerRaw(base, { headers: { 'cf-connecting-ip': ip } })).status).toBe(201);
    }
    const res = await registerRaw(base, { headers: { 'cf-connecting-ip': `${net}:ffff::1` } });
    expect(res.status).toBe(429);
    const other = await registerRaw(base, { headers: { 'cf-connecting-ip': '2001:db8:77:2::1' } });
    expect(other.status).toBe(201);
  });

  it('audits the registration without the secret', async () => {
    const body = await register({ token_endpoint_auth_method: 'client_secret_post' });
    const row = await env.DB.prepare(
      `SELECT action, metadata FROM audit_events WHERE resource = ? AND action = 'oauth.client.registered'`,
    )
      .bind(body.client_id)
      .first<{ action: string; metadata: string }>();
    expect(row?.action).toBe('oauth.client.registered');
    expect(row?.metadata).not.toContain(body.client_secret!);
    expect(JSON.parse(row!.metadata)).toMatchObject({ client_id: body.client_id });
  });
});
