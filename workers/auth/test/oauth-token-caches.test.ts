// The token endpoint's isolate caches (docs/decisions.md 2026-12-03 "Token endpoint caches"): a
// registered client is served from a few-second copy at /token, and what that copy may still do
// after the client is revoked elsewhere is bounded.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../lib/oauth/errors';
import { resolveClient } from '../src/authorization-server/clients';
import { oauthConfig } from '../src/authorization-server/config';
import { CLIENT_CACHE_MS } from '../src/store/client-cache';
import { api, signUp } from './support/accounts';
import { ccToken, machineClient } from './support/machine-clients';
import { hostServer, oauthError } from './support/oauth-client';

const deleteRow = (id: string) =>
  env.DB.prepare('DELETE FROM oauth_clients WHERE id = ?').bind(id).run();

describe('the client copy at /token', () => {
  it('refuses a client deleted in another isolate once the window has passed', async () => {
    const alice = await signUp();
    const { client } = await machineClient(alice);
    const config = oauthConfig(env);
    const t = Date.now();
    const cached = { cached: true, now: t };
    expect((await resolveClient(env.DB, config, client.client_id, cached)).id).toBe(
      client.client_id,
    );
    await deleteRow(client.client_id);
    // Inside the window the copy answers; a read that bypasses it does not.
    const inside = { cached: true, now: t + CLIENT_CACHE_MS - 1 };
    expect((await resolveClient(env.DB, config, client.client_id, inside)).id).toBe(
      client.client_id,
    );
    await expect(resolveClient(env.DB, config, client.client_id)).rejects.toBeInstanceOf(
      OAuthError,
    );
    const after = { cached: true, now: t + CLIENT_CACHE_MS };
    await expect(resolveClient(env.DB, config, client.client_id, after)).rejects.toMatchObject({
      code: 'invalid_client',
    });
  });

  it('refuses a client revoked through /v1/clients at once (the isolate drops its copy)', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await machineClient(alice);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    const del = await api(`/v1/clients/${client.client_id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('opens no new machine grant for a client deleted elsewhere, even inside the window', async () => {
    const alice = await signUp();
    const first = await hostServer(alice);
    const second = await hostServer(alice);
    const { client } = await machineClient(alice);
    expect((await ccToken(client, { resource: first.resource })).status).toBe(200);
    await deleteRow(client.client_id);
    const res = await ccToken(client, { resource: second.resource });
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
    const grants = await env.DB.prepare('SELECT count(*) AS n FROM grants WHERE client_id = ?')
      .bind(client.client_id)
      .first<{ n: number }>();
    expect(grants?.n).toBe(1);
  });
});
