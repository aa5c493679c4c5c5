import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';
import {
  authorizeUrl,
  connect,
  getAuthorize,
  hostServer,
  oauthError,
  pkce,
  refresh,
} from './support/oauth-client';

type Listed = {
  grants: {
    id: string;
    client: { id: string; name: string; verified: boolean };
    server: { slug: string };
    scope: string;
  }[];
};

describe('connected apps: /v1/me/grants', () => {
  it('lists the user’s live grants with client and server', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await connect(alice, server);
    const res = await api('/v1/me/grants', { as: alice });
    expect(res.status).toBe(200);
    const body = await res.json<Listed>();
    expect(body.grants).toHaveLength(1);
    expect(body.grants[0]).toMatchObject({
      client: { id: client.client_id, name: 'Test MCP Client', verified: false },
      server: { slug: server.slug },
      scope: 'mcp:read mcp:write',
    });
  });

  it('requires a signed-in user', async () => {
    const res = await api('/v1/me/grants');
    expect(res.status).toBe(401);
  });

  it('revokes a grant: its refresh token stops working and consent is asked again', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    const { grants } = await (await api('/v1/me/grants', { as: alice })).json<Listed>();
    const del = await api(`/v1/me/grants/${grants[0]!.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await oauthError(await refresh({ client, refreshToken: tokens.refresh_token! }))).toBe(
      'invalid_grant',
    );
    expect((await (await api('/v1/me/grants', { as: alice })).json<Listed>()).grants).toHaveLength(
      0,
    );
    const { challenge } = await pkce();
    const again = await getAuthorize(
      authorizeUrl({ client, resource: server.resource, challenge }),
      alice,
    );
    expect(again.status).toBe(200);
    const audit = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM audit_events WHERE action = 'oauth.grant.revoked' AND actor = ?`,
    )
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('answers 404 for another user’s grant and leaves it alone', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    const { grants } = await (await api('/v1/me/grants', { as: alice })).json<Listed>();
    const del = await api(`/v1/me/grants/${grants[0]!.id}`, { as: bob, method: 'DELETE' });
    expect(del.status).toBe(404);
    expect(await del.json()).toMatchObject({ error: { code: 'grant_not_found' } });
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });
});
