// GET /v1/servers/:id/clients: each client's connection health from the real authorize, token and
// refresh flows (docs/observability.md "Connection health").
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ServerClientListSchema, type ServerClient } from '../../../lib/api/server-clients';
import { api, signUp, type SignedUp } from './support/accounts';
import { expectShape } from './support/contract';
import { ccToken, machineClient } from './support/machine-clients';
import {
  authorize,
  connect,
  exchangeCode,
  hostServer,
  refresh,
  register,
  type HostedServer,
  type TokenBody,
} from './support/oauth-client';

async function clientsOf(owner: SignedUp, server: HostedServer): Promise<ServerClient[]> {
  const res = await api(`/v1/servers/${server.id}/clients`, { as: owner });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return expectShape(ServerClientListSchema, await res.json()).clients;
}

const one = (list: ServerClient[], clientId: string) => {
  const found = list.find((c) => c.clientId === clientId);
  if (!found) throw new Error(`client ${clientId} is not listed`);
  return found;
};

describe('/v1/servers/:id/clients connection health', () => {
  it('reports a client that refreshes as healthy with its first token, refreshes and their count', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const { client, tokens } = await connect(owner, server);
    let rt = tokens.refresh_token!;
    for (let i = 0; i < 2; i++) {
      const res = await refresh({ client, refreshToken: rt });
      expect(res.status).toBe(200);
      rt = (await res.json<TokenBody>()).refresh_token!;
    }
    const c = one(await clientsOf(owner, server), client.client_id);
    expect(c).toMatchObject({
      name: 'Test MCP Client',
      kind: 'dcr',
      domain: 'unverified',
      health: 'healthy',
      refreshCount: 2,
      authorizationCount: 1,
      liveGrants: 1,
      users: 1,
    });
    expect(c.firstTokenAt).toBeLessThanOrEqual(c.lastRefreshAt!);
    expect(c.lastTokenAt).toBe(c.lastRefreshAt);
  });

  it('says never_refreshes for a client that re-authorizes the same user instead of refreshing', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const client = await register({ grant_types: ['authorization_code'] });
    await connect(owner, server, { client });
    await connect(owner, server, { client });
    const c = one(await clientsOf(owner, server), client.client_id);
    expect(c.health).toBe('never_refreshes');
    expect(c.healthReason).toMatch(/authorized it 2 times and it never used a refresh token/);
    expect(c).toMatchObject({ refreshCount: 0, authorizationCount: 2, lastRefreshAt: null });
  });

  it('says revoked once the owner revokes the client’s only grant', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const { client } = await connect(owner, server);
    const grants = await api(`/v1/servers/${server.id}/grants`, { as: owner });
    const { grants: list } = await grants.json<{ grants: { id: string }[] }>();
    const del = await api(`/v1/servers/${server.id}/grants/${list[0]!.id}`, {
      as: owner,
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    const c = one(await clientsOf(owner, server), client.client_id);
    expect(c).toMatchObject({ health: 'revoked', liveGrants: 0 });
  });

  it('lists a machine client as kind machine with its client_credentials token time', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const { client } = await machineClient(owner);
    const res = await ccToken(client, { resource: server.resource, scope: 'mcp:read' });
    expect(res.status).toBe(200);
    const c = one(await clientsOf(owner, server), client.client_id);
    expect(c).toMatchObject({ kind: 'machine', name: 'Nightly job', health: 'healthy' });
    expect(c.lastTokenAt).toBeTypeOf('number');
  });

  it('records nothing for a code exchange that fails (the health write is in the same batch)', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const client = await register();
    const { code } = await authorize({ client, user: owner, resource: server.resource });
    const bad = await exchangeCode({ client, code, verifier: 'x'.repeat(43) });
    expect(bad.status).toBe(400);
    expect(await clientsOf(owner, server)).toEqual([]);
  });

  it('shows the runner’s 401s as failing and the last 403’s scope', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const { client } = await connect(owner, server);
    // The runner's writes (workers/runner/test/connection-telemetry.test.ts) as they land.
    const now = Date.now();
    await env.DB.prepare(
      `UPDATE client_health SET last_used_at = ?, last_401_at = ?, last_401_reason = 'expired',
         recent_401_count = 4, last_403_at = ?, last_403_scope = 'mcp:write'
       WHERE server_id = ? AND client_id = ?`,
    )
      .bind(now - 60_000, now, now, server.id, client.client_id)
      .run();
    const c = one(await clientsOf(owner, server), client.client_id);
    expect(c).toMatchObject({
      health: 'failing',
      last401Reason: 'expired',
      last403Scope: 'mcp:write',
    });
    expect(c.healthReason).toMatch(/4 requests refused with 401/);
  });

  it('lists the users’ downstream connections with their status and reason, never the tokens', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO user_connections (id, server_id, user_id, name, status, status_reason, scope,
         ciphertext, iv, wrapped_key, key_version, generation, created_at, updated_at)
       VALUES (?, ?, ?, 'github', 'reconnect_needed', 'The provider refused the refresh token.',
         'repo', 'sealed-pair', 'iv', 'wrapped', 1, 1, ?, ?)`,
    )
      .bind(`con_${crypto.randomUUID()}`, server.id, owner.user.id, now, now)
      .run();
    const res = await api(`/v1/servers/${server.id}/clients`, { as: owner });
    const body = expectShape(ServerClientListSchema, await res.json());
    expect(body.connections).toEqual([
      expect.objectContaining({
        name: 'github',
        user: { id: owner.user.id, email: owner.user.email },
        status: 'reconnect_needed',
        reason: 'The provider refused the refresh token.',
      }),
    ]);
    expect(JSON.stringify(body)).not.toContain('sealed-pair');
  });

  it('is for the server’s writers only', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const stranger = await signUp();
    const res = await api(`/v1/servers/${server.id}/clients`, { as: stranger });
    expect(res.status).toBe(404);
  });
});
