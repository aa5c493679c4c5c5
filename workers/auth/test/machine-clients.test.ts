// GET /v1/clients and DELETE /v1/clients/:id: the org's machine clients, listed and revoked
// (docs/api.md "Machine clients"); and clients ending with the member who registered them.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp, type SignedUp } from './support/accounts';
import { ccToken, joinOrg, machineClient, sessionMachineClient } from './support/machine-clients';
import { hostServer, oauthError } from './support/oauth-client';

type ClientView = {
  id: string;
  name: string | null;
  grantTypes: string[];
  owner: { id: string; email: string | null } | null;
  apiKey: { id: string; name: string | null; prefix: string | null } | null;
  createdAt: number;
  lastUsedAt: number | null;
};

async function listClients(as: SignedUp, orgId = as.orgId): Promise<ClientView[]> {
  const res = await api('/v1/clients', { as, headers: { 'x-moat-org': orgId } });
  expect(res.status).toBe(200);
  return (await res.json<{ clients: ClientView[] }>()).clients;
}

const rulesFor = (clientId: string) =>
  env.DB.prepare('SELECT client_id, reason FROM token_revocations WHERE client_id = ?')
    .bind(clientId)
    .all()
    .then((r) => r.results);

describe('GET /v1/clients', () => {
  it('refuses an unauthenticated request with 401', async () => {
    const res = await api('/v1/clients');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('lists the org’s machine clients with owner, key, created and last used — and no other org’s', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const server = await hostServer(alice);
    const { client, key } = await machineClient(alice);
    const fromSession = await sessionMachineClient(alice);
    await machineClient(mallory);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);

    const clients = await listClients(alice);
    expect(clients.map((c) => c.id).sort()).toEqual(
      [client.client_id, fromSession.client_id].sort(),
    );
    const keyed = clients.find((c) => c.id === client.client_id)!;
    expect(keyed).toMatchObject({
      name: 'Nightly job',
      grantTypes: ['client_credentials'],
      owner: { id: alice.user.id, email: alice.email },
      apiKey: { id: key.id, name: key.name, prefix: key.prefix },
    });
    expect(keyed.createdAt).toBeGreaterThan(0);
    expect(keyed.lastUsedAt).toBeGreaterThan(0);
    expect(clients.find((c) => c.id === fromSession.client_id)).toMatchObject({
      apiKey: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(clients)).not.toContain('moat_cs_');
  });
});

describe('DELETE /v1/clients/:id', () => {
  it('revokes a client: invalid_client at /token, a {clientId} rule, an audit event, gone from the lists', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await machineClient(alice);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);

    const del = await api(`/v1/clients/${client.client_id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
    expect(await rulesFor(client.client_id)).toEqual([
      { client_id: client.client_id, reason: 'client_revoked' },
    ]);
    const audit = await env.DB.prepare(
      "SELECT actor, org_id FROM audit_events WHERE action = 'oauth.client.revoked' AND resource = ?",
    )
      .bind(client.client_id)
      .all();
    expect(audit.results).toEqual([{ actor: alice.user.id, org_id: alice.orgId }]);
    expect((await listClients(alice)).map((c) => c.id)).not.toContain(client.client_id);
    const grants = await (
      await api(`/v1/servers/${server.id}/grants`, { as: alice })
    ).json<{ grants: { client: { id: string } }[] }>();
    expect(grants.grants.map((g) => g.client.id)).not.toContain(client.client_id);
    const again = await api(`/v1/clients/${client.client_id}`, { as: alice, method: 'DELETE' });
    expect(again.status).toBe(404);
  });

  it('lets a member revoke their own client but not another’s (403)', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await joinOrg(alice, bob);
    const server = await hostServer(alice, { visibility: 'org' });
    const alices = await sessionMachineClient(alice);
    const bobs = await sessionMachineClient(bob, alice.orgId);
    const inAlice = { as: bob, headers: { 'x-moat-org': alice.orgId }, method: 'DELETE' };

    const refused = await api(`/v1/clients/${alices.client_id}`, inAlice);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await ccToken(alices, { resource: server.resource })).status).toBe(200);

    expect((await api(`/v1/clients/${bobs.client_id}`, inAlice)).status).toBe(204);
    expect((await ccToken(bobs, { resource: server.resource })).status).toBe(401);
  });

  it('lets an admin revoke a member’s client', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const carol = await signUp();
    await joinOrg(alice, bob);
    await joinOrg(alice, carol, 'admin');
    const bobs = await sessionMachineClient(bob, alice.orgId);
    const res = await api(`/v1/clients/${bobs.client_id}`, {
      as: carol,
      headers: { 'x-moat-org': alice.orgId },
      method: 'DELETE',
    });
    expect(res.status).toBe(204);
  });

  it('answers 404 for another org’s client and leaves it working', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const server = await hostServer(alice);
    const { client } = await machineClient(alice);
    const res = await api(`/v1/clients/${client.client_id}`, { as: mallory, method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    expect(await rulesFor(client.client_id)).toEqual([]);
  });
});

describe('a member removed from the org', () => {
  it('takes the clients they registered for it along: invalid_client and a {clientId} rule each', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await joinOrg(alice, bob);
    const server = await hostServer(alice, { visibility: 'org' });
    const { client: keyed } = await machineClient(bob, { orgId: alice.orgId });
    const fromSession = await sessionMachineClient(bob, alice.orgId);
    const ownOrg = await sessionMachineClient(bob);
    const removed = await api(`/v1/me/org/members/${bob.user.id}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    for (const c of [keyed, fromSession]) {
      const res = await ccToken(c, { resource: server.resource });
      expect(res.status).toBe(401);
      expect(await oauthError(res)).toBe('invalid_client');
      // One rule per client: the client is revoked whole.
      expect(await rulesFor(c.client_id)).toEqual([
        { client_id: c.client_id, reason: 'member_removed' },
      ]);
    }
    // Bob's client for his own org is not Alice's business.
    expect(await rulesFor(ownOrg.client_id)).toEqual([]);
    expect((await listClients(bob)).map((c) => c.id)).toEqual([ownOrg.client_id]);
  });
});
