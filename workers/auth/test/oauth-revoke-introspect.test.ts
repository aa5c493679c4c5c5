import { env } from 'cloudflare:test';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from '../../../lib/tokens/access-token';
import { LEEWAY_SECONDS } from '../../../lib/tokens/verify-access-token';
import { signAccessToken } from '../src/authorization-server/access-token';
import { oauthConfig, revocationTtlMs } from '../src/authorization-server/config';
import { revocationStatement } from '../src/store/token-revocations';
import { api, createApiKey, signUp, type SignedUp } from './support/accounts';
import { ccToken, machineClient } from './support/machine-clients';
import {
  authorize,
  connect,
  hostServer,
  introspect,
  oauthError,
  refresh,
  register,
  revoke,
  tokenRequest,
  type TokenBody,
} from './support/oauth-client';

async function confidentialConnection() {
  const alice = await signUp();
  const server = await hostServer(alice);
  const client = await register({ token_endpoint_auth_method: 'client_secret_basic' });
  // A confidential client authenticates the exchange with Basic.
  const got = await authorize({ client, user: alice, resource: server.resource });
  const res = await tokenRequest(
    {
      grant_type: 'authorization_code',
      code: got.code,
      code_verifier: got.verifier,
      redirect_uri: 'http://127.0.0.1:33418/callback',
    },
    { basic: [client.client_id, client.client_secret!] },
  );
  expect(res.status).toBe(200);
  return { alice, server, client, tokens: await res.json<TokenBody>() };
}

describe('POST /revoke (RFC 7009)', () => {
  it('revokes a refresh token and with it the whole grant', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    const res = await revoke({ client, token: tokens.refresh_token! });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const again = await refresh({ client, refreshToken: tokens.refresh_token! });
    expect(await oauthError(again)).toBe('invalid_grant');
  });

  it('does nothing for a token of another client, and says 200', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    const other = await register();
    expect((await revoke({ client: other, token: tokens.refresh_token! })).status).toBe(200);
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });

  it('answers 200 for an unknown token', async () => {
    const client = await register();
    expect((await revoke({ client, token: 'nope' })).status).toBe(200);
  });

  it('authenticates confidential clients (401 for a wrong secret)', async () => {
    const client = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    const res = await revoke({ client: { ...client, client_secret: 'wrong' }, token: 'x' });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('revokes an access token so introspection reports it inactive', async () => {
    const { client, tokens } = await confidentialConnection();
    expect((await revoke({ client, token: tokens.access_token })).status).toBe(200);
    const body = await (await introspect({ client, token: tokens.access_token })).json();
    expect(body).toEqual({ active: false });
  });
});

