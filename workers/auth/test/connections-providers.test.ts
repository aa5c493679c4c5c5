// Provider variations of the linking flow: a public client, several connections in one
// authorization, and a token endpoint that refuses the exchange.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';
import {
  atProvider,
  callback,
  CLIENT_SECRET_NAME,
  connectedServer,
  connectionRows,
  notesConnection,
  providerLogin,
  startAuthorization,
} from './support/connections';
import { ISSUER, REDIRECT_URI, register } from './support/oauth-client';

const refreshTarget = (res: Response) => {
  const refresh = res.headers.get('refresh')!;
  return new URL(refresh.slice(refresh.indexOf('url=') + 4));
};

describe('linking at different providers', () => {
  it('links as a public client with PKCE only (no client secret)', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice, {
      connections: [
        notesConnection({ clientId: env.CONN_PROVIDER_PUBLIC_CLIENT_ID, clientSecret: undefined }),
      ],
    });
    const started = await startAuthorization(alice, server, await register());
    const res = await callback(await atProvider(started.location, providerLogin()), alice);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(await connectionRows(server.id, alice.user.id)).toHaveLength(1);
  });

  it('links every declared connection, one provider trip each, before the client gets its code', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice, {
      connections: [
        notesConnection(),
        notesConnection({ name: 'repos', title: 'Repos', scopes: ['repo'] }),
      ],
    });
    const login = providerLogin();
    const started = await startAuthorization(alice, server, await register());
    const first = await callback(await atProvider(started.location, login), alice);
    const second = new URL(first.headers.get('location')!);
    expect(second.origin).toBe(env.CONN_PROVIDER_ISSUER);
    expect(second.searchParams.get('scope')).toBe('repo');
    const done = await callback(await atProvider(second.href, login), alice);
    expect(done.headers.get('location')!.startsWith(REDIRECT_URI)).toBe(true);
    expect(new URL(done.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const names = (await connectionRows(server.id, alice.user.id)).map((r) => r.name).sort();
    expect(names).toEqual(['notes', 'repos']);
  });

  it('sends server_error to the client when the provider refuses the code exchange', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    await api(`/v1/servers/${server.id}/secrets/${CLIENT_SECRET_NAME}`, {
      as: alice,
      method: 'PUT',
      body: { value: 'not-the-secret' },
    });
    const started = await startAuthorization(alice, server, await register());
    const res = await callback(await atProvider(started.location, providerLogin()), alice);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Moat could not complete the Notes sign-in');
    const to = refreshTarget(res);
    expect(to.searchParams.get('error')).toBe('server_error');
    expect(to.searchParams.get('iss')).toBe(ISSUER);
    expect(to.searchParams.get('code')).toBeNull();
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('explains a client secret the owner has not set yet', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    await api(`/v1/servers/${server.id}/secrets/${CLIENT_SECRET_NAME}`, {
      as: alice,
      method: 'DELETE',
    });
    const started = await startAuthorization(alice, server, await register());
    const res = await callback(await atProvider(started.location, providerLogin()), alice);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('has not set the Notes client secret');
    expect(refreshTarget(res).searchParams.get('error')).toBe('server_error');
  });
});
