import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createApiKey, signUp } from './support/accounts';
import { ccToken, joinOrg, machineClient } from './support/machine-clients';
import { hostServer, oauthError } from './support/oauth-client';

const rulesFor = (clientId: string) =>
  env.DB.prepare(
    'SELECT server_id, org_id, sub, client_id, grant_id, reason FROM token_revocations WHERE client_id = ?',
  )
    .bind(clientId)
    .all()
    .then((r) => r.results);

describe('/v1/api-keys', () => {
  it('refuses an unauthenticated request with 401 unauthenticated', async () => {
    const res = await api('/v1/api-keys');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('refuses an unknown bearer key with 401 invalid_api_key, without falling back to the cookie', async () => {
    const alice = await signUp();
    const res = await api('/v1/me', {
      as: alice,
      headers: { authorization: `Bearer moat_sk_${'a'.repeat(52)}` },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('refuses a key without a name with 422', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', { as: alice, body: { name: '' } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'name' }] },
    });
  });

  it('creates a moat_sk_ key shown once, stores only its hash, and lists it by prefix', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', { as: alice, body: { name: 'ci' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = await res.json<{ id: string; name: string; prefix: string; key: string }>();
    expect(created.key).toMatch(/^moat_sk_[a-z2-7]{52}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));

    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?')
      .bind(created.id)
      .first();
    expect(JSON.stringify(row)).not.toContain(created.key);

    const list = await (await api('/v1/api-keys', { as: alice })).json<{ apiKeys: object[] }>();
    expect(list.apiKeys).toEqual([
      expect.objectContaining({
        id: created.id,
        name: 'ci',
        prefix: created.prefix,
        lastUsedAt: null,
      }),
    ]);
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it('authenticates /v1 with Authorization: Bearer and records the last use', async () => {
    const alice = await signUp();
    const { id, key } = await createApiKey(alice);
    const me = await api('/v1/me', { key });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { id: alice.user.id },
      authenticatedBy: 'api_key',
    });
    const list = await (
      await api('/v1/api-keys', { key })
    ).json<{ apiKeys: { id: string; lastUsedAt: number }[] }>();
    expect(list.apiKeys.find((k) => k.id === id)?.lastUsedAt).toBeGreaterThan(0);
  });

  it('revokes a key: it stops working at once and leaves the list', async () => {
    const alice = await signUp();
    const { id, key } = await createApiKey(alice);
    const del = await api(`/v1/api-keys/${id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    const after = await api('/v1/me', { key });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    const list = await (await api('/v1/api-keys', { as: alice })).json<{ apiKeys: unknown[] }>();
    expect(list.apiKeys).toEqual([]);
    const events = await env.DB.prepare(
      "SELECT actor FROM audit_events WHERE action = 'api_key.revoked' AND resource = ?",
    )
      .bind(id)
      .all();
    expect(events.results).toEqual([{ actor: alice.user.id }]);
  });

  it("answers 404 for another org's key and leaves it working", async () => {
    const [alice, mallory] = [await signUp(), await signUp()];
    const { id, key } = await createApiKey(alice);
    const res = await api(`/v1/api-keys/${id}`, { as: mallory, method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await api('/v1/me', { key })).status).toBe(200);
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_events WHERE action = 'api_key.revoked' AND resource = ?",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(events?.n).toBe(0);
  });

  it('revokes the clients the key registered: invalid_client at /token and a {clientId} rule each', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, key } = await machineClient(alice);
    const token = await ccToken(client, { resource: server.resource, scope: 'mcp:read' });
    expect(token.status).toBe(200);
    const del = await api(`/v1/api-keys/${key.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);

    const res = await ccToken(client, { resource: server.resource, scope: 'mcp:read' });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
    expect(await rulesFor(client.client_id)).toEqual([
      {
        server_id: null,
        org_id: null,
        sub: null,
        client_id: client.client_id,
        grant_id: null,
        reason: 'api_key_revoked',
      },
    ]);
    const grants = await env.DB.prepare(
      'SELECT revoked_reason FROM grants WHERE client_id = ? AND revoked_at IS NOT NULL',
    )
      .bind(client.client_id)
      .all();
    expect(grants.results).toEqual([{ revoked_reason: 'api_key_revoked' }]);
    const audit = await env.DB.prepare(
      "SELECT metadata FROM audit_events WHERE action = 'api_key.revoked' AND resource = ?",
    )
      .bind(key.id)
      .first<{ metadata: string }>();
    expect(JSON.parse(audit!.metadata)).toEqual({ revoked_clients: [client.client_id] });
  });

  it('leaves the clients of a key working when a member may not revoke that key', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await joinOrg(alice, bob);
    const server = await hostServer(alice, { visibility: 'org' });
    const { client, key } = await machineClient(alice, { orgId: alice.orgId });
    const res = await api(`/v1/api-keys/${key.id}`, {
      as: bob,
      headers: { 'x-moat-org': alice.orgId },
      method: 'DELETE',
    });
    expect(res.status).toBe(404);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    expect(await rulesFor(client.client_id)).toEqual([]);
  });

  it('keeps clients of other keys working', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { key } = await machineClient(alice);
    const { client: other } = await machineClient(alice);
    await api(`/v1/api-keys/${key.id}`, { as: alice, method: 'DELETE' });
    expect((await ccToken(other, { resource: server.resource })).status).toBe(200);
  });
});
