import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MyConnectionListSchema, ServerConnectionListSchema } from '../../../lib/api/connections';
import { openTokenPair } from '../../../lib/connections/tokens';
import { api, signUp, type SignedUp } from './support/accounts';
import {
  atProvider,
  callback,
  connectedServer,
  connectionRows,
  providerLogin,
  providerStats,
  startAuthorization,
} from './support/connections';
import { expectShape } from './support/contract';
import { register } from './support/oauth-client';
import { team } from './support/teams';

/** Links the `notes` connection of `server` for `user` as `login` at the provider. */
async function link(user: SignedUp, server: { id: string; url: string }, login = providerLogin()) {
  const started = await startAuthorization(user, server, await register());
  const res = await callback(await atProvider(started.location, login), user);
  expect(res.status).toBe(302);
  return login;
}

describe('GET /v1/me/connections', () => {
  it('lists the caller’s linked accounts with their server, never a token', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    await link(alice, server);
    const res = await api('/v1/me/connections', { as: alice });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = expectShape(MyConnectionListSchema, JSON.parse(text));
    expect(body.connections).toHaveLength(1);
    expect(body.connections[0]).toMatchObject({
      serverId: server.id,
      serverSlug: server.slug,
      name: 'notes',
      title: 'Notes',
      status: 'active',
      scope: 'notes:read read:user',
    });
    const [row] = await connectionRows(server.id, alice.user.id);
    expect(text).not.toContain(row!.ciphertext as string);
    expect(text).not.toMatch(/token/i);
  });

  it('shows nothing of other users’ connections', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await link(alice, await connectedServer(alice));
    const res = await api('/v1/me/connections', { as: bob });
    expect(expectShape(MyConnectionListSchema, await res.json()).connections).toEqual([]);
  });
});

describe('DELETE /v1/me/connections/:id', () => {
  it('revokes at the provider, deletes the row and audits connection.removed', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const login = await link(alice, server);
    const [row] = await connectionRows(server.id, alice.user.id);
    const pair = await openTokenPair(
      env.MASTER_KEY,
      { serverId: server.id, userId: alice.user.id, name: 'notes' },
      {
        ciphertext: row!.ciphertext as string,
        iv: row!.iv as string,
        wrappedKey: row!.wrapped_key as string,
        keyVersion: row!.key_version as number,
      },
    );
    const before = await providerStats();
    const res = await api(`/v1/me/connections/${row!.id as string}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(res.status).toBe(204);
    const after = await providerStats();
    expect(after.bySub[login]!.revocations).toBe(1);
    expect(after.revocationRequests).toBeGreaterThan(before.revocationRequests);
    // The provider no longer honours the user's token: the downstream API refuses it.
    const seen = await fetch(`${env.CONN_DOWNSTREAM_ORIGIN}/whoami`, {
      headers: { authorization: `Bearer ${pair.access_token}` },
    });
    expect(seen.status).toBe(401);
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
    const audit = await env.DB.prepare(
      "SELECT metadata FROM audit_events WHERE action = 'connection.removed' AND actor = ?",
    )
      .bind(alice.user.id)
      .first<{ metadata: string }>();
    expect(JSON.parse(audit!.metadata)).toMatchObject({
      connection: 'notes',
      provider_revoked: true,
    });
    expect(audit!.metadata).not.toContain(row!.ciphertext as string);
  });

  it('answers 404 connection_not_found for another user’s connection and keeps it', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await connectedServer(alice);
    await link(alice, server);
    const [row] = await connectionRows(server.id, alice.user.id);
    const res = await api(`/v1/me/connections/${row!.id as string}`, {
      as: bob,
      method: 'DELETE',
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'connection_not_found',
    );
    expect(await connectionRows(server.id, alice.user.id)).toHaveLength(1);
  });
});

describe('GET /v1/servers/:id/connections', () => {
  it('tells owners the redirect URI, how many linked and how many must reconnect', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice, { visibility: 'public' });
    const bob = await signUp();
    const carol = await signUp();
    await link(bob, server);
    await link(carol, server);
    await env.DB.prepare(
      "UPDATE user_connections SET status = 'reconnect_needed' WHERE user_id = ? AND server_id = ?",
    )
      .bind(carol.user.id, server.id)
      .run();
    const res = await api(`/v1/servers/${server.id}/connections`, { as: alice });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(expectShape(ServerConnectionListSchema, JSON.parse(text)).connections).toEqual([
      {
        name: 'notes',
        title: 'Notes',
        redirectUri: 'http://127.0.0.1:8787/connections/callback',
        linkedUsers: 2,
        needReconnect: 1,
      },
    ]);
    expect(text).not.toContain(bob.user.id);
  });

  it('is for owners and admins only', async () => {
    const { alice, bob } = await team('member');
    const server = await connectedServer(alice, { visibility: 'org' });
    const res = await api(`/v1/servers/${server.id}/connections`, {
      as: bob,
      headers: { 'x-moat-org': alice.orgId },
    });
    expect(res.status).toBe(403);
  });
});
