import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openTokenPair } from '../../../lib/connections/tokens';
import { signUp } from './support/accounts';
import {
  atProvider,
  callback,
  connectedServer,
  connectionRows,
  providerLogin,
  startAuthorization,
} from './support/connections';
import {
  authorizeUrl,
  exchangeCode,
  fetchAs,
  getAuthorize,
  ISSUER,
  pkce,
  REDIRECT_URI,
  register,
} from './support/oauth-client';

const PROVIDER = () => env.CONN_PROVIDER_ISSUER;

async function linkedUser() {
  const alice = await signUp();
  const server = await connectedServer(alice);
  const client = await register();
  const login = providerLogin('alice');
  const started = await startAuthorization(alice, server, client);
  const back = await atProvider(started.location, login);
  return { alice, server, client, login, started, back };
}

describe('the consent page of a server with connections', () => {
  it('says which account the server acts on, with which scopes', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const client = await register();
    const { challenge } = await pkce();
    const res = await getAuthorize(
      authorizeUrl({ client, resource: server.url, challenge }),
      alice,
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('acts on your Notes account');
    expect(html).toContain('with: <code>notes:read read:user</code>');
    // The approve redirect goes to the provider: CSP3 form-action governs it.
    expect(res.headers.get('content-security-policy')).toContain(
      `form-action 'self' http://127.0.0.1:33418 ${PROVIDER()}`,
    );
  });
});

