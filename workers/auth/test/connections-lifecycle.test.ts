// A user's downstream tokens follow their access to the server (issue 13): losing it deletes them.
import { describe, expect, it } from 'vitest';
import { api, signUp, type SignedUp } from './support/accounts';
import {
  atProvider,
  callback,
  connectedServer,
  connectionRows,
  providerLogin,
  startAuthorization,
} from './support/connections';
import { exchangeCode, register } from './support/oauth-client';
import { removeMember, team } from './support/teams';

/** `user` authorizes a client for `server`, linking `notes` on the way; answers the grant's id. */
async function connect(user: SignedUp, server: { id: string; url: string }) {
  const client = await register();
  const started = await startAuthorization(user, server, client);
  const res = await callback(await atProvider(started.location, providerLogin()), user);
  const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
  const tokens = await exchangeCode({
    client,
    code,
    verifier: started.verifier,
    resource: server.url,
  });
  expect(tokens.status).toBe(200);
  expect(await connectionRows(server.id, user.user.id)).toHaveLength(1);
  const grants = await api('/v1/me/grants', { as: user });
  const body = await grants.json<{ grants: { id: string; server: { id: string } }[] }>();
  return body.grants.find((g) => g.server.id === server.id)!.id;
}

describe('connections follow access', () => {
  it('removing a member deletes their connections to the org’s servers', async () => {
    const { alice, bob } = await team('member');
    const server = await connectedServer(alice, { visibility: 'org' });
    await connect(bob, server);
    expect((await removeMember(alice, bob)).status).toBe(204);
    expect(await connectionRows(server.id, bob.user.id)).toEqual([]);
  });

  it('keeps a removed member’s connection to a public server, as their grant is kept', async () => {
    const { alice, bob } = await team('member');
    const server = await connectedServer(alice, { visibility: 'public' });
    await connect(bob, server);
    expect((await removeMember(alice, bob)).status).toBe(204);
    expect(await connectionRows(server.id, bob.user.id)).toHaveLength(1);
  });

  it('narrowing a server’s visibility deletes the connections of users who lose it', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice, { visibility: 'public' });
    const bob = await signUp();
    await connect(bob, server);
    const res = await api(`/v1/servers/${server.id}`, {
      as: alice,
      method: 'PATCH',
      body: { visibility: 'private' },
    });
    expect(res.status).toBe(200);
    expect(await connectionRows(server.id, bob.user.id)).toEqual([]);
  });

  it('deleting a server deletes every connection to it', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    await connect(alice, server);
    expect((await api(`/v1/servers/${server.id}`, { as: alice, method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('revoking one’s grant (connected apps) deletes one’s connections to that server', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const grantId = await connect(alice, server);
    const res = await api(`/v1/me/grants/${grantId}`, { as: alice, method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('an owner revoking a user’s grant deletes that user’s connections to the server', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice, { visibility: 'public' });
    const bob = await signUp();
    const grantId = await connect(bob, server);
    const res = await api(`/v1/servers/${server.id}/grants/${grantId}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(res.status).toBe(204);
    expect(await connectionRows(server.id, bob.user.id)).toEqual([]);
  });
});