describe('POST /introspect (RFC 7662)', () => {
  it('describes an active access token of the calling client', async () => {
    const { alice, server, client, tokens } = await confidentialConnection();
    const res = await introspect({ client, token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: client.client_id,
      sub: alice.user.id,
      aud: server.resource,
      scope: 'mcp:read mcp:write',
      exp: expect.any(Number),
      jti: expect.any(String),
    });
  });

  it('describes a token just past exp as active within the one leeway every verifier applies', async () => {
    const { client, tokens } = await confidentialConnection();
    // The same claims, signed to have expired `ago` seconds ago (lib/tokens/verify-access-token.ts).
    const expiredBy = async (ago: number) => {
      const { sub, aud, client_id, server_id, scope, jti } = decodeJwt<AccessTokenClaims>(
        tokens.access_token,
      );
      const config = { ...oauthConfig(env), accessTokenTtlSeconds: -ago };
      const claims = { sub, aud, client_id, server_id, scope, jti };
      return (await signAccessToken(env, config, claims)).token;
    };
    const within = await introspect({ client, token: await expiredBy(LEEWAY_SECONDS - 20) });
    expect(await within.json()).toMatchObject({ active: true, client_id: client.client_id });
    const beyond = await introspect({ client, token: await expiredBy(LEEWAY_SECONDS + 20) });
    expect(await beyond.json()).toEqual({ active: false });
  });

  it('describes an active refresh token of the calling client', async () => {
    const { client, tokens } = await confidentialConnection();
    const body = await (await introspect({ client, token: tokens.refresh_token! })).json();
    expect(body).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      client_id: client.client_id,
    });
  });

  it('answers active:false for an unknown token', async () => {
    const { client } = await confidentialConnection();
    expect(await (await introspect({ client, token: 'garbage' })).json()).toEqual({
      active: false,
    });
  });

  it('answers active:false for another client’s token', async () => {
    const { tokens } = await confidentialConnection();
    const other = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(await (await introspect({ client: other, token: tokens.access_token })).json()).toEqual({
      active: false,
    });
  });

  it('answers active:false for an access token whose grant was revoked', async () => {
    const { client, tokens } = await confidentialConnection();
    await revoke({ client, token: tokens.refresh_token! });
    expect(await (await introspect({ client, token: tokens.access_token })).json()).toEqual({
      active: false,
    });
  });

  it('answers active:false for a rotated refresh token', async () => {
    const { client, tokens } = await confidentialConnection();
    const r = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      { basic: [client.client_id, client.client_secret!] },
    );
    expect(r.status).toBe(200);
    expect(await (await introspect({ client, token: tokens.refresh_token! })).json()).toEqual({
      active: false,
    });
  });

  it('refuses public clients with 401 invalid_client', async () => {
    const client = await register();
    const res = await tokenRequest(
      { token: 'x', client_id: client.client_id },
      { path: '/introspect' },
    );
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('refuses an unauthenticated request with 401 invalid_client', async () => {
    const res = await tokenRequest({ token: 'x' }, { path: '/introspect' });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('audits introspection without the token', async () => {
    const { client, tokens } = await confidentialConnection();
    await introspect({ client, token: tokens.access_token });
    const row = await env.DB.prepare(
      `SELECT metadata FROM audit_events WHERE action = 'oauth.token.introspected' AND actor = ?`,
    )
      .bind(client.client_id)
      .first<{ metadata: string }>();
    expect(JSON.parse(row!.metadata)).toMatchObject({ active: true, token_type: 'access_token' });
    expect(row!.metadata).not.toContain(tokens.access_token);
  });
});

/** A confidential client registered with one of `owner`'s API keys: it belongs to their org. */
async function orgClient(owner: SignedUp) {
  const { key } = await createApiKey(owner);
  return register(
    { client_name: 'Gateway', token_endpoint_auth_method: 'client_secret_basic' },
    { key },
  );
}

describe('POST /introspect for the org that owns the server (RFC 7662 §2.1)', () => {
  it('describes a user’s access token for one of the org’s servers to a confidential client of that org', async () => {
    const { alice, server, client, tokens } = await confidentialConnection();
    const gateway = await orgClient(alice);
    const res = await introspect({ client: gateway, token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: client.client_id,
      sub: alice.user.id,
      aud: server.resource,
      server_id: server.id,
    });
  });

  it('describes a machine client’s token to another client of the same org', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client: machine } = await machineClient(alice);
    const { access_token } = await (
      await ccToken(machine, { resource: server.resource, scope: 'mcp:read' })
    ).json<TokenBody>();
    const gateway = await orgClient(alice);
    expect(await (await introspect({ client: gateway, token: access_token })).json()).toMatchObject(
      { active: true, client_id: machine.client_id, scope: 'mcp:read' },
    );
  });

  it('answers active:false to a client of another org', async () => {
    const { tokens } = await confidentialConnection();
    const mallory = await signUp();
    const theirs = await orgClient(mallory);
    expect(await (await introspect({ client: theirs, token: tokens.access_token })).json()).toEqual(
      { active: false },
    );
  });

  it('answers active:false to an org client about a refresh token of another client', async () => {
    const { alice, tokens } = await confidentialConnection();
    const gateway = await orgClient(alice);
    expect(
      await (await introspect({ client: gateway, token: tokens.refresh_token! })).json(),
    ).toEqual({ active: false });
  });

  it('answers active:false once the machine client behind the token is revoked', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client: machine } = await machineClient(alice);
    const { access_token } = await (
      await ccToken(machine, { resource: server.resource })
    ).json<TokenBody>();
    const gateway = await orgClient(alice);
    expect(await (await introspect({ client: gateway, token: access_token })).json()).toMatchObject(
      { active: true },
    );
    const del = await api(`/v1/clients/${machine.client_id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await (await introspect({ client: gateway, token: access_token })).json()).toEqual({
      active: false,
    });
  });

  it('answers active:false for a token a revocation rule matches, as the runner would refuse it', async () => {
    const { alice, client, tokens } = await confidentialConnection();
    const now = Date.now();
    await revocationStatement(
      env.DB,
      { orgId: alice.orgId, sub: alice.user.id },
      'member_removed',
      now,
      revocationTtlMs(oauthConfig(env)),
    ).run();
    expect(await (await introspect({ client, token: tokens.access_token })).json()).toEqual({
      active: false,
    });
  });
});