describe('approving sends the user to the provider, then back to the client', () => {
  it('redirects to the provider with PKCE S256, the exact callback URI, state and the scopes', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const { location } = await startAuthorization(alice, server, await register());
    const url = new URL(location);
    expect(url.origin).toBe(PROVIDER());
    expect(url.searchParams.get('redirect_uri')).toBe(`${ISSUER}/connections/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('notes:read read:user');
    expect(url.searchParams.get('client_id')).toBe(env.CONN_PROVIDER_CLIENT_ID);
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(40);
  });

  it('ends with a code for the client and the pair stored sealed for this user', async () => {
    const { alice, server, client, login, started, back } = await linkedUser();
    const res = await callback(back, alice);
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT_URI);
    expect(loc.searchParams.get('state')).toBe('st-123');
    const tokens = await exchangeCode({
      client,
      code: loc.searchParams.get('code')!,
      verifier: started.verifier,
      resource: server.url,
    });
    expect(tokens.status).toBe(200);

    const [row] = await connectionRows(server.id, alice.user.id);
    expect(row).toMatchObject({ name: 'notes', status: 'active', generation: 1 });
    expect(row!.scope).toBe('notes:read read:user');
    const key = { serverId: server.id, userId: alice.user.id, name: 'notes' };
    const pair = await openTokenPair(env.MASTER_KEY, key, {
      ciphertext: row!.ciphertext as string,
      iv: row!.iv as string,
      wrappedKey: row!.wrapped_key as string,
      keyVersion: row!.key_version as number,
    });
    expect(JSON.stringify(row)).not.toContain(pair.access_token);
    expect(pair.refresh_token).toBeTruthy();
    // The stored token is this user's at the provider: the downstream API says so.
    const seen = await fetch(`${env.CONN_DOWNSTREAM_ORIGIN}/whoami`, {
      headers: { authorization: `Bearer ${pair.access_token}` },
    });
    expect(await seen.json()).toMatchObject({ sub: login, scope: 'notes:read read:user' });
    const audit = await env.DB.prepare(
      "SELECT metadata FROM audit_events WHERE action = 'connection.linked' AND actor = ?",
    )
      .bind(alice.user.id)
      .first<{ metadata: string }>();
    expect(audit!.metadata).not.toContain(pair.access_token);
  });

  it('goes straight to the client next time: the connection is already linked', async () => {
    const { alice, server, client, back } = await linkedUser();
    await callback(back, alice);
    const again = await startAuthorization(alice, server, client);
    expect(new URL(again.location).searchParams.get('code')).toBeTruthy();
    expect(again.location.startsWith(REDIRECT_URI)).toBe(true);
  });

  it('sends a remembered consent without the connection to the provider, not to the client', async () => {
    const { alice, server, client, back } = await linkedUser();
    await callback(back, alice);
    await env.DB.prepare('DELETE FROM user_connections WHERE user_id = ?')
      .bind(alice.user.id)
      .run();
    const again = await startAuthorization(alice, server, client);
    expect(new URL(again.location).origin).toBe(PROVIDER());
  });
});

describe('the callback refuses what it did not start for this user', () => {
  it('refuses a replayed state', async () => {
    const { alice, back } = await linkedUser();
    expect((await callback(back, alice)).status).toBe(302);
    const replay = await callback(back, alice);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
  });

  it('refuses another user’s state and links nothing for either', async () => {
    const { alice, server, back } = await linkedUser();
    const mallory = await signUp();
    const res = await callback(back, mallory);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('another Moat account');
    expect(await connectionRows(server.id, mallory.user.id)).toEqual([]);
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('refuses a callback without a session', async () => {
    const { back } = await linkedUser();
    expect((await callback(back)).status).toBe(400);
  });

  it('refuses an expired flow', async () => {
    const { alice, server, back } = await linkedUser();
    await env.DB.prepare('UPDATE connection_flows SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, alice.user.id)
      .run();
    const res = await callback(back, alice);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('refuses a response whose iss is not the provider (RFC 9207) and tells the client', async () => {
    const { alice, server, back } = await linkedUser();
    const forged = new URL(back);
    forged.searchParams.set('iss', 'https://evil.example');
    const res = await callback(forged.href, alice);
    expect(res.status).toBe(400);
    const refresh = res.headers.get('refresh')!;
    const to = new URL(refresh.slice(refresh.indexOf('url=') + 4));
    expect(`${to.origin}${to.pathname}`).toBe(REDIRECT_URI);
    expect(to.searchParams.get('error')).toBe('server_error');
    expect(to.searchParams.get('code')).toBeNull();
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });

  it('refuses a response without iss from a provider that promised one', async () => {
    const { alice, server, back } = await linkedUser();
    const stripped = new URL(back);
    stripped.searchParams.delete('iss');
    expect((await callback(stripped.href, alice)).status).toBe(400);
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });
});

describe('a denied provider step', () => {
  it('ends with a clear page and access_denied to the client, and no code or grant', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const client = await register();
    const started = await startAuthorization(alice, server, client);
    const back = await atProvider(started.location, providerLogin(), { deny: true });
    const res = await callback(back, alice);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Notes was not connected');
    expect(html).toContain('You did not allow access to your Notes account.');
    const refresh = res.headers.get('refresh')!;
    const to = new URL(refresh.slice(refresh.indexOf('url=') + 4));
    expect(to.searchParams.get('error')).toBe('access_denied');
    expect(to.searchParams.get('state')).toBe('st-123');
    expect(to.searchParams.get('iss')).toBe(ISSUER);
    expect(to.searchParams.get('code')).toBeNull();
    const codes = await env.DB.prepare('SELECT COUNT(*) AS n FROM auth_codes WHERE user_id = ?')
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(codes!.n).toBe(0);
    const consents = await env.DB.prepare('SELECT COUNT(*) AS n FROM consents WHERE user_id = ?')
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(consents!.n).toBe(0);
    expect(await connectionRows(server.id, alice.user.id)).toEqual([]);
  });
});

describe('the standalone connect link', () => {
  it('signs the user in first', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const res = await fetchAs(`/connections/${server.id}/notes/connect`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login?return_to=${encodeURIComponent(`/connections/${server.id}/notes/connect`)}`,
    );
  });

  it('links through the provider and ends on the Connected page', async () => {
    const alice = await signUp();
    const server = await connectedServer(alice);
    const start = await fetchAs(`/connections/${server.id}/notes/connect`, {
      headers: { cookie: alice.cookie },
    });
    expect(start.status).toBe(302);
    const back = await atProvider(start.headers.get('location')!, providerLogin());
    const res = await callback(back, alice);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Connected — return to your client');
    expect(await connectionRows(server.id, alice.user.id)).toHaveLength(1);
  });

  it('answers the same page for an unknown connection and a server the user cannot use', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await connectedServer(alice);
    const unknown = await fetchAs(`/connections/${server.id}/nope/connect`, {
      headers: { cookie: alice.cookie },
    });
    const foreign = await fetchAs(`/connections/${server.id}/notes/connect`, {
      headers: { cookie: bob.cookie },
    });
    expect(unknown.status).toBe(400);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('No such connection');
  });
});
