// OAuth access tokens for the control plane (`{ISSUER}/v1`, used by `moat login`): the same
// authorization code flow as MCP clients, only for Moat's first-party CLI client, a token that
// authenticates /v1 as its user, and audiences that never cross (a hosted server's token at /v1,
// a /v1 token at the runner).
import { env } from 'cloudflare:test';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { oauthConfig } from '../src/authorization-server/config';
import type { AccessTokenClaims } from '../../../lib/tokens/access-token';
import { signAccessToken } from '../src/authorization-server/access-token';
import { insertGrantStatement } from '../src/store/grants';
import { api, createApiKey, signUp, type SignedUp } from './support/accounts';
import {
  authorize,
  authorizeUrl,
  connect,
  exchangeCode,
  getAuthorize,
  hostServer,
  introspect,
  ISSUER,
  MOAT_CLI,
  pkce,
  refresh,
  register,
  registerRaw,
  revoke,
  tokenRequest,
  type Client,
  type TokenBody,
} from './support/oauth-client';

const V1 = `${ISSUER}/v1`;

async function controlPlaneTokens(user: SignedUp, resource = V1) {
  const client = MOAT_CLI;
  const { code, verifier } = await authorize({ client, user, resource, scope: 'moat:api' });
  const res = await exchangeCode({ client, code, verifier, resource });
  expect(res.status).toBe(200);
  return { client, tokens: await res.json<TokenBody>() };
}

const me = (token: string) => api('/v1/me', { headers: { authorization: `Bearer ${token}` } });

async function expectInvalidToken(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  expect(await res.json()).toMatchObject({ error: { code: 'invalid_token' } });
}

