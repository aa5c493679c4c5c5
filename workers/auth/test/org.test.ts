import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { writeAudit } from '../src/store/audit';
import { api, createApiKey, signUp, type SignedUp } from './support/accounts';

type Invite = { id: string; url: string; email: string; role: string };

async function invite(as: SignedUp, email: string, role = 'member') {
  return api('/v1/me/org/invites', { as, body: { email, role } });
}
const tokenOf = (url: string) => url.split('/invite/')[1]!;

/** Alice owns an org; Bob joins it with `role` through a real invite. */
async function team(role: 'admin' | 'member' = 'member') {
  const [alice, bob] = [await signUp(), await signUp()];
  const inv = await (await invite(alice, bob.email, role)).json<Invite>();
  const res = await api('/v1/invites/accept', { as: bob, body: { token: tokenOf(inv.url) } });
  expect(res.status).toBe(200);
  // Bob acts in Alice's org by naming it.
  const bobInAlice = { ...bob };
  const inOrg = (u: SignedUp) => ({ as: u, headers: { 'x-moat-org': alice.orgId } });
  return { alice, bob: bobInAlice, inOrg };
}

describe('GET /v1/me/org', () => {
  it('refuses without authentication with 401', async () => {
    expect((await api('/v1/me/org')).status).toBe(401);
  });

  it('shows the personal org with plan, usage, members, API keys and encryption status', async () => {
    const alice = await signUp(undefined, undefined, 'Alice');
    const key = await createApiKey(alice, 'ci');
    const res = await api('/v1/me/org', { as: alice });
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      org: { id: alice.orgId, name: "Alice's workspace", personal: true, plan: 'free' },
      role: 'owner',
      plan: 'free',
      usage: {
        servers: 0,
        members: 1,
        apiKeys: 1,
        secrets: 0,
        pendingInvites: 0,
        builds: 0,
        toolCalls30d: 0,
      },
      members: [{ userId: alice.user.id, email: alice.email, role: 'owner' }],
      apiKeys: [{ id: key.id, name: 'ci', prefix: key.prefix }],
      encryption: { currentKeyVersion: 1, secrets: 0, keyVersions: [], secretsOnOldKeys: 0 },
    });
    expect(JSON.stringify(body)).not.toContain(key.key);
  });

  it("counts the org's secrets per master key version", async () => {
    const alice = await signUp();
    const now = Date.now();
    const srv = `srv_${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO servers (id, org_id, slug, name, visibility, created_by, created_at, updated_at)
         VALUES (?, ?, ?, 'S', 'private', ?, ?, ?)`,
      ).bind(srv, alice.orgId, srv, alice.user.id, now, now),
      ...[1, 1, 2].map((v, i) =>
        env.DB.prepare(
          `INSERT INTO secrets (server_id, name, ciphertext, iv, wrapped_key, key_version, updated_by, updated_at)
           VALUES (?, ?, 'c', 'i', 'w', ?, ?, ?)`,
        ).bind(srv, `S${i}`, v, alice.user.id, now),
      ),
    ]);
    const body = await (
      await api('/v1/me/org', { as: alice })
    ).json<{
      usage: { servers: number; secrets: number };
      encryption: { keyVersions: unknown[] };
    }>();
    expect(body.usage).toMatchObject({ servers: 1, secrets: 3 });
    expect(body.encryption.keyVersions).toEqual([
      { version: 1, secrets: 2 },
      { version: 2, secrets: 1 },
    ]);
  });
});

describe('usage counters', () => {
  it('counts tool calls of the last 30 days from the audit log', async () => {
    const alice = await signUp();
    const now = Date.now();
    for (const ts of [now - 1000, now - 29 * 86_400_000, now - 31 * 86_400_000]) {
      await writeAudit(env.DB, { orgId: alice.orgId, action: 'tool.call', now: ts });
    }
    const body = await (await api('/v1/me/org', { as: alice })).json<{ usage: object }>();
    expect(body.usage).toMatchObject({ toolCalls30d: 2 });
  });
});

