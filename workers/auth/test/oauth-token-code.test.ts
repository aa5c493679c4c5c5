import { env } from 'cloudflare:test';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/crypto/hash';
import { signUp } from './support/accounts';
import {
  authorize,
  exchangeCode,
  fetchAs,
  hostServer,
  ISSUER,
  oauthError,
  refresh,
  register,
  tokenRequest,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

async function codeFor(opts: { scope?: string } = {}) {
  const alice = await signUp();
  const server = await hostServer(alice);
  const client = await register();
  const got = await authorize({ client, user: alice, resource: server.resource, ...opts });
  return { alice, server, client, ...got };
}

async function expectInvalidGrant(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await oauthError(res)).toBe('invalid_grant');
}

describe('authorization_code at /token', () => {
  it('issues an RS256 at+jwt with kid and the contract claims, no-store', async () => {
    const { alice, server, client, code, verifier } = await codeFor();
    const res = await exchangeCode({ client, code, verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<TokenBody>();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'mcp:read mcp:write',
      refresh_token: expect.stringMatching(/^moat_rt_/),
    });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({
      alg: 'RS256',
      typ: 'at+jwt',
      kid: await env.KV.get('signing-key:active'),
    });
    const { payload } = await verifyWithJwks(body.access_token);
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: alice.user.id,
      aud: server.resource,
      client_id: client.client_id,
      scope: 'mcp:read mcp:write',
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('accepts a JSON body as some MCP clients send', async () => {
    const { client, code, verifier } = await codeFor();
    const res = await exchangeCode({ client, code, verifier, json: true });
    expect(res.status).toBe(200);
  });

  it('issues only the requested scopes', async () => {
    const { client, code, verifier } = await codeFor({ scope: 'mcp:read' });
    const body = await (await exchangeCode({ client, code, verifier })).json<TokenBody>();
    expect(body.scope).toBe('mcp:read');
    expect((await verifyWithJwks(body.access_token)).payload.scope).toBe('mcp:read');
  });

  it('refuses a wrong code_verifier and leaves the code usable by its owner', async () => {
    const { client, code, verifier } = await codeFor();
    await expectInvalidGrant(await exchangeCode({ client, code, verifier: 'x'.repeat(43) }));
    expect((await exchangeCode({ client, code, verifier })).status).toBe(200);
  });

  it('refuses a missing code_verifier with invalid_request', async () => {
    const { client, code } = await codeFor();
    const res = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code,
      redirect_uri: 'http://127.0.0.1:33418/callback',
    });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_request');
  });

  it('refuses a redirect_uri different from the authorization request', async () => {
    const { client, code, verifier } = await codeFor();
    await expectInvalidGrant(
      await exchangeCode({ client, code, verifier, redirectUri: 'http://127.0.0.1:9/callback' }),
    );
  });

  it('refuses a code issued to another client', async () => {
    const { code, verifier } = await codeFor();
    const other = await register();
    await expectInvalidGrant(await exchangeCode({ client: other, code, verifier }));
  });

  it('refuses an expired code', async () => {
    const { client, code, verifier } = await codeFor();
    await env.DB.prepare('UPDATE auth_codes SET expires_at = ? WHERE code_hash = ?')
      .bind(Date.now() - 1, await sha256Hex(code))
      .run();
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
  });

  it('gives codes a 10-minute life and stores them only hashed', async () => {
    const { code } = await codeFor();
    const row = await env.DB.prepare('SELECT * FROM auth_codes WHERE code_hash = ?')
      .bind(await sha256Hex(code))
      .first<{ expires_at: number; created_at: number }>();
    expect(row!.expires_at - row!.created_at).toBe(600_000);
    expect(JSON.stringify(await env.DB.prepare('SELECT * FROM auth_codes').all())).not.toContain(
      code,
    );
  });

  it('refuses a resource other than the authorized one with invalid_target', async () => {
    const { alice, client, code, verifier } = await codeFor();
    const other = await hostServer(alice);
    const res = await exchangeCode({ client, code, verifier, resource: other.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('refuses a second redemption and revokes the tokens of the first', async () => {
    const { client, code, verifier } = await codeFor();
    const first = await (await exchangeCode({ client, code, verifier })).json<TokenBody>();
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
    await expectInvalidGrant(await refresh({ client, refreshToken: first.refresh_token! }));
  });

  it('lets exactly one of 20 concurrent redemptions succeed', async () => {
    const { client, code, verifier } = await codeFor();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => exchangeCode({ client, code, verifier })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 400)) {
      expect(await oauthError(r)).toBe('invalid_grant');
    }
    const grants = await env.DB.prepare('SELECT COUNT(*) AS n FROM grants WHERE client_id = ?')
      .bind(client.client_id)
      .first<{ n: number }>();
    expect(grants!.n).toBe(1);
  });

  it('records one successful token step, for the grant created, however many redemptions race', async () => {
    const { client, code, verifier } = await codeFor();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => exchangeCode({ client, code, verifier })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const grant = await env.DB.prepare('SELECT id FROM grants WHERE client_id = ?')
      .bind(client.client_id)
      .first<{ id: string }>();
    const { results: steps } = await env.DB.prepare(
      "SELECT grant_id FROM connection_events WHERE client_id = ? AND step = 'token' AND ok = 1",
    )
      .bind(client.client_id)
      .all<{ grant_id: string }>();
    expect(steps.map((s) => s.grant_id)).toEqual([grant!.id]);
  }, 20_000);

  it('does not issue a refresh token to a client not registered for refresh_token', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ grant_types: ['authorization_code'] });
    const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
    const body = await (await exchangeCode({ client, code, verifier })).json<TokenBody>();
    expect(body.access_token).toBeTruthy();
    expect(body).not.toHaveProperty('refresh_token');
  });
});

describe('/token request errors', () => {
  it('answers a missing grant_type with invalid_request', async () => {
    const res = await tokenRequest({ client_id: 'cl_x' });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_request');
  });

  it('answers an unknown grant_type with unsupported_grant_type', async () => {
    const res = await tokenRequest({ grant_type: 'password', client_id: 'cl_x' });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unsupported_grant_type');
  });

  it('answers an unknown client with Basic credentials 401 invalid_client and a Basic challenge', async () => {
    const res = await tokenRequest(
      { grant_type: 'authorization_code', code: 'x' },
      { basic: ['cl_unknown', 'secret'] },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('answers an unknown public client_id with 401 invalid_client', async () => {
    const res = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: 'cl_nope',
      code: 'x',
    });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('refuses a parameter sent twice', async () => {
    const raw = await fetchAs('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&grant_type=authorization_code&client_id=cl_x',
    });
    expect(raw.status).toBe(400);
    expect(await oauthError(raw)).toBe('invalid_request');
  });

  it('refuses a body that is neither form nor JSON', async () => {
    const res = await fetchAs('/token', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_request');
  });

  it('refuses a public client that sends a secret', async () => {
    const { client, code, verifier } = await codeFor();
    const res = await tokenRequest(
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: 'http://127.0.0.1:33418/callback',
      },
      { basic: [client.client_id, 'guess'] },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });
});