describe('control-plane access tokens ({ISSUER}/v1)', () => {
  it('issues a token with aud {ISSUER}/v1 and scope moat:api that authenticates /v1 as the user', async () => {
    const alice = await signUp();
    const { client, tokens } = await controlPlaneTokens(alice);
    expect(tokens.scope).toBe('moat:api');
    expect(tokens.refresh_token).toMatch(/^moat_rt_/);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: ISSUER,
      aud: V1,
      sub: alice.user.id,
      client_id: client.client_id,
    });

    const res = await me(tokens.access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { id: alice.user.id, email: alice.user.email },
      orgId: alice.orgId,
      role: 'owner',
      authenticatedBy: 'oauth',
      clientId: client.client_id,
    });
    const list = await api('/v1/servers', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(list.status).toBe(200);
  });

  it('accepts the trailing-slash variant of the resource and canonicalizes it', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice, `${V1}/`);
    expect(decodeJwt(tokens.access_token).aud).toBe(V1);
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it('asks consent with "Manage your Moat servers" for the Moat API, naming the CLI as Moat’s own', async () => {
    const alice = await signUp();
    const { challenge } = await pkce();
    const res = await getAuthorize(
      authorizeUrl({ client: MOAT_CLI, resource: V1, challenge }),
      alice,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Moat API');
    expect(html).toContain('Manage your Moat servers');
    expect(html).toContain('Moat CLI');
    expect(html).not.toContain('unverified');
  });

  it('refuses moat:api to a self-registered client at /authorize with invalid_target', async () => {
    const alice = await signUp();
    const client = await register({ client_name: 'Moat CLI' });
    const { challenge } = await pkce();
    const res = await getAuthorize(
      authorizeUrl({ client, resource: V1, scope: 'moat:api', challenge }),
      alice,
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses at /v1 a control-plane token issued to a self-registered client', async () => {
    const alice = await signUp();
    const client = await register({ client_name: 'Moat CLI' });
    // A grant from before the first-party rule: the token is signed by this AS and its grant live.
    const grantId = `gr_${crypto.randomUUID().replaceAll('-', '')}`;
    const now = Date.now();
    await insertGrantStatement(
      env.DB,
      {
        id: grantId,
        userId: alice.user.id,
        clientId: client.client_id,
        serverId: 'moat-control-plane',
        resource: V1,
        scope: 'moat:api',
        createdAt: now,
        expiresAt: null,
        lastTokenAt: now,
        lastRefreshAt: null,
        revokedAt: null,
        revokedReason: null,
      },
      { sql: 'SELECT 1', args: [] },
    ).run();
    const { token } = await signAccessToken(env, oauthConfig(env), {
      sub: alice.user.id,
      aud: V1,
      client_id: client.client_id,
      server_id: 'moat-control-plane',
      scope: 'moat:api',
      jti: `${grantId}.x`,
    });
    await expectInvalidToken(await me(token));
  });

  it('refuses to create an API key with a control-plane token (403), so the key cannot outlive the grant', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice);
    const res = await api('/v1/api-keys', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
      body: { name: 'escape hatch' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    const keys = await (
      await api('/v1/api-keys', { as: alice })
    ).json<{ apiKeys: { name: string }[] }>();
    expect(keys.apiKeys.map((k) => k.name)).not.toContain('escape hatch');
  });

  it('still creates API keys from a session and with an API key', async () => {
    const alice = await signUp();
    expect((await api('/v1/api-keys', { as: alice, body: { name: 'web' } })).status).toBe(201);
    const { key } = await createApiKey(alice);
    expect((await api('/v1/api-keys', { key, body: { name: 'ci' } })).status).toBe(201);
  });

  it('refuses to register a client_credentials client with a control-plane token', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice);
    const res = await registerRaw(
      {
        client_name: 'Machine',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      { headers: { authorization: `Bearer ${tokens.access_token}` } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('refuses a token for a hosted MCP server at /v1 with 401 invalid_token', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { tokens } = await connect(alice, server);
    await expectInvalidToken(await me(tokens.access_token));
  });

  it('refuses at /v1 a token whose server_id is not the control plane, even with aud {ISSUER}/v1', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice);
    const { sub, aud, client_id, scope, jti } = decodeJwt<AccessTokenClaims>(tokens.access_token);
    const claims = { sub, aud, client_id, scope, jti, server_id: 'srv_someone_else' };
    const { token } = await signAccessToken(env, oauthConfig(env), claims);
    await expectInvalidToken(await me(token));
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it('refuses a control-plane token at a hosted server with 401 invalid_token', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { tokens } = await controlPlaneTokens(alice);
    const res = await env.RUNNER.fetch(server.resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a forged, tampered or garbage bearer with 401 invalid_token', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice);
    const [h, p, s] = tokens.access_token.split('.');
    const claims = JSON.parse(atob(p!.replaceAll('-', '+').replaceAll('_', '/')));
    const forged = btoa(JSON.stringify({ ...claims, sub: 'usr_someone_else' }))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
    await expectInvalidToken(await me(`${h}.${forged}.${s}`));
    await expectInvalidToken(await me('not-a-token'));
  });

  it('keeps working after a refresh and stops at once when the grant is revoked', async () => {
    const alice = await signUp();
    const { client, tokens } = await controlPlaneTokens(alice);
    const rotated = await refresh({ client, refreshToken: tokens.refresh_token!, resource: V1 });
    expect(rotated.status).toBe(200);
    const next = await rotated.json<TokenBody>();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(next.access_token)).status).toBe(200);

    const grants = await (
      await api('/v1/me/grants', { as: alice })
    ).json<{
      grants: { id: string; client: { id: string } }[];
    }>();
    const grant = grants.grants.find((g) => g.client.id === client.client_id)!;
    expect((await api(`/v1/me/grants/${grant.id}`, { as: alice, method: 'DELETE' })).status).toBe(
      204,
    );
    await expectInvalidToken(await me(next.access_token));
  });

  it('audits consent, code, token, refresh and revocation under no org, naming the resource moat-control-plane', async () => {
    const alice = await signUp();
    const { client, tokens } = await controlPlaneTokens(alice);
    const rotated = await refresh({ client, refreshToken: tokens.refresh_token!, resource: V1 });
    const next = await rotated.json<TokenBody>();
    expect((await revoke({ client, token: next.refresh_token! })).status).toBe(200);
    const { results } = await env.DB.prepare(
      `SELECT action, org_id, resource FROM audit_events WHERE actor IN (?, ?) ORDER BY id`,
    )
      .bind(alice.user.id, client.client_id)
      .all<{ action: string; org_id: string | null; resource: string | null }>();
    const oauth = results.filter((r) => r.action.startsWith('oauth.'));
    // Consent and code are written in one batch in the same millisecond, so their relative order
    // (time-ordered ids) is not defined: compare the set.
    expect(oauth.map((r) => r.action).sort()).toEqual([
      'oauth.code.issued',
      'oauth.consent.granted',
      'oauth.token.issued',
      'oauth.token.refreshed',
      'oauth.token.revoked',
    ]);
    for (const r of oauth)
      expect(r).toMatchObject({ org_id: null, resource: 'moat-control-plane' });
  });

  it('reports a control-plane token inactive to a confidential client of the user’s own org', async () => {
    const alice = await signUp();
    const { tokens } = await controlPlaneTokens(alice);
    const { key } = await createApiKey(alice);
    const gateway = await register(
      { client_name: 'Gateway', token_endpoint_auth_method: 'client_secret_basic' },
      { key },
    );
    const res = await introspect({ client: gateway, token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ active: false });
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it('refuses client_credentials for the control plane with invalid_target', async () => {
    const alice = await signUp();
    const keyRes = await api('/v1/api-keys', { as: alice, body: { name: 'm2m' } });
    const { key } = await keyRes.json<{ key: string }>();
    const machine: Client = await register(
      {
        client_name: 'Machine',
        grant_types: ['client_credentials'],
        redirect_uris: undefined,
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      { key },
    );
    const res = await tokenRequest(
      { grant_type: 'client_credentials', resource: V1 },
      { basic: [machine.client_id, machine.client_secret!] },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'invalid_target' });
  });
});