describe('invites', () => {
  it('refuses an invite from a plain member with 403', async () => {
    const { bob, inOrg } = await team('member');
    const res = await api('/v1/me/org/invites', {
      ...inOrg(bob),
      body: { email: 'x@example.test' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('refuses to invite an existing member with 409 already_member', async () => {
    const alice = await signUp();
    const res = await invite(alice, alice.email.toUpperCase());
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'already_member' } });
  });

  it('refuses an invite accepted by another email with 403 invite_email_mismatch', async () => {
    const [alice, mallory] = [await signUp(), await signUp()];
    const inv = await (await invite(alice, 'someone-else@example.test')).json<Invite>();
    const res = await api('/v1/invites/accept', { as: mallory, body: { token: tokenOf(inv.url) } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'invite_email_mismatch' } });
  });

  it('refuses an unknown token with 404 and a used one with 410', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const unknown = await api('/v1/invites/accept', { as: bob, body: { token: 'a'.repeat(52) } });
    expect(unknown.status).toBe(404);
    const inv = await (await invite(alice, bob.email)).json<Invite>();
    const token = tokenOf(inv.url);
    expect((await api('/v1/invites/accept', { as: bob, body: { token } })).status).toBe(200);
    const again = await api('/v1/invites/accept', { as: bob, body: { token } });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ error: { code: 'invite_accepted' } });
  });

  it('returns an invite link (no mail), stores only its hash, and lets the invited user join', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const res = await invite(alice, bob.email, 'admin');
    expect(res.status).toBe(201);
    const inv = await res.json<Invite>();
    expect(inv.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/invite\/[a-z2-7]{52}$/);
    const row = await env.DB.prepare('SELECT * FROM invites WHERE id = ?').bind(inv.id).first();
    expect(JSON.stringify(row)).not.toContain(tokenOf(inv.url));

    const accept = await api('/v1/invites/accept', { as: bob, body: { token: tokenOf(inv.url) } });
    expect(await accept.json()).toEqual({
      orgId: alice.orgId,
      orgName: expect.any(String),
      role: 'admin',
    });
    const me = await (
      await api('/v1/me', { as: bob })
    ).json<{ orgs: { orgId: string; role: string }[] }>();
    expect(me.orgs).toContainEqual(expect.objectContaining({ orgId: alice.orgId, role: 'admin' }));
    const org = await (
      await api('/v1/me/org', { as: alice })
    ).json<{ members: { userId: string }[] }>();
    expect(org.members.map((m) => m.userId)).toEqual([alice.user.id, bob.user.id]);
  });

  it('revokes a pending invite so its link stops working', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const inv = await (await invite(alice, bob.email)).json<Invite>();
    expect(
      (await api(`/v1/me/org/invites/${inv.id}`, { as: alice, method: 'DELETE' })).status,
    ).toBe(204);
    const res = await api('/v1/invites/accept', { as: bob, body: { token: tokenOf(inv.url) } });
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: { code: 'invite_revoked' } });
    const again = await api(`/v1/me/org/invites/${inv.id}`, { as: alice, method: 'DELETE' });
    expect(again.status).toBe(404);
    const events = await env.DB.prepare(
      "SELECT actor FROM audit_events WHERE action = 'member.invite_revoked' AND resource = ?",
    )
      .bind(inv.id)
      .all();
    expect(events.results).toEqual([{ actor: alice.user.id }]);
  });
});

