import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp, type SignedUp } from './support/accounts';
import { connect, hostServer, oauthError, refresh } from './support/oauth-client';

type Listed = {
  grants: {
    id: string;
    client: { id: string; name: string | null; kind: string; domain: string | null };
    user: { id: string; email: string } | null;
    scope: string;
    createdAt: number;
    lastTokenAt: number | null;
    lastRefreshAt: number | null;
  }[];
};

async function addMember(owner: SignedUp, role: 'admin' | 'member'): Promise<SignedUp> {
  // The membership row as an accepted invite writes it (as in servers.test.ts).
  const user = await signUp();
  await env.DB.prepare(
    'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(owner.orgId, user.user.id, role, Date.now())
    .run();
  return user;
}

const inOrg = (orgId: string) => ({ 'x-moat-org': orgId });

describe('/v1/servers/:id/grants', () => {
  it('lists a grant from the real authorize and token flow with client name, kind and user', async () => {
    const owner = await signUp();
    const server = await hostServer(owner, { visibility: 'public' });
    const bob = await signUp();
    const { client } = await connect(bob, server);
    const res = await api(`/v1/servers/${server.id}/grants`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<Listed>();
    expect(body.grants).toHaveLength(1);
    expect(body.grants[0]).toMatchObject({
      client: { id: client.client_id, name: 'Test MCP Client', kind: 'dcr', domain: 'unverified' },
      user: { id: bob.user.id, email: bob.email },
      scope: 'mcp:read mcp:write',
    });
    expect(body.grants[0]!.lastTokenAt).toBeGreaterThan(0);
  });

  it('refuses a plain member with 403 and lets an admin list', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const member = await addMember(owner, 'member');
    const admin = await addMember(owner, 'admin');
    const h = inOrg(owner.orgId);
    const res = await api(`/v1/servers/${server.id}/grants`, { as: member, headers: h });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    const del = await api(`/v1/servers/${server.id}/grants/grt_x`, {
      as: member,
      headers: h,
      method: 'DELETE',
    });
    expect(del.status).toBe(403);
    expect((await api(`/v1/servers/${server.id}/grants`, { as: admin, headers: h })).status).toBe(
      200,
    );
  });

  it('answers 404 to another org and leaves its grants alone', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const { client, tokens } = await connect(owner, server);
    const mallory = await signUp();
    const res = await api(`/v1/servers/${server.id}/grants`, { as: mallory });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    const { grants } = await (
      await api(`/v1/servers/${server.id}/grants`, { as: owner })
    ).json<Listed>();
    const del = await api(`/v1/servers/${server.id}/grants/${grants[0]!.id}`, {
      as: mallory,
      method: 'DELETE',
    });
    expect(del.status).toBe(404);
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });

  it('revokes a grant: its refresh token gets invalid_grant and the audit row is written', async () => {
    const owner = await signUp();
    const server = await hostServer(owner, { visibility: 'public' });
    const bob = await signUp();
    const { client, tokens } = await connect(bob, server);
    const { grants } = await (
      await api(`/v1/servers/${server.id}/grants`, { as: owner })
    ).json<Listed>();
    const del = await api(`/v1/servers/${server.id}/grants/${grants[0]!.id}`, {
      as: owner,
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    expect(await oauthError(await refresh({ client, refreshToken: tokens.refresh_token! }))).toBe(
      'invalid_grant',
    );
    const after = await (
      await api(`/v1/servers/${server.id}/grants`, { as: owner })
    ).json<Listed>();
    expect(after.grants).toHaveLength(0);
    const row = await env.DB.prepare(
      `SELECT org_id, actor, resource, metadata FROM audit_events
       WHERE action = 'oauth.grant.revoked' AND resource = ?`,
    )
      .bind(server.id)
      .first<{ org_id: string; actor: string; resource: string; metadata: string }>();
    expect(row).toMatchObject({ org_id: owner.orgId, actor: owner.user.id });
    expect(JSON.parse(row!.metadata)).toMatchObject({
      reason: 'revoked_by_server_admin',
      grant_id: grants[0]!.id,
      client_id: client.client_id,
    });
  });

  it('answers 404 for a grant of another server of the same org and leaves it alone', async () => {
    const owner = await signUp();
    const first = await hostServer(owner);
    const second = await hostServer(owner);
    const { client, tokens } = await connect(owner, second);
    const { grants } = await (
      await api(`/v1/servers/${second.id}/grants`, { as: owner })
    ).json<Listed>();
    const del = await api(`/v1/servers/${first.id}/grants/${grants[0]!.id}`, {
      as: owner,
      method: 'DELETE',
    });
    expect(del.status).toBe(404);
    expect(await del.json()).toMatchObject({ error: { code: 'grant_not_found' } });
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });
});
