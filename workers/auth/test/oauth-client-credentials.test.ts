import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, signUp, type SignedUp } from './support/accounts';
import {
  hostServer,
  oauthError,
  register,
  tokenRequest,
  verifyWithJwks,
  type Client,
  type TokenBody,
} from './support/oauth-client';

async function machineClient(owner: SignedUp, method = 'client_secret_basic'): Promise<Client> {
  const { key } = await createApiKey(owner);
  return register(
    {
      client_name: 'Nightly job',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: method,
      redirect_uris: undefined,
      response_types: undefined,
    },
    { key },
  );
}

function ccBasic(client: Client, params: Record<string, string | undefined>, secret?: string) {
  return tokenRequest(
    { grant_type: 'client_credentials', ...params },
    { basic: [client.client_id, secret ?? client.client_secret!] },
  );
}

describe('client_credentials at /token', () => {
  it('issues a token with client_secret_basic: sub is the client, aud the server', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice);
    const res = await ccBasic(client, { resource: server.resource, scope: 'mcp:read' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<TokenBody>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'mcp:read' });
    expect(body).not.toHaveProperty('refresh_token');
    const { payload } = await verifyWithJwks(body.access_token);
    expect(payload).toMatchObject({
      sub: client.client_id,
      client_id: client.client_id,
      aud: server.resource,
      scope: 'mcp:read',
    });
  });

  it('issues a token with client_secret_post and the server’s scopes by default', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice, 'client_secret_post');
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      resource: server.resource,
    });
    expect(res.status).toBe(200);
    expect((await res.json<TokenBody>()).scope).toBe('mcp:read mcp:write');
  });

  it('answers a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice);
    const res = await ccBasic(client, { resource: server.resource }, `${client.client_secret!}x`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('answers a missing secret with 401 invalid_client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice);
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      resource: server.resource,
    });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('refuses two authentication methods at once', async () => {
    const alice = await signUp();
    const client = await machineClient(alice);
    const res = await ccBasic(client, { client_secret: client.client_secret });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_request');
  });

  it('refuses a client not registered for client_credentials with unauthorized_client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    const res = await ccBasic(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unauthorized_client');
  });

  it('refuses a server the owner may not use with invalid_target', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await hostServer(alice, { visibility: 'private' });
    const client = await machineClient(bob);
    const res = await ccBasic(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('refuses a missing resource with invalid_target', async () => {
    const alice = await signUp();
    const client = await machineClient(alice);
    const res = await ccBasic(client, {});
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('refuses a scope the server does not offer with invalid_scope', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice);
    const res = await ccBasic(client, { resource: server.resource, scope: 'mcp:admin' });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_scope');
  });

  it('audits each issued token by jti', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await machineClient(alice);
    const body = await (await ccBasic(client, { resource: server.resource })).json<TokenBody>();
    const { payload } = await verifyWithJwks(body.access_token);
    // client_credentials events are written in groups right after the response.
    const row = await vi.waitFor(
      async () => {
        const found = await env.DB.prepare(
          `SELECT metadata FROM audit_events WHERE action = 'oauth.token.issued' AND actor = ?`,
        )
          .bind(client.client_id)
          .first<{ metadata: string }>();
        if (!found) throw new Error('not written yet');
        return found;
      },
      { timeout: 2000, interval: 20 },
    );
    expect(JSON.parse(row!.metadata)).toMatchObject({
      jti: payload.jti,
      grant_type: 'client_credentials',
    });
    expect(row!.metadata).not.toContain(client.client_secret!);
    expect(row!.metadata).not.toContain(body.access_token);
  });
});