describe('org scoping', () => {
  it('ignores x-moat-org naming an org the caller is not a member of', async () => {
    const [alice, mallory] = [await signUp(), await signUp()];
    const res = await api('/v1/me/org', { as: mallory, headers: { 'x-moat-org': alice.orgId } });
    expect(await res.json()).toMatchObject({ org: { id: mallory.orgId } });
  });

  it('refuses the audit log to a plain member with 403', async () => {
    const { bob, inOrg } = await team('member');
    const res = await api('/v1/audit', inOrg(bob));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});

describe('members and roles', () => {
  it('refuses to let the last owner leave with 409 last_owner', async () => {
    const alice = await signUp();
    const res = await api(`/v1/me/org/members/${alice.user.id}`, { as: alice, method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'last_owner' } });
  });

  it('refuses to demote the last owner with 409 last_owner', async () => {
    const alice = await signUp();
    const res = await api(`/v1/me/org/members/${alice.user.id}`, {
      as: alice,
      method: 'PATCH',
      body: { role: 'admin' },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'last_owner' } });
  });

  it('refuses a member removing someone else with 403', async () => {
    const { alice, bob, inOrg } = await team('member');
    const res = await api(`/v1/me/org/members/${alice.user.id}`, {
      ...inOrg(bob),
      method: 'DELETE',
    });
    expect(res.status).toBe(403);
  });

  it('refuses an admin making an owner with 403', async () => {
    const { bob, inOrg } = await team('admin');
    const res = await api(`/v1/me/org/members/${bob.user.id}`, {
      ...inOrg(bob),
      method: 'PATCH',
      body: { role: 'owner' },
    });
    expect(res.status).toBe(403);
  });

  it('refuses an unknown role with 422', async () => {
    const { alice, bob } = await team('member');
    const res = await api(`/v1/me/org/members/${bob.user.id}`, {
      as: alice,
      method: 'PATCH',
      body: { role: 'god' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { fields: [{ path: 'role' }] } });
  });

  it('lets an owner promote a member to owner, after which the first owner may leave', async () => {
    const { alice, bob, inOrg } = await team('member');
    const promote = await api(`/v1/me/org/members/${bob.user.id}`, {
      as: alice,
      method: 'PATCH',
      body: { role: 'owner' },
    });
    expect(promote.status).toBe(200);
    expect(await promote.json()).toEqual({ userId: bob.user.id, role: 'owner' });
    const leave = await api(`/v1/me/org/members/${alice.user.id}`, {
      as: alice,
      method: 'DELETE',
      headers: { 'x-moat-org': alice.orgId },
    });
    expect(leave.status).toBe(204);
    const org = await (
      await api('/v1/me/org', inOrg(bob))
    ).json<{ members: { userId: string; role: string }[] }>();
    expect(org.members).toEqual([expect.objectContaining({ userId: bob.user.id, role: 'owner' })]);
  });

  it('removes a member, revoking the API keys they made for the org', async () => {
    const { alice, bob, inOrg } = await team('member');
    const keyRes = await api('/v1/api-keys', { ...inOrg(bob), body: { name: 'bob in alice org' } });
    const { key } = await keyRes.json<{ key: string }>();
    expect((await api('/v1/me', { key })).status).toBe(200);
    const res = await api(`/v1/me/org/members/${bob.user.id}`, { as: alice, method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await api('/v1/me', { key })).status).toBe(401);
    // Bob now acts in his own org again, even if he names Alice's.
    const me = await (await api('/v1/me', inOrg(bob))).json<{ orgId: string }>();
    expect(me.orgId).toBe(bob.orgId);
  });

  it('audits invited, joined, role_changed and removed in the org', async () => {
    const { alice, bob } = await team('member');
    await api(`/v1/me/org/members/${bob.user.id}`, {
      as: alice,
      method: 'PATCH',
      body: { role: 'admin' },
    });
    await api(`/v1/me/org/members/${bob.user.id}`, { as: alice, method: 'DELETE' });
    const { results } = await env.DB.prepare(
      "SELECT action, actor FROM audit_events WHERE org_id = ? AND action LIKE 'member.%' ORDER BY id",
    )
      .bind(alice.orgId)
      .all();
    expect(results).toEqual([
      { action: 'member.invited', actor: alice.user.id },
      { action: 'member.joined', actor: bob.user.id },
      { action: 'member.role_changed', actor: alice.user.id },
      { action: 'member.removed', actor: alice.user.id },
    ]);
  });
});
