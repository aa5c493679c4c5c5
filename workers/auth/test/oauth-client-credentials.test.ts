import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { api, createApiKey, signUp, type SignedUp } from './support/accounts';
import {
  ccToken,
  joinOrg,
  machineClient as keyedMachineClient,
  sessionMachineClient,
} from './support/machine-clients';
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

  it('issues a token with client_secret_post, and only mcp:read when no scope is requested', async () => {
    const alice = await signUp();
    const server = await hostServer(alice, {
      scopes: [['mcp:read'], ['mcp:write'], ['mcp:admin']],
    });
    const client = await machineClient(alice, 'client_secret_post');
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      resource: server.resource,
    });
    expect(res.status).toBe(200);
    const body = await res.json<TokenBody>();
    expect(body.scope).toBe('mcp:read');
    expect((await verifyWithJwks(body.access_token)).payload.scope).toBe('mcp:read');
  });

  it('treats offline_access alone as no scope: mcp:read, never the server’s full set', async () => {
    const alice = await signUp();
    const server = await hostServer(alice, { scopes: [['mcp:read'], ['mcp:admin']] });
    const client = await machineClient(alice);
    const res = await ccBasic(client, { resource: server.resource, scope: 'offline_access' });
    expect(res.status).toBe(200);
    expect((await res.json<TokenBody>()).scope).toBe('mcp:read');
  });

  it('refuses a request without scope with invalid_scope when the server offers no mcp:read', async () => {
    const alice = await signUp();
    const server = await hostServer(alice, { scopes: [['mcp:write'], ['mcp:admin']] });
    const client = await machineClient(alice);
    const res = await ccBasic(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_scope');
    const granted = await ccBasic(client, { resource: server.resource, scope: 'mcp:write' });
    expect(granted.status).toBe(200);
    expect((await granted.json<TokenBody>()).scope).toBe('mcp:write');
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

type ServerGrantView = {
  id: string;
  client: { id: string; name: string | null };
  grantType: string;
  user: unknown;
  owner: { id: string; email: string } | null;
  scope: string;
  lastTokenAt: number | null;
};

async function serverGrants(as: SignedUp, serverId: string): Promise<ServerGrantView[]> {
  const res = await api(`/v1/servers/${serverId}/grants`, { as });
  expect(res.status).toBe(200);
  return (await res.json<{ grants: ServerGrantView[] }>()).grants;
}

describe('client_credentials: machine clients act within their org', () => {
  it('refuses a public server of another org with invalid_target', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const bobs = await hostServer(bob, { visibility: 'public' });
    const { client } = await keyedMachineClient(alice);
    const res = await ccToken(client, { resource: bobs.resource, scope: 'mcp:read' });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('stops issuing once its owner is removed from the org, even for a public server', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await joinOrg(alice, bob);
    const server = await hostServer(alice, { visibility: 'public' });
    const client = await sessionMachineClient(bob, alice.orgId);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    const removed = await api(`/v1/me/org/members/${bob.user.id}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    const res = await ccToken(client, { resource: server.resource });
    expect([400, 401]).toContain(res.status);
    expect(['unauthorized_client', 'invalid_client']).toContain(await oauthError(res));
  });

  it('checks the owner’s membership at token time: no membership, unauthorized_client', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await joinOrg(alice, bob);
    const server = await hostServer(alice, { visibility: 'public' });
    const client = await sessionMachineClient(bob, alice.orgId);
    await env.DB.prepare('DELETE FROM members WHERE org_id = ? AND user_id = ?')
      .bind(alice.orgId, bob.user.id)
      .run();
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unauthorized_client');
  });

  it('checks the registering API key at token time: a revoked key, unauthorized_client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, key } = await keyedMachineClient(alice);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?')
      .bind(Date.now(), key.id)
      .run();
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unauthorized_client');
  });

  it('refuses a client with no bound org (registered before binding) with unauthorized_client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await keyedMachineClient(alice);
    await env.DB.prepare('UPDATE oauth_clients SET owner_org_id = NULL WHERE id = ?')
      .bind(client.client_id)
      .run();
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unauthorized_client');
  });

  it('shows the client on the server’s clients page with its owner and last token time; tokens carry its grant', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await keyedMachineClient(alice);
    const first = await (await ccToken(client, { resource: server.resource })).json<TokenBody>();
    const second = await (await ccToken(client, { resource: server.resource })).json<TokenBody>();
    const grants = (await serverGrants(alice, server.id)).filter(
      (g) => g.client.id === client.client_id,
    );
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      client: { id: client.client_id, name: 'Nightly job' },
      grantType: 'client_credentials',
      user: null,
      owner: { id: alice.user.id, email: alice.email },
      scope: 'mcp:read',
    });
    expect(grants[0]!.lastTokenAt).toBeGreaterThan(0);
    for (const t of [first, second]) {
      const { payload } = await verifyWithJwks(t.access_token);
      expect(String(payload.jti).split('.')[0]).toBe(grants[0]!.id);
    }
  });

  it('writes the last token time at most once a minute per client and server', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await keyedMachineClient(alice);
    await ccToken(client, { resource: server.resource });
    const read = () =>
      env.DB.prepare('SELECT id, last_token_at FROM grants WHERE client_id = ? AND server_id = ?')
        .bind(client.client_id, server.id)
        .first<{ id: string; last_token_at: number }>();
    const before = (await read())!;
    // Pretend the last write was 61 s ago: the next token records again.
    await env.DB.prepare('UPDATE grants SET last_token_at = ? WHERE id = ?')
      .bind(before.last_token_at - 61_000, before.id)
      .run();
    await ccToken(client, { resource: server.resource });
    await vi.waitFor(
      async () => expect((await read())!.last_token_at).toBeGreaterThan(before.last_token_at - 1),
      {
        timeout: 2000,
        interval: 20,
      },
    );
    const recorded = (await read())!.last_token_at;
    await ccToken(client, { resource: server.resource });
    await new Promise((r) => setTimeout(r, 100));
    expect((await read())!.last_token_at).toBe(recorded);
  });

  it('gets no more tokens for a server once an admin revokes it there (invalid_target); other servers still work', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const other = await hostServer(alice);
    const { client } = await keyedMachineClient(alice);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    const grant = (await serverGrants(alice, server.id)).find(
      (g) => g.client.id === client.client_id,
    )!;
    const del = await api(`/v1/servers/${server.id}/grants/${grant.id}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
    expect((await serverGrants(alice, server.id)).map((g) => g.client.id)).not.toContain(
      client.client_id,
    );
    expect((await ccToken(client, { resource: other.resource })).status).toBe(200);
  });
});
